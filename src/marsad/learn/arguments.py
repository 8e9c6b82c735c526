"""Who did it to whom: a learned ranker over every candidate actor of an event.

The lexicon and the word-order rules (`extract/actors.py`) propose; this model decides. For one
event (a trigger in a sentence) every candidate mention — the actor lexicon's mentions and the
content words near the trigger the lexicon does not know ("مفجرون"، "وحدة إسرائيلية") — is
scored as the event's source and, by a second weight vector, as its target, from features such
as its side and distance from the trigger, the clause boundaries and prepositions between them,
agent markers ("على يد"، "من قبل"، "برصاص")، a relative clause ("الهجوم الذي شنته ...")، the
trigger's form and number, the mention's kind, role and country, and whether the rules chose it.
The best candidate above the role's threshold wins, else the role stays empty ("none").

Bare number words, function words and places named as places are never candidates; a count with
the article ("العشرات") is, as a crowd protests, but as the source of any other type it gives way to
the noun it counts or to none. So an event with no actor gets no source rather than a wrong word.
Weights are a data file (`learn/data/arguments.npz`, read with `allow_pickle=False`) with its card,
like the detector.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.errors import ModelError
from marsad.extract.actors import RELATIVES, Mention, Roles, agrees_with_preceding_subject, is_place
from marsad.extract.eventive import DEFINITE
from marsad.extract.quantities import is_number_word
from marsad.learn import npz
from marsad.learn.features import index_set
from marsad.memo import PerKey
from marsad.ontology import ARMED
from marsad.text.segment import PUNCT
from marsad.text.tokens import Tokens

ARGUMENT_VERSION = 1
ARGUMENT_BITS = 16
ROLES = ("source", "target")
WINDOW = 10  # content words this far from the trigger are candidates
_FIX = "rebuild it with `make model` (or `marsad train`), or reinstall Marsad"

# Words that are never an actor: function words, time words, numerals, reporting words.
NEVER_ACTORS = frozenset(
    {"في", "من", "علي", "الي", "عن", "مع", "امام", "قرب", "داخل", "خارج", "بعد", "قبل", "خلال", "منذ", "عند",
     "حيث", "كما", "ان", "انه", "انها", "انهم", "قد", "لقد", "ثم", "اول", "اكثر", "اقل", "يوم", "هذا", "هذه", "ذلك",
     "تلك", "الذي", "التي", "الذين", "ما", "لا", "لم", "لن", "او", "بين", "ضد", "لدي", "تجاه", "بحق", "حتي", "الا",
     "لكن", "غير", "كل", "بعض", "جميع", "عدد", "نحو", "حوالي", "قرابه", "امس", "اليوم", "الليله", "صباح",
     "مساء", "فجر", "ظهر", "ايضا", "مجددا", "جراء", "وسط", "اثر", "عقب", "بسبب", "حول", "بشان", "عبر",
     "بينما", "فيما", "اذ", "اذا", "لو", "كان", "كانت", "كانوا", "يكون", "تكون", "وكان", "وكانت", "قال", "قالت",
     "وقال", "وقالت", "اعلن", "اعلنت", "ذكر", "ذكرت", "افاد", "افادت", "اضاف", "اضافت", "اكد", "اكدت", "وفق",
     "وفقا", "بحسب", "حسب", "نقلا", "الماضي", "الماضيه", "المقبل", "الجاري", "الحالي", "ايام",
     "اسبوع", "شهر", "عام", "ساعه", "ساعات", "دقائق", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس",
     "الجمعه", "السبت", "حين", "عندما", "بعدما", "اللذين", "اللتين", "اللواتي", "هو", "هي", "هم",
     "نفسه", "نفسها", "انفسهم", "اخر", "اخري", "اخرين", "جديد", "جديده", "جديدا", "كبير", "كبيره", "عده", "احد",
     "احدي", "اثنين", "اثنان", "ثلاثه", "اربعه", "خمسه", "سته", "سبعه", "ثمانيه", "تسعه", "عشره", "ثلاث", "اربع",
     "خمس", "ست", "سبع", "ثماني", "تسع", "عشر", "عشرات", "مئات", "الاف", "ملايين", "مئه", "الف",
     "عشرين", "ثلاثين", "اربعين", "خمسين", "بالقرب", "مما", "ادي", "اسفر", "اسفرت", "حاليا", "مختلف"}
)  # fmt: skip
NUMBER_WORDS = frozenset(
    {"ثلاثه", "اربعه", "خمسه", "سته", "سبعه", "ثمانيه", "تسعه", "عشره", "ثلاث", "اربع", "خمس", "ست", "سبع", "ثماني",
     "تسع", "عشر", "عشرات", "مئات", "الاف", "عده", "احد", "اثنين", "اثنان", "عشرين", "ثلاثين", "اربعين", "خمسين",
     "مئه", "الف", "ملايين", "بضعه", "العشرات", "المئات", "الالاف", "نحو", "حوالي", "قرابه"}
)  # fmt: skip
# Two words before a mention that make it the agent of a passive or nominal trigger.
AGENT_MARKERS = frozenset({"علي يد", "من قبل", "بواسطه", "من جانب", "بيد", "بايدي", "علي ايدي"})
AGENT_PREFIXES = ("برصاص", "بنيران", "بقذائف", "بصواريخ")
# A word after these names a place ("في جنين"، "بلدة قباطية"), not an actor.
PLACE_INTRODUCERS = frozenset(
    {"في", "داخل", "خارج", "قرب", "شمال", "جنوب", "شرق", "غرب", "وسط", "انحاء", "مدينه", "بمدينه", "بلده", "قريه",
     "منطقه", "بمنطقه", "محافظه", "بمحافظه", "ولايه", "حي", "بحي", "مخيم", "ضواحي", "مقاطعه", "اقليم", "العاصمه"}
)  # fmt: skip
# After these a new clause, and often its subject, begins: "قال الجيش إن طائراته قصفت".
_CLAUSE_STARTS = frozenset(
    {"ان", "انه", "بان", "لان", "حيث", "بينما", "فيما", "اذ", "كما", "ثم", "لكن", "بعدما", "عندما"}
)
_PREPOSITIONS = frozenset(
    {"في", "من", "علي", "الي", "عن", "مع", "امام", "ضد", "بحق", "تجاه", "نحو", "لدي", "بين", "داخل", "قرب"}
)


# Pronoun suffixes: a preposition or adverb carrying one ("خلاله"، "عليهم"، "ضدها") is no actor either.
_PRONOUN_SUFFIXES = ("هما", "هم", "هن", "ها", "كم", "نا", "ه")
_PARTICLES = frozenset("فبلك")  # written on the next word: فقد، بهذه، لذلك، كذلك، لكم
_GOVERNORS = _PREPOSITIONS | {"خلال", "بعد", "قبل", "عند", "حول", "عبر", "مثل", "دون", "لدي", "عقب", "اثر", "بسبب"}


def is_content_word(word: str) -> bool:
    """A token that can name an actor, given its bare form (`Tokens.bare`): Arabic letters, at least
    three, not a function word, time word or number word, nor a preposition with a pronoun ("خلاله")."""
    if len(word) < 3 or not all("\u0621" <= ch <= "\u064a" for ch in word):
        return False
    return not _names_nobody(word, NEVER_ACTORS, glued=False)


def _names_nobody(word: str, words: frozenset[str], *, glued: bool) -> bool:
    """`word` (or it without و) is one of `words`, or a preposition carrying a pronoun ("خلاله");
    with `glued`, also a particle written on one of `words` or on a pronoun ("بهذه"، "لكم")."""
    stem = word.removeprefix("و")
    if word in words or stem in words:
        return True
    if glued and stem[:1] in _PARTICLES and (stem[1:] in words or stem[1:] in _PRONOUN_SUFFIXES):
        return True
    return any(stem.endswith(x) and stem[: -len(x)] in _GOVERNORS for x in _PRONOUN_SUFFIXES)


# Function words that NEVER_ACTORS lacks; with it, the words `is_function_word` reads as written.
_MORE_FUNCTION_WORDS = frozenset(
    {"ليس", "ليست", "ليسوا", "ليسا", "لست", "لسنا", "كلا", "كلتا", "كيف", "كيفيه", "لماذا", "متي", "اين", "هل",
     "هؤلاء", "اولئك", "هناك", "هنا", "ذات", "ذاته", "ذاتها"}
)  # fmt: skip
_FUNCTION_WORDS = NEVER_ACTORS | _MORE_FUNCTION_WORDS


def is_function_word(word: str) -> bool:
    """A token as written (normalised) that names nobody: a function, time or number word, also
    behind و or a glued particle ("بهذه"، "لذلك"، "فيما"), or a particle or preposition carrying a
    pronoun ("فيها"، "لكم"، "بهم"، "خلاله"). The candidates read a word through its bare form, which
    drops any first و/ف ("فيها" is "يها" there), so a chosen one-word candidate is checked again as
    written (`ArgumentModel.choose`); the candidates themselves, which the ranker was trained on,
    are unchanged."""
    return _names_nobody(word, _FUNCTION_WORDS, glued=True)


def candidates(
    tokens: Tokens,
    first: int,
    last: int,
    found: Sequence[Mention],
    trig_first: int,
    trig_last: int,
    form: str,
) -> list[Mention]:
    """Every mention that may be the source or target of the trigger at [trig_first, trig_last):
    the lexicon's mentions (not places used as places; a mention inside a multi-word trigger,
    "تجمع مئات المتظاهرين"، is one) and the content words within `WINDOW` that no mention
    covers; a word followed by a nisba ("وحدة إسرائيلية") is one candidate with the nisba's country.
    An adjective of the trigger's noun describes the event and is no candidate ("مظاهرة غاضبة"، "خرجت
    مسيرة حاشدة"), unless it names a country ("غارات أمريكية") or an armed actor ("هجوم انتحاري"، "عملية
    مسلحة": who did it, as the gold reads them)."""
    out: list[Mention] = []
    previous_place: Mention | None = None
    lo, hi = max(first, trig_first - WINDOW), min(last, trig_last + WINDOW)
    describing = _adjectives_of(tokens, _trigger_noun(trig_first, trig_last, form), hi)
    for m in found:
        if m.first in describing and m.last - 1 in describing and m.kind not in _NAMING and m.role not in ARMED:
            continue
        # A country listed after a place is a place too: "في عدد من الدول الأوروبية والولايات المتحدة وكندا".
        listed = previous_place is not None and m.first - previous_place.last <= 1 and tokens.bare[m.first][:1] == "و"
        if is_place(tokens, m) or (listed and m.kind in ("country", "capital")):
            previous_place = m
            continue
        previous_place = None
        out.append(m)
    covered = {k for m in found for k in range(m.first, m.last)}
    nisba_at = {m.first: m for m in found if m.kind in ("nisba", "demonym")}
    for k in range(lo, hi):
        if k in covered or trig_first <= k < trig_last or k in describing or not is_content_word(tokens.bare[k]):
            continue
        if k > first and (tokens.bare[k - 1] in PLACE_INTRODUCERS or _qualifies(tokens.bare[k - 1], tokens.bare[k])):
            continue  # "في جنين"; "النقابة الوطنية": the adjective is its noun's, never an actor alone
        qualifier = nisba_at.get(k + 1)
        if qualifier is not None:
            out.append(Mention(k, qualifier.last, qualifier.country, None, None, "word+nisba", False))
        elif k + 1 < hi and k + 1 not in covered and _qualifies(tokens.bare[k], tokens.bare[k + 1]):
            out.append(Mention(k, k + 2, None, None, None, "word+adj", tokens.bare[k][:1] in ("ب", "ل")))
        else:
            out.append(Mention(k, k + 1, None, None, None, "word", tokens.bare[k][:1] in ("ب", "ل")))
    return sorted(out, key=lambda m: (m.first, m.last))


def _trigger_noun(trig_first: int, trig_last: int, form: str) -> int | None:
    """The trigger's noun, whose adjectives describe the event: a noun trigger's first word ("العملية
    الانتحارية"), the last word of a light verb and its noun ("خرجت مظاهرة"); a verb has none."""
    if form == "noun":
        return trig_first
    return trig_last - 1 if trig_last - trig_first > 1 else None


def _adjectives_of(tokens: Tokens, head: int | None, hi: int) -> range:
    """The positions of the adjectives right after the noun at `head` (one or more in a row: "مظاهرة
    سلمية حاشدة"), by agreement: definite with definite, and a feminine ending after a feminine or
    plural noun ("تظاهرة غاضبة"، "احتجاجات واسعة") or a nisba after a masculine one ("هجوم انتحاري")."""
    if head is None:
        return range(0)
    noun = tokens.bare[head]
    if len(noun) < 3 or noun in _GOVERNORS:
        return range(0)  # "وصف مفتي": a conjunction read off the verb; "أفرج عن صحفي": a preposition
    k = head + 1
    while k < hi and _describes(noun, tokens.bare[k]):
        k += 1
    return range(head + 1, k)


# What an adjective of the event may still say about who did it: a country, or an armed actor (`ARMED`).
_NAMING = frozenset({"nisba", "demonym"})
# Broken plurals of people that end like a feminine adjective: "مظاهرة طلبة" is the students'.
_PERSON_PLURALS = frozenset({"طلبه", "قاده", "دعاه", "قضاه", "غزاه", "رعاه", "ولاه", "عمله", "حمله", "خونه", "بغاه",
                             "جناه", "رماه", "سعاه", "حماه", "كهنه", "سحره", "بحاره", "اساتذه", "تلامذه", "جبابره"})  # fmt: skip


def _describes(noun: str, word: str) -> bool:
    """`word` (bare) agrees with `noun` (bare) as its adjective, not as the noun's genitive: "مظاهره
    غاضبه" but not "مظاهره طلاب" nor "عمليه الشرطه" (a genitive after an indefinite noun is definite)."""
    if noun.startswith(DEFINITE) != word.startswith(DEFINITE) or len(word) < 4:
        return False
    if noun.endswith(("ه", "ات")):
        return word.endswith("ه") and word.removeprefix("ال") not in _PERSON_PLURALS
    if noun.endswith("ا"):  # accusative, written with its alif: "هجوما انتحاريا"
        return word.endswith("يا")
    return word.endswith("ي") and not noun.endswith("ي")


def _qualifies(noun: str, word: str) -> bool:
    """`word` is a nisba adjective of the definite `noun` before it: "النقابة الوطنية"، "الجبهة الشعبية"
    (both bare forms)."""
    stem = word[2:].removesuffix("ه")
    return noun.startswith(("ال", "وال")) and word.startswith("ال") and len(stem) >= 4 and stem.endswith("ي")


@dataclass(frozen=True, slots=True)
class EventFrame:
    """What the ranker knows of one event: its trigger and the sentence around it."""

    tokens: Tokens
    first: int  # the sentence's first token
    last: int  # one past its last token
    trig_first: int
    trig_last: int
    key: str  # the trigger's lexicon key
    form: str  # past / imperfect / bare / noun
    event_type: str
    victim_trigger: bool
    speaking: frozenset[tuple[int, int]]  # (first, last) of mentions right after a reporting verb
    rules: Roles  # what the word-order rules chose


def _bucket(value: int) -> str:
    for edge in (0, 1, 2, 3, 5, 8, 12):
        if value <= edge:
            return str(edge)
    return "far"


def _boundaries(tokens: Tokens, lo: int, hi: int) -> tuple[int, int]:
    """(punctuation marks, relative pronouns) in tokens[lo:hi]."""
    punct = sum(1 for k in range(lo, hi) if tokens[k] in PUNCT and tokens[k] not in '«»"')
    rel = sum(1 for k in range(lo, hi) if tokens.bare[k] in RELATIVES)
    return punct, rel


# Event types whose actor may be a crowd named by its size alone ("احتشد المئات": the hundreds protest).
CROWD_TYPES = frozenset({"PROTEST"})


def is_count(tokens: Tokens, m: Mention) -> bool:
    """The mention is a number and nothing else: "العشرات"، "مائة"، "25" (the quantity lexicon's
    number words, with their clitics and article)."""
    return all(tokens[k].isdigit() or is_number_word(tokens[k]) for k in range(m.first, m.last))


def partitive_of(tokens: Tokens, count: Mention, pool: Sequence[Mention]) -> Mention | None:
    """The candidate a count is a part of: "العشرات من المستوطنين" → "المستوطنين"; None without "من"."""
    at = count.last
    if at >= len(tokens) or tokens.bare[at] != "من":
        return None
    return next((m for m in pool if m.first == at + 1), None)


def _number(word: str) -> bool:
    return word.isdigit() or word in NUMBER_WORDS


def is_counted(tokens: Tokens, first: int, lo: int) -> bool:
    """A mention counted by the number before it: "ستة متشددين"، "20 شخصا", or partitive "ثمانية من
    عناصر الشرطة"، "اثنان من جنوده" — victims or participants, not who acted. `lo`: the sentence's
    first token (no look beyond it)."""
    if first - 1 < lo:
        return False
    if _number(tokens.bare[first - 1]):
        return True
    return first - 2 >= lo and tokens.bare[first - 1] == "من" and _number(tokens.bare[first - 2])


def _after_state(frame: EventFrame, pool: Sequence[Mention]) -> str:
    """What stands right after the trigger: no candidate, a counted one ("قتلت ثلاثة مسلحين"), one
    after a preposition, or a plain noun — in a verb-first clause the subject comes there, so
    anything but "plain" points to a subject before the verb ("القوات الأمريكية قتلت ...")."""
    after = [m for m in pool if m.first >= frame.trig_last]
    if not after or after[0].first - frame.trig_last > 3:
        return "none"
    m = after[0]
    prev = frame.tokens.bare[m.first - 1]
    if is_counted(frame.tokens, m.first, frame.first):
        return "counted"
    if m.prefixed or prev in _PREPOSITIONS:
        return "prep"
    return "plain"


def features(frame: EventFrame, m: Mention, rank: int, after: str = "none") -> list[str]:
    """The ranker's features of mention `m` for the event `frame` (`rank`: its order on its
    side of the trigger, 0 = nearest; `after`: `_after_state`)."""
    t = frame.tokens
    if m.last <= frame.trig_first:
        side, dist = "before", frame.trig_first - m.last
        lo, hi = m.last, frame.trig_first
    elif m.first >= frame.trig_last:
        side, dist = "after", m.first - frame.trig_last
        lo, hi = frame.trig_last, m.first
    else:
        side, dist, lo, hi = "inside", 0, 0, 0
    punct, rel = _boundaries(t, lo, hi)
    prev = t.bare[m.first - 1] if m.first > frame.first else "^"
    prev2 = f"{t.bare[m.first - 2]} {prev}" if m.first - 1 > frame.first else "^"
    word = t.bare[m.first]
    head = f"{frame.form}|{side}"
    kind = m.kind if m.kind != "unknown" else "word"
    out = [
        "bias",
        f"side={side}",
        f"dist={side}{_bucket(dist)}",
        f"form_side={head}",
        f"form_side_dist={head}{_bucket(dist)}",
        f"rank={side}{min(rank, 3)}",
        f"form_rank={head}{min(rank, 3)}",
        f"kind={kind}",
        f"kind_side={kind}|{side}",
        f"role={m.role}",
        f"role_side={m.role}|{side}",
        f"country={m.country is not None}|{side}",
        f"type_side={frame.event_type}|{side}",
        f"type_role={frame.event_type}|{m.role}",
        f"key_role={frame.key}|{m.role}",  # who does this act: an execution is the state's
        f"key_side={frame.key}|{side}",
        f"punct={min(punct, 2)}|{side}",
        f"rel={min(rel, 1)}|{side}|{frame.form}",
        f"prev={prev}",
        f"prev_side={prev}|{side}",
        f"word={word}",
        f"word_side={word}|{side}",
        f"len={min(m.last - m.first, 3)}",
        f"prefixed={m.prefixed}|{side}",
        f"victim={frame.victim_trigger}|{side}|{rank == 0}",
        f"victim_role={frame.victim_trigger}|{side}|{m.role}",
        f"plural={agrees_with_preceding_subject(t.bare[frame.trig_first])}|{side}|{rank == 0}",
        f"after={after}|{side}|{frame.form}",
        f"after_rank={after}|{side}|{min(rank, 2)}",
    ]
    if prev in _PREPOSITIONS:
        out.append(f"prep={prev}|{side}")
    if word.startswith("لل") and m.first > frame.first and t.bare[m.first - 1].startswith("ال"):
        out.append(f"lam_of_noun|{side}|{frame.form}")  # "القبضة الحديدية للنظام"، "هجوم للجيش": whose act
    if prev2 in AGENT_MARKERS or prev.startswith(AGENT_PREFIXES):
        out.append(f"agent_marker|{side}")
    if is_counted(t, m.first, frame.first):
        out.append(f"counted|{side}")
    if (m.first, m.last) in frame.speaking:
        out.append("speaker")
    if frame.rules.source is not None and (frame.rules.source.first, frame.rules.source.last) == (m.first, m.last):
        out.append("rules_source")
    if frame.rules.target is not None and (frame.rules.target.first, frame.rules.target.last) == (m.first, m.last):
        out.append("rules_target")
    if m.first == frame.first or prev in _CLAUSE_STARTS or t[m.first - 1] in PUNCT:
        out.append(f"clause_initial|{side}|{frame.form}|{rank == 0}|{punct == 0}")
    if side == "after" and rel and frame.form == "noun":
        out.append("relative_agent")  # "الهجوم الذي شنته حماس"
    if kind == "nisba":
        out.append(
            f"nisba_of_trigger={side == 'after' and dist == 0}|{frame.form}"
        )  # "غارات أمريكية" vs "الأعلام الإيرانية"
    if side == "before" and dist <= 2:
        between = " ".join(t.bare[k] for k in range(lo, hi))
        out.append(f"between={between}")
    return out


@dataclass(frozen=True, slots=True)
class ArgumentModel:
    """Two logistic scorers over hashed features (source, target) and each role's threshold per
    event type ("*": the types without one of their own)."""

    weights: npt.NDArray[np.float32]  # shape (2, 2**bits): source, target
    biases: tuple[float, float]
    thresholds: dict[str, tuple[float, float]]
    card: dict[str, Any]

    def threshold(self, event_type: str, role: int) -> float:
        return self.thresholds.get(event_type, self.thresholds["*"])[role]

    @property
    def bits(self) -> int:
        return int(self.card["hash_bits"])

    def indices(self, names: list[list[str]]) -> list[list[int]]:
        """Each candidate's hashed feature indices, computed once for both roles."""
        bits = self.bits
        return [list(index_set(n, bits)) for n in names]

    def scores(self, indices: list[list[int]]) -> tuple[list[float], list[float]]:
        """P(source) and P(target) of each candidate from its `indices`. The float32 weights are
        added one after another in the indices' order (a cumulative sum, not numpy's pairwise
        one), which is the rounding the thresholds were chosen with."""
        out: tuple[list[float], list[float]] = ([], [])
        for idx in indices:
            sums = np.cumsum(self.weights[:, idx], axis=1)[:, -1] if idx else (0.0, 0.0)
            for role in (0, 1):
                z = self.biases[role] + float(sums[role])
                out[role].append(1.0 / (1.0 + np.exp(-z)))
        return out

    def choose(self, frame: EventFrame, found: Sequence[Mention]) -> tuple[Roles, list[Mention]]:
        """The event's source and target — the best-scored candidate of each role above its
        threshold; the target is never the source — and the candidates they were chosen from."""
        pairs = all_features(frame, found)
        pool = [m for m, _ in pairs]
        scores = self.scores(self.indices([f for _, f in pairs]))
        chosen: list[Mention | None] = [None, None]
        taken: tuple[int, int] | None = None
        for role in (0, 1):
            ranked = sorted(zip(scores[role], range(len(pool))), key=lambda x: (-x[0], x[1]))
            for p, i in ranked:
                if p < self.threshold(frame.event_type, role):
                    break
                m = pool[i]
                if taken is not None and m.first < taken[1] and taken[0] < m.last:
                    continue
                if m.last - m.first == 1 and is_function_word(frame.tokens[m.first]):
                    continue  # "شكر فيها الزملاء": "فيها" (in it) read as "يها" is no actor
                if role == 0 and frame.event_type not in CROWD_TYPES and is_count(frame.tokens, m):
                    # A count names no actor outside a crowd's protest: "العشرات من المستوطنين" is the
                    # settlers, "أصيب العشرات" has no source.
                    part = partitive_of(frame.tokens, m, pool)
                    if part is None:
                        break
                    m = part
                chosen[role] = m
                taken = (m.first, m.last) if role == 0 else taken
                break
        return Roles(chosen[0], chosen[1]), pool


_COORDINATED_KINDS = frozenset({"agent", "person", "org", "country", "demonym"})


def sources(
    frame: EventFrame, pool: Sequence[Mention], source: Mention | None, target: Mention | None = None
) -> list[Mention | None]:
    """The event's source as one or more records: actors coordinated with it ("خرج طلاب ومعلمون"،
    "المئات من الفرنسيين والمعارضين الإيرانيين") stay one source spanning them all when they share
    a country (or name none), and give one source each when they name different countries — one
    event per actor, as ACLED codes one event per actor pair. `pool`: the event's candidates
    (`candidates`), as `choose` returns them; the chain never takes in the event's `target`."""
    if source is None:
        return [None]
    if target is not None:
        pool = [m for m in pool if m.last <= target.first or target.last <= m.first]

    def joined(left: Mention, right: Mention) -> bool:
        """`right` is coordinated with `left` by و; both are actors the lexicon knows (a word it
        does not know, or a nisba, may be anything: "أجرى وزير" is no pair)."""
        return (
            right.first == left.last
            and frame.tokens[right.first][:1] == "و"
            and left.kind in _COORDINATED_KINDS
            and right.kind in _COORDINATED_KINDS
        )

    chain = [source]
    while len(chain) < 6:
        nxt = next((c for c in pool if joined(chain[-1], c)), None)
        if nxt is None:
            break
        chain.append(nxt)
    while len(chain) < 6:
        prev = next((c for c in pool if joined(c, chain[0])), None)
        if prev is None:
            break
        chain.insert(0, prev)
    between = chain[0].first > frame.first and frame.tokens.bare[chain[0].first - 1] in ("بين", "وبين")
    if len(chain) == 1 or between:
        return [source]  # "اشتباكات بين الجيش وقوات الدعم السريع": two sides, not one actor
    countries = {m.country for m in chain if m.country}
    if len(countries) > 1:
        return list(chain)
    roles = {m.role for m in chain}
    role = roles.pop() if len(roles) == 1 else source.role
    return [Mention(chain[0].first, chain[-1].last, countries.pop() if countries else None, role, None, source.kind,
                    chain[0].prefixed, chain[0].clitic)]  # fmt: skip


class RulesRanker:
    """The word-order rules' roles as a ranker (the baseline `make eval` compares with)."""

    def choose(self, frame: EventFrame, found: Sequence[Mention]) -> tuple[Roles, list[Mention]]:
        pool = candidates(frame.tokens, frame.first, frame.last, found, frame.trig_first, frame.trig_last, frame.form)
        return frame.rules, pool


def _ranks(pool: Sequence[Mention], frame: EventFrame) -> list[int]:
    before = [m for m in pool if m.last <= frame.trig_first]
    after = [m for m in pool if m.first >= frame.trig_last]
    rank: dict[int, int] = {}
    for r, m in enumerate(reversed(before)):
        rank[id(m)] = r
    for r, m in enumerate(after):
        rank[id(m)] = r
    return [rank.get(id(m), 0) for m in pool]


def all_features(frame: EventFrame, found: Sequence[Mention]) -> list[tuple[Mention, list[str]]]:
    """Every candidate of the event with its features (training reads candidates through this)."""
    pool = candidates(frame.tokens, frame.first, frame.last, found, frame.trig_first, frame.trig_last, frame.form)
    after = _after_state(frame, pool)
    return [(m, features(frame, m, r, after)) for m, r in zip(pool, _ranks(pool, frame), strict=True)]


def default_path() -> Path:
    return Path(str(resources.files("marsad.learn") / "data" / "arguments.npz"))


def save(path: Path, model: ArgumentModel) -> None:
    """Write the argument model (weights float32, card as JSON text), atomically."""
    card = {**model.card, "argument_version": ARGUMENT_VERSION, "biases": list(model.biases),
            "thresholds": {t: list(v) for t, v in model.thresholds.items()}}  # fmt: skip
    npz.write(path, {"weights": model.weights}, card)


def load(path: Path) -> ArgumentModel:
    """Read an argument model; any problem is a `ModelError` naming the file and the fix."""
    arrays, card = npz.read(path, "argument model file", _FIX)
    weights = arrays.get("weights", np.zeros(0, np.float32))
    if card.get("argument_version") != ARGUMENT_VERSION:
        raise ModelError(f"{path}: argument_version {card.get('argument_version')!r}, this Marsad needs "
                         f"{ARGUMENT_VERSION}; {_FIX}")  # fmt: skip
    bits = card.get("hash_bits")
    if not isinstance(bits, int) or weights.shape != (2, 1 << bits):
        raise ModelError(f"{path}: weights of shape {weights.shape} do not match hash_bits {bits!r}; {_FIX}")
    try:
        biases = (float(card["biases"][0]), float(card["biases"][1]))
        thresholds = {str(t): (float(v[0]), float(v[1])) for t, v in card["thresholds"].items()}
        thresholds["*"]
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        raise ModelError(f"{path}: argument model card lacks its biases or thresholds; {_FIX}") from None
    weights.setflags(write=False)
    return ArgumentModel(weights, biases, thresholds, card)


_loaded: PerKey[Path, ArgumentModel] = PerKey()


def load_arguments(path: Path | None = None) -> ArgumentModel:
    """The argument model at `path` (default: the shipped one), read once per process."""
    return _loaded.get(path or default_path(), load)
