"""Actors: find actor mentions in a sentence and pick a source and target for each trigger.

Mentions come from the actor lexicons (countries, nisbas, capitals, generic agents, named
actors). An agent followed by a nisba or a country name is one mention:
"الشرطة السودانية" → COP + SDN, "حكومة إيران" → GOV + IRN.

Arabic news is verb-first as often as noun-first, so the source of a trigger is the first actor
right after it ("تظاهر الطلاب", "مظاهرات الطلاب"), else the nearest actor before it
("الطلاب تظاهروا"); a plural verb agrees with a subject before it ("المشاركون رفعوا"). An actor
introduced by a preposition (ضد، على، بحق ...) is a target; places ("في إيران"), speakers ("قال
مصدر أمني") and lone nisba adjectives are not actors; around victim triggers (قتل، مقتل) the
counted nouns are the victims.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from marsad.lexicon.loader import ActorEntry, Lexicon
from marsad.lexicon.matcher import Match, compile_pattern, select_longest
from marsad.text.segment import PUNCT, Segmented
from marsad.text.tokens import Tokens

_QUALIFIERS = frozenset({"nisba", "demonym", "country", "capital"})
# Triggers whose nearby nouns are the victims: "قتل 20 شخصا", "ثلاثة جنود قتلوا", "مقتل ستة".
VICTIM_KEYS = frozenset({"قتل", "مقتل", "قتيل", "قتلي", "مصرع", "جرح", "جريح", "جرحي", "اصيب", "اصابه", "لقي"})
SPEAKER_REACH = 3
_TARGET_PREPOSITIONS = frozenset(
    {"ضد", "علي", "بحق", "تجاه", "نحو", "استهدف", "استهدفت", "مع", "الي", "لدي", "عن", "من", "امام"}
)
# A country or capital after these is where something happened, not who did it ("في إيران").
_LOCATIVES = frozenset({"في", "داخل", "خارج", "عبر", "الي", "من", "قرب", "شمال", "جنوب", "شرق", "غرب", "وسط", "انحاء"})
_PLACE_KINDS = frozenset({"country", "capital"})
AFTER_REACH = 3
BEFORE_REACH = 8


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor mention in token coordinates, with what the lexicon says about it."""

    first: int
    last: int
    country: str | None
    role: str | None
    name_en: str | None
    kind: str
    prefixed: bool  # the first word carries a preposition clitic: بإيران، للحكومة
    # Letters of the first word before the lexicon's word: a conjunction or preposition glued to
    # it ("والاتحاد الأوروبي"، "لداعش": 1). The actor's text starts after them (`clitic_length`).
    clitic: int = 0


def _prefixed(tokens: Tokens, match: Match[ActorEntry]) -> bool:
    word = tokens.bare[match.first]
    return word[:1] in ("ب", "ل") and not word.startswith(_head(match))


def _head(match: Match[ActorEntry]) -> str:
    """The first word of the entry's pattern as the matcher compares it (normalised, no article)."""
    return _pattern_head(match.payload.pattern)


@lru_cache(maxsize=8192)
def _pattern_head(pattern: str) -> str:
    return compile_pattern(pattern)[0].lstrip("=")


# What may be glued before a name: a conjunction, a preposition, or both ("وبإيران").
_CLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"})


def clitic_length(token: str, head: str) -> int:
    """How many letters at the start of `token` (normalised) are a conjunction or preposition glued
    to the lexicon word `head` (its pattern word, without the article): "والاتحاد"/"اتحاد" → 1,
    "لداعش"/"داعش" → 1, "وللقوات"/"قوات" → 1 (the ل of لل stands for the article's), "للقوات" → 0
    (the article has lost its alif: the word cannot start later). A ل before a word that begins
    with ل is left too: "للاجئين" is ل + اللاجئين, "للبنان" ل + لبنان, and the letters cannot tell
    which. 0 when the token does not start with a clitic before `head` (its own first letters:
    "لبنان"، "وزارة")."""
    if not head or token.startswith((head, "ال" + head)):
        return 0
    for k in (1, 2):
        prefix, rest = token[:k], token[k:]
        if prefix not in _CLITICS or (prefix.endswith("ل") and head.startswith("ل")):
            continue
        if rest.startswith((head, "ال" + head)):
            return k
        if prefix in ("و", "ف") and rest.startswith("لل" + head):
            return k
    return 0


def _spanning(
    tokens: Tokens, head: Match[ActorEntry], last: Match[ActorEntry], country: str | None, name_en: str
) -> Mention:
    """One mention from `head` through `last`, with `head`'s role and kind."""
    return Mention(
        head.first,
        last.last,
        country,
        head.payload.role,
        name_en,
        head.payload.kind,
        _prefixed(tokens, head),
        clitic_length(tokens[head.first], _head(head)),
    )


def _combine(tokens: Tokens, head: Match[ActorEntry], qualifier: Match[ActorEntry]) -> Mention:
    entry, of = head.payload, qualifier.payload
    return _spanning(tokens, head, qualifier, entry.country or of.country, f"{of.name_en} {entry.name_en}")


def _single(tokens: Tokens, match: Match[ActorEntry]) -> Mention:
    entry = match.payload
    return Mention(
        match.first,
        match.last,
        entry.country,
        entry.role,
        entry.name_en,
        entry.kind,
        _prefixed(tokens, match),
        clitic_length(tokens[match.first], _head(match)),
    )


def mentions(matches: list[Match[ActorEntry]], tokens: Tokens) -> list[Mention]:
    """Merge lexicon matches into actor mentions (agent + following nisba/country = one)."""
    return merged_mentions(select_longest(matches), tokens)


def merged_mentions(selected: list[Match[ActorEntry]], tokens: Tokens) -> list[Mention]:
    """`mentions` of matches already made non-overlapping by `select_longest`."""
    chosen = [m for m in selected if m.payload.kind != "stop"]
    out: list[Mention] = []
    i = 0
    while i < len(chosen):
        match = chosen[i]
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        if (
            nxt is not None
            and match.payload.kind not in _QUALIFIERS
            and nxt.payload.kind in _QUALIFIERS
            and nxt.first == match.last
            # "طالب مجلس الأمن إيران": an actor with a country of its own is not qualified by a
            # country name after it (that is its object); a nisba still agrees with it.
            and not (match.payload.country and nxt.payload.kind in _PLACE_KINDS)
        ):
            out.append(_combine(tokens, match, nxt))
            i += 2
            continue
        if (
            nxt is not None
            and not match.payload.country
            and match.payload.kind not in _QUALIFIERS
            and nxt.payload.kind in ("country", "demonym")
            and nxt.first == match.last + 1
            and tokens.bare[match.last] in _LED_BY
        ):
            out.append(_led_by(tokens, match, nxt))
            i += 2
            continue
        out.append(_single(tokens, match))
        i += 1
    return out


# "التحالف الدولي بقيادة الولايات المتحدة": an actor led by a country is that country's.
_LED_BY = frozenset({"بقياده", "بزعامه"})


def _led_by(tokens: Tokens, head: Match[ActorEntry], leader: Match[ActorEntry]) -> Mention:
    of = leader.payload
    return _spanning(tokens, head, leader, of.country, f"{head.payload.name_en} led by {of.name_en}")


# Actor kinds that are names: a trigger word inside one is part of the name, not an event.
NAME_KINDS = frozenset({"person", "org", "country", "capital", "nisba", "demonym"})


def name_spans(selected: list[Match[ActorEntry]]) -> list[tuple[int, int]]:
    """(first, last) of the named actors among the actor lexicon's matches (made non-overlapping by
    `select_longest`): people ("سامح شكري"), organisations ("قوات الدعم السريع"), countries ("تشاد")
    and their nisbas ("التشادي")."""
    return [(m.first, m.last) for m in selected if m.payload.kind in NAME_KINDS]


def inside_name(first: int, last: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Tokens [first, last) lie inside one of `spans` (`name_spans`)."""
    return any(lo <= first and last <= hi for lo, hi in spans)


# Named actors whose country says where their article is: "حزب الله" puts طرابلس in Lebanon.
_VOTING_KINDS = frozenset({"person", "org"})


def named_countries(found: Sequence[Mention]) -> list[str]:
    """The countries of the named people and organisations among a sentence's mentions (IGO, NGO
    ... included: they match no place, so they never vote)."""
    return [m.country for m in found if m.kind in _VOTING_KINDS and m.country]


def actor_countries(lexicon: Lexicon, seg: Segmented) -> list[tuple[int, str]]:
    """(sentence index, country) of the named people and organisations of every sentence of the
    article (`marsad places`; coding takes them from the proposals it has already made)."""
    out: list[tuple[int, str]] = []
    for s_index, sentence in enumerate(seg.sentences):
        first, last = sentence.first_token, sentence.last_token
        starts = lexicon.heads.scan(seg.tokens, first, last)[2]
        if starts:
            found = mentions(lexicon.actor_matcher.find(seg.tokens, first, last, starts), seg.tokens)
            out.extend((s_index, iso3) for iso3 in named_countries(found))
    return out


def is_place(tokens: Tokens, mention: Mention) -> bool:
    """A country or capital used as a location: "في إيران", "بطهران", "من بغداد"."""
    if mention.kind not in _PLACE_KINDS:
        return False
    if mention.prefixed:
        return True
    return mention.first > 0 and tokens.bare[mention.first - 1] in _LOCATIVES


# A relative pronoun opens a clause of its own: "لصور خامنئي ... التي انطلقت بها التظاهرات".
RELATIVES = frozenset({"التي", "الذي", "الذين", "اللذين", "اللتين", "اللواتي"})


def relative_between(tokens: Tokens, lo: int, hi: int) -> bool:
    """A relative pronoun among tokens[lo:hi]: what follows it belongs to another clause
    (a date or place there is not the event's)."""
    return any(tokens.bare[k] in RELATIVES for k in range(lo, hi))


def _crosses(tokens: Tokens, lo: int, hi: int) -> bool:
    """True when tokens[lo:hi] hold a clause boundary (punctuation or a relative pronoun)."""
    return any((tokens[k] in PUNCT and tokens[k] not in '«»"') or tokens.bare[k] in RELATIVES for k in range(lo, hi))


def is_prepositional(tokens: Tokens, mention: Mention) -> bool:
    """True when the mention is governed by a preposition ("على الشرطة", "بالمتظاهرين")."""
    if mention.prefixed:
        return True
    return mention.first > 0 and tokens.bare[mention.first - 1] in _TARGET_PREPOSITIONS


@dataclass(frozen=True, slots=True)
class Roles:
    source: Mention | None
    target: Mention | None


def speakers(found: Sequence[Mention], report_ends: Sequence[int]) -> set[int]:
    """Mentions right after a reporting verb ("قال مصدر أمني"): they speak, they do not act."""
    return {id(m) for m in found for end in report_ends if 0 <= m.first - end < SPEAKER_REACH}


def assign(
    trigger_first: int,
    trigger_last: int,
    tokens: Tokens,
    found: Sequence[Mention],
    *,
    victim_trigger: bool = False,
    speaking: frozenset[int] = frozenset(),
    subject_before: bool = False,
) -> Roles:
    """Pick source and target mentions for the trigger at tokens [trigger_first, trigger_last).

    Left out: places ("في إيران"), speakers of a reporting verb, a nisba standing alone
    ("القنصلية اليونانية" is a building, not an actor). For victim triggers (قتل، مقتل) nouns
    before the trigger or after a number are the victims, so they go to the target.
    `subject_before`: the trigger is a noun carried by a light verb ("شارك المئات ... في
    مظاهرة"), whose subject stands before the noun.
    """
    all_found = found
    found = [m for m in found if not is_place(tokens, m) and m.kind != "nisba" and id(m) not in speaking]
    if victim_trigger:
        return _assign_victims(trigger_first, trigger_last, tokens, found)
    roles = _assign_by_order(trigger_first, trigger_last, tokens, found, subject_before)
    if roles.source is None:
        # Only when no actor is named, so that every country stays traceable to its own span.
        origin = _event_nisba(trigger_last, all_found)
        if origin is not None:
            return Roles(origin, roles.target)
    return roles


def _event_nisba(trigger_last: int, found: Sequence[Mention]) -> Mention | None:
    """A nisba qualifying the event noun names its author: "الغارات الإسرائيلية", "ضربة جوية أميركية"."""
    for m in found:
        if m.kind == "nisba" and 0 <= m.first - trigger_last <= 1:
            return m
    return None


def _assign_by_order(
    trigger_first: int, trigger_last: int, tokens: Tokens, found: Sequence[Mention], subject_before: bool
) -> Roles:
    inside = [m for m in found if m.first >= trigger_first and m.last <= trigger_last]
    after = [
        m
        for m in found
        if m.first >= trigger_last
        and m.first - trigger_last <= (0 if m.kind in _PLACE_KINDS else AFTER_REACH)
        and not _crosses(tokens, trigger_last, m.first)
    ]
    before = [
        m
        for m in found
        if m.last <= trigger_first
        and trigger_first - m.last <= BEFORE_REACH
        and not _crosses(tokens, m.last, trigger_first)
    ]
    source: Mention | None = None
    if inside:
        source = inside[0]
    elif before and (subject_before or agrees_with_preceding_subject(tokens.bare[trigger_first])):
        source = before[-1]
    elif after and not is_prepositional(tokens, after[0]):
        source = after[0]
    elif before:
        source = before[-1]
    target = next(
        (
            m
            for m in found
            if m.first >= trigger_last
            and m is not source
            and m.first - trigger_last <= AFTER_REACH + 5
            and not _crosses(tokens, trigger_last, m.first)
            and (m.kind not in _PLACE_KINDS or is_prepositional(tokens, m) or m.first == trigger_last)
        ),
        None,
    )
    return Roles(source, target)


def agrees_with_preceding_subject(word: str) -> bool:
    """A plural verb follows its subject: "المشاركون رفعوا" (a verb-first clause has a singular
    verb: "رفع المشاركون"), so a plural-marked trigger takes its source from before it. `word`: the
    trigger token's bare form (`Tokens.bare`)."""
    if word.startswith("ال"):
        return False
    # Four letters are enough for "وا" (دعوا، رأوا، نفوا) but not for "ون": شؤون، عيون، سجون are nouns.
    return (len(word) > 3 and word.endswith("وا")) or (len(word) > 4 and word.endswith("ون"))


def _assign_victims(first: int, last: int, tokens: Tokens, found: Sequence[Mention]) -> Roles:
    after = [
        m for m in found if m.first >= last and m.first - last <= AFTER_REACH and not _crosses(tokens, last, m.first)
    ]
    before = [m for m in found if m.last <= first and first - m.last <= 2 and not _crosses(tokens, m.last, first)]
    source = next((m for m in after if not is_prepositional(tokens, m) and not _counted(tokens, m)), None)
    target = before[-1] if before else next((m for m in after if m is not source), None)
    return Roles(source, target)


def _counted(tokens: Tokens, mention: Mention) -> bool:
    """A mention right after a number: "ستة متشددين", "20 شخصا" — a count of victims."""
    i = mention.first - 1
    return i >= 0 and (tokens[i].isdigit() or tokens.bare[i] in _NUMERALS)


_NUMERALS = frozenset(
    {"ثلاثه", "اربعه", "خمسه", "سته", "سبعه", "ثمانيه", "تسعه", "عشره", "ثلاث", "اربع", "خمس", "ست", "سبع",
     "ثماني", "تسع", "عشر", "عشرات", "مئات", "الاف", "عده", "احد", "اثنين", "اثنان"}
)  # fmt: skip

# Words after a verb that are not its subject (time, place and function words).
_SKIPPABLE = frozenset(
    {"امس", "اليوم", "الليله", "صباح", "مساء", "فجر", "ظهر", "ايضا", "مجددا", "نحو", "حوالي", "قرابه"}
)
# Words that end the search: after them comes an object or a clause, not the subject.
_NOT_SUBJECT = frozenset(
    {"في", "من", "علي", "الي", "عن", "مع", "امام", "قرب", "داخل", "خارج", "بعد", "قبل", "خلال", "منذ", "عند",
     "حيث", "كما", "ان", "انه", "قد", "لقد", "ثم", "اول", "اكثر", "اقل", "يوم", "هذا", "هذه", "ذلك", "تلك",
     "الذي", "التي", "الذين", "ما", "لا", "لم", "لن", "او", "بين", "ضد", "لدي", "تجاه", "بحق"}
)  # fmt: skip
_CROWD = frozenset(
    {"المئات", "مئات", "العشرات", "عشرات", "الالاف", "الاف", "الملايين", "ملايين", "حشود", "الحشود", "جموع", "الجموع"}
)


def unknown_source(tokens: Tokens, after: int, last: int) -> Mention | None:
    """The word right after a verb trigger, as an actor the lexicon does not know.

    "تظاهر المئات" → "المئات" (a crowd: CVL); "اغتال مجهولون" → "مجهولون" (role unknown).
    """
    index = after
    while index < last and tokens.bare[index] in _SKIPPABLE:
        index += 1
    if index >= last or index - after > 2 or tokens[index] in PUNCT or tokens[index].isdigit():
        return None
    if tokens.bare[index] in _NOT_SUBJECT or len(tokens[index]) < 3:
        return None
    role = "CVL" if tokens.bare[index] in _CROWD else None
    return Mention(index, index + 1, None, role, None, "unknown", False)
