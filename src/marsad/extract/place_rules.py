"""Context rules of place recognition: when a gazetteer name in running text is a common word.

Arabic has no capital letters, so each rule reads the words around a name: the stoplist (آلة
never; مشهد only after a locative cue), nisba adjectives (الإيرانية), adjective and idafa
agreement (العقبة الرئيسية، جدة الطفلة), person and organisation names (نادي الكويت), verbs
(إن النيران تدمر) and fixed compounds (جوز الهند). Used by `marsad.extract.places`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from marsad.errors import LexiconError
from marsad.geo.gazetteer import Gazetteer, NameRow, name_key
from marsad.lexicon.loader import data_dir as lexicon_data_dir
from marsad.lexicon.loader import read_tsv
from marsad.memo import load_once
from marsad.text.segment import Segmented

__all__ = [
    "ADMIN_WORDS",
    "CONTEXT_KINDS",
    "LOCATIVE_CUES",
    "Site",
    "clitic_forms",
    "is_adjective_shaped",
    "is_definite",
    "place_context",
    "reads_as_common_word",
    "word_forms",
]

# Words after which a name is read as a place ("في مشهد" is Mashhad; "في مشهد مؤثر" is not, but
# the stoplist's cue rule is the best a light analyser can do). Normalised forms.
LOCATIVE_CUES = frozenset(
    [
        "في",
        "الي",  # إلى after folding (ى → ي)
        "من",
        "نحو",
        "قرب",
        "بقرب",
        "امام",
        "داخل",
        "خارج",
        "عند",
        "حتى",
        "باتجاه",
        "شمال",
        "جنوب",
        "شرق",
        "غرب",
        "وسط",
        "شمالي",
        "جنوبي",
        "شرقي",
        "غربي",
        "مدينه",
        "بلده",
        "قريه",
        "محافظه",
        "ولايه",
        "مقاطعه",
        "اقليم",
        "قضاء",  # the districts of Iraq, Lebanon and Jordan (قضاء سنجار), Jordan's لواء (لواء الجفر)
        "لواء",  # and Yemen's مديرية (مديرية معين): the indefinite forms only (ناحية is also "towards")
        "مديريه",
        "منطقه",
        "عاصمه",
        "العاصمه",
        "ريف",
        "ضواحي",
        "اطراف",
        "مخيم",
        "مدن",
        "بلدات",
        "شوارع",
        "ساحات",
        "انحاء",
        "مختلف",
        "محيط",
        "بمحيط",
    ]
)

ADMIN_WORDS = frozenset(("ولايه", "محافظه", "مقاطعه", "اقليم"))
CONTEXT_KINDS = ("facility", "demand", "topic")


@load_once
def place_context() -> dict[str, str]:
    """lexicon/data/place_context.tsv: normalised word → its kind (`CONTEXT_KINDS`)."""
    words: dict[str, str] = {}
    for where, row in read_tsv(lexicon_data_dir() / "place_context.tsv", ("word", "type", "gloss", "example")):
        key = name_key(row["word"])
        if row["type"] not in CONTEXT_KINDS or len(key) != 1:
            raise LexiconError(f"{where}: one word of type {CONTEXT_KINDS}, not {row['word']!r} {row['type']!r}")
        words[key[0]] = row["type"]
    return words


def context_kind(token: str) -> str | None:
    """The kind of a context word, through its clitics and article (بمطار → مطار facility; بإسقاط
    النظام في إيران: النظام → نظام demand)."""
    context = place_context()
    for form in word_forms(token):
        if form in context:
            return context[form]
        if form.startswith("ال") and len(form) > 4 and form[2:] in context:
            return context[form[2:]]
    return None


_CONJ = "وف"
BARE_NAME_MIN_POPULATION = 50_000
_PREP = "بلك"
_PRONOUNS = ("هما", "هم", "هن", "ها", "كم", "كن", "نا")
_PREPOSITIONS = frozenset(("في", "من", "علي", "الي", "عن", "ل", "ب", "مع", "عند", "لدي", "منذ"))
_INNA = frozenset(("ان", "لان", "بان", "كان"))  # إنّ and its sisters: "إن النيران تدمر" is a verb
_PRONOUN_SUBJECTS = frozenset(("ه", "ها", "هم", "هما", "هن", "ني", "نا", "كم"))
_PARTICLES = _PREPOSITIONS | _INNA | frozenset(("لكن", "بعد", "قبل", "حول", "بين", "ضد", "دون", "عبر", "خلال", "مثل"))


@lru_cache(maxsize=131_072)
def clitic_forms(token: str) -> tuple[tuple[str, str], ...]:
    """The token and the forms left after peeling proclitics, with what was peeled.

    >>> clitic_forms("وبالقاهره")
    (('وبالقاهره', ''), ('بالقاهره', 'و'), ('القاهره', 'وب'))
    """
    forms = [(token, "")]
    if len(token) > 3 and token[0] in _CONJ:
        forms.append((token[1:], token[0]))
    for base, peeled in list(forms):
        if base.startswith("لل") and len(base) > 4:
            forms.append(("ال" + base[2:], peeled + "ل"))  # للقاهرة: ل + القاهرة
            forms.append((base[1:], peeled + "ل"))  # للبنان: ل + لبنان
        elif len(base) > 3 and base[0] in _PREP:
            forms.append((base[1:], peeled + base[0]))
    return tuple(forms)


@lru_cache(maxsize=131_072)
def word_forms(token: str) -> tuple[str, ...]:
    """The token and its forms without proclitics: "وفي" → ("وفي", "في")."""
    return tuple(form for form, _ in clitic_forms(token))


def is_definite(word: str) -> bool:
    """Definite by the article or by a possessive pronoun: الخوذات، خوذاتهم (not فيها)."""
    if word.startswith("ال"):
        return True
    stem = next((word[: -len(p)] for p in _PRONOUNS if word.endswith(p)), "")
    return len(stem) >= 2 and stem not in _PARTICLES


def is_adjective_shaped(word: str) -> bool:
    """A definite word with an adjective's pattern: nisba (الأمنية), participle (المقدس، المؤدي),
    elative (الأقصر، الكبرى), فعيل (الجديدة), فعلاء (الزرقاء), فاعّ (العامة)."""
    if not word.startswith("ال"):
        return False
    stem = word[2:].removesuffix("ه")
    return (
        (stem.endswith("ي") and len(stem) >= 4)
        or (stem.startswith("م") and len(stem) >= 4)
        or (len(stem) == 4 and (stem[0] == "ا" or stem[2] == "ي"))
        or (len(stem) == 5 and stem.endswith("اء"))
        or (len(stem) == 3 and stem[1] == "ا")
    )


def _takes_feminine(word: str) -> bool:
    """Feminine, or a plural (sound ات or broken مفاعيل), which takes a feminine adjective."""
    stem = word.removeprefix("ال")
    return word.endswith(("ه", "ات")) or (stem.startswith("م") and len(stem) >= 5 and stem[2] == "ا")


def _verb_shaped(word: str) -> bool:
    """A past verb in ‑ت (شهدت) or an imperfect in ت/ي (تستضيف): nouns in ‑ة end in ه after folding."""
    return (word.endswith("ت") and not word.endswith("ات")) or (
        len(word) >= 4 and word[0] in "يت" and not word.endswith(("ه", "ات"))
    )


@dataclass(frozen=True, slots=True)
class Site:
    """A name found at tokens [i, end) of a sentence spanning tokens [first, last)."""

    seg: Segmented
    gaz: Gazetteer
    first: int
    last: int
    i: int
    row: NameRow
    cue: str | None
    after_place: bool

    @property
    def end(self) -> int:
        return self.i + len(self.row.key)

    @property
    def word(self) -> str:
        return self.row.key[0] if len(self.row.key) == 1 else ""

    def before(self, k: int = 1) -> str:
        return self.seg.tokens[self.i - k] if self.i - k >= self.first else ""

    def after(self, k: int = 0) -> str:
        return self.seg.tokens[self.end + k] if self.end + k < self.last else ""

    def roles(self, token: str) -> frozenset[str]:
        return frozenset().union(*(self.gaz.roles.get(f, frozenset()) for f in word_forms(token)))

    def is_place(self, token: str) -> bool:
        """A name that is not a stoplisted common word (الجديدة is not), or a locative cue."""
        rows = (r for f in word_forms(token)[:2] for r in self.gaz.names.get(f, ()))
        return token in LOCATIVE_CUES or any(r.key not in self.gaz.stop for r in rows)

    def is_qualifier(self, token: str) -> bool:
        """A word that may follow a place name: a place, a cue, a nisba, an epithet, a time word."""
        return self.is_place(token) or token in self.gaz.nisba or bool(self.roles(token) & {"epithet", "time"})


def _looks_like_phrase_head(site: Site) -> bool:
    """For cue-only names: "في مشهد مؤثر", "في صور المعتقلين", "في مشهد غير مألوف", "في بورصة
    اسطنبول" continue as a noun phrase, so the word is not the place."""
    following = site.after()
    if not following or following in LOCATIVE_CUES or "time" in site.roles(following) or _tag_follows(site):
        return False  # "في حماة اليوم": a time word continues no noun phrase
    if following == "غير" or _is_known_city_or_country(site.gaz, following):
        return True
    return following.startswith("ال") or (following.startswith("م") and len(following) >= 4)


def _tag_follows(site: Site) -> bool:
    """The next word opens a hashtag of its own ("بالشرقية #حفرالباطن"): no phrase continues into it."""
    seg = site.seg
    start, name = seg.starts[site.end], seg.starts[site.i]
    return any(a <= start < b and not a <= name < b for a, b in seg.norm.hashtags)


def _is_known_city_or_country(gaz: Gazetteer, token: str) -> bool:
    """A one-word name of a country or of a city of 100,000 or more (اسطنبول; not صباح)."""
    rows = [r for r in gaz.names.get(token, ()) if len(r.key) == 1 and r.key not in gaz.stop]
    entries = [gaz.entries[e] for r in rows for e in r.entries]
    return any(e.feature == "country" or (e.feature == "city" and e.population >= 100_000) for e in entries)


def is_minor(site: Site) -> bool:
    """A one-word name of towns all under `BARE_NAME_MIN_POPULATION`, with no cue before it: in
    running text such words are far more often common nouns or personal names than the town."""
    if len(site.row.key) > 1:
        return False
    entries = [site.gaz.entries[e] for e in site.row.entries]
    return all(e.feature == "city" and e.population < BARE_NAME_MIN_POPULATION for e in entries)


def _follows_definite_noun(site: Site) -> bool:
    """A definite name that agrees with the definite noun before it is its adjective: القبضة
    الحديدة، خوذاتهم الزرقاء، السلك الموصل للتيار، بالقنابل المسيلة للدموع، الطريق الأقصر."""
    word, previous = site.word, site.before()
    if not word.startswith("ال") or site.after_place or not previous or site.cue is not None:
        return False
    nouns = [f for f in word_forms(previous) if is_definite(f) and f not in LOCATIVE_CUES]
    if not nouns or site.is_place(previous):
        return False
    noun, stem = nouns[-1], word[2:]
    feminine_noun = _takes_feminine(noun) or noun.removesuffix(
        next((p for p in _PRONOUNS if noun.endswith(p)), "")
    ).endswith("ت")
    if (word.endswith("ه") or (stem.endswith("اء") and len(stem) == 5)) and feminine_noun:
        return True
    if stem.startswith("م") and len(stem) >= 4 and site.after().startswith("ل"):
        return True
    return len(stem) == 4 and stem[0] == "ا" and not feminine_noun


def _heads_adjective(site: Site) -> bool:
    """A definite name followed by an agreeing definite adjective is a common noun: العقبة
    الرئيسية، الرباط المقدس، الميادين العامة (not الموصل القديمة, an epithet; not الرقة السورية)."""
    word, following = site.word, site.after()
    if not word.startswith("ال") or not is_adjective_shaped(following) or site.is_qualifier(following):
        return False
    return _takes_feminine(word) == following.endswith("ه")


def _heads_idafa(site: Site) -> bool:
    """An indefinite name followed by a definite or pronoun-suffixed noun, with no cue before it,
    is the first term of an idafa: جدة الطفلة، سوسة النخيل (not after a transitive verb, where the
    name is the subject: تستضيف جدة القمة; not a country)."""
    word, following, previous = site.word, site.after(), site.before()
    if not word or word.startswith("ال") or site.cue is not None or site.after_place:
        return False
    if not is_definite(following) or site.is_qualifier(following) or following in ADMIN_WORDS:
        return False
    if following.startswith("ال") and (following.startswith("الم") or following.endswith(("ي", "يه"))):
        return False  # participle or nisba: غزة المحاصرة، بغداد الجديدة is an epithet row
    if _verb_shaped(previous) and "speech" not in site.roles(previous):
        return False
    return not any(site.gaz.entries[e].feature in ("country", "region") for e in site.row.entries)


def _in_person_or_org(site: Site) -> bool:
    """أبو الخليل، نادي الريان، ريال مدريد، العميد صلاح الدين; مانشستر سيتي، سوريا الديمقراطية;
    "قالت صوفيا، وهي طالبة" and "قال X الجبوري" (a speech verb, then apposition or family name)."""
    if "before" in site.roles(site.before()) or "after" in site.roles(site.after()):
        return True
    if "speech" not in site.roles(site.before()):
        return False
    following = site.after()
    if following in ("،", ",") and site.after(1) in ("وهي", "وهو"):
        return True
    return following.startswith("ال") and following.endswith("ي") and not site.is_qualifier(following)


def _is_verb(site: Site) -> bool:
    """An imperfect-shaped name after "إن + definite noun" is the verb: إن النيران تدمر."""
    word = site.word
    if not word or word[0] not in "يت" or site.cue is not None or site.after_place:
        return False
    subject, particle = site.before(1), site.before(2)
    return subject.startswith("ال") and not site.is_place(subject) and bool(set(word_forms(particle)) & _INNA)


def _after_inna_with_pronoun(site: Site) -> bool:
    """A one-word name right after إن/أن carrying its subject pronoun (إنه، أنها، لأنهم), with no cue
    and followed by a word that is no place qualifier, is the clause's verb: "قال إنه حلب أبقاره"."""
    previous, following = site.before(), site.after()
    if not site.word or site.cue is not None or site.after_place or not following:
        return False
    inna = any(previous.startswith(p) and previous[len(p) :] in _PRONOUN_SUBJECTS for p in _INNA)
    return inna and not site.is_qualifier(following) and following not in ("،", ",", ".")


def _hamza_differs(site: Site) -> bool:
    """A short one-word name read where the text has a medial hamza that the name lacks: بفأس (an
    axe) is not فاس after hamza folding; رأس keeps its hamza in the gazetteer."""
    if len(site.row.key) != 1 or len(site.word) > 4 or any(c in site.row.written for c in "أإآؤئء"):
        return False
    norm = site.seg.norm
    start, end = norm.orig_span(site.seg.starts[site.i], site.seg.ends[site.i])
    surface = norm.original[start:end]
    return any(c in surface[1:] for c in "أؤئء")


def _is_indefinite_adjective(site: Site) -> bool:
    """A nisba-shaped name right after an indefinite noun it agrees with is its adjective: نقصا
    مالي (accusative ‑ا), حسابات مالية، أزمة مالية (feminine or plural)."""
    word, previous = site.word, site.before()
    if site.cue is not None or site.after_place or len(previous) < 3 or previous.startswith("ال"):
        return False
    if word.endswith("ي"):
        return previous.endswith("ا") and not previous.endswith("وا")
    return word.endswith("يه") and previous.endswith(("ه", "ات")) and previous not in LOCATIVE_CUES


def _in_fixed_compound(site: Site) -> bool:
    """A `never` stoplist row that holds words around the name: جوز الهند، مسقط رأسه، جنات عدن."""
    tokens, stop = site.seg.tokens, site.gaz.stop
    if site.gaz.compound_ends.isdisjoint(tokens[site.i : site.end + 1]):
        return False
    spans = [(site.i - b, site.end + a) for b in (0, 1, 2) for a in (0, 1) if a or b]
    for lo, hi in spans:
        if lo >= site.first and hi <= site.last:
            tail = tuple(tokens[lo + 1 : hi])
            if any(stop.get((form, *tail)) == "never" for form in word_forms(tokens[lo])):
                return True
    return False


def _is_adjective(site: Site) -> bool:
    """A nisba form (الإيرانية) is an adjective; one that is also a country or a city (السعودية،
    السليمانية) is an adjective only right after a definite noun that is not a place."""
    if len(site.row.key) != 1 or site.word not in site.gaz.nisba:
        return False
    if not any(site.gaz.entries[e].feature in ("country", "city") for e in site.row.entries):
        return True
    previous = site.before()
    return previous.startswith("ال") and previous not in LOCATIVE_CUES and not site.after_place


def _stoplisted(site: Site) -> bool:
    rule = site.gaz.stop.get(site.row.key)
    if rule == "never":
        return True
    return rule == "cue" and (site.cue is None or _looks_like_phrase_head(site))


_COMMON_WORD_RULES = (
    _is_adjective,
    _follows_definite_noun,
    _heads_adjective,
    _heads_idafa,
    _in_person_or_org,
    _is_verb,
    _after_inna_with_pronoun,
    _hamza_differs,
    _is_indefinite_adjective,
    _in_fixed_compound,
)


def _is_common_word(site: Site) -> bool:
    """Whether the name at `site` is read as a common word, not a place."""
    if site.cue is None and not site.after_place and is_minor(site):
        return True
    return any(rule(site) for rule in _COMMON_WORD_RULES)


def reads_as_common_word(site: Site) -> bool:
    """Whether the name at `site` is a common word: stoplisted, or caught by a context rule."""
    return _stoplisted(site) or _is_common_word(site)
