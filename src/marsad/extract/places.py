"""Place recognition and resolution against the Arabic gazetteer.

Recognition scans the tokens of each sentence for the longest gazetteer name, after peeling
proclitics off the first word (وبغداد → و + بغداد, للقاهرة → ل + القاهرة). Arabic has no
capital letters, so three guards keep common words out: the stoplist (آلة never, مشهد only
after a locative cue such as في/إلى/قرب/مدينة), nisba adjectives (الإيرانية is Iranian, not a
place; السعودية is the country unless it follows a definite noun), and the cue itself.

Resolution picks among the entries a name may mean (طرابلس: Libya or Lebanon) by the countries
named or implied in the sentence and the article, "X في Y" with Y a country, the feature a cue
asks for (مدينة, محافظة), then population.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from marsad.geo.gazetteer import CORE_ISO2, Gazetteer, GeoEntry, NameRow, load_gazetteer
from marsad.model import Place
from marsad.text.normalize import normalize
from marsad.text.segment import Segmented, segment

__all__ = ["PlaceMention", "find_places", "place_records"]

# Words after which a name is read as a place ("في مشهد" is Mashhad; "في مشهد مؤثر" is not, but
# the stoplist's cue rule is the best a light analyser can do). Normalised forms.
LOCATIVE_CUES = frozenset(
    [
        "في",
        "الى",
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
DATELINE = "—"  # the cue of a name that opens a dateline: "تونس - ", "حماة: "
_FEATURE_CUES = {"مدينه": "city", "بلده": "city", "قريه": "city", "العاصمه": "city", "عاصمه": "city"}
_FEATURE_CUES |= dict.fromkeys(("محافظه", "ولايه", "مقاطعه", "اقليم"), "admin") | {DATELINE: "city"}
_ADMIN_WORDS = frozenset(("ولايه", "محافظه", "مقاطعه", "اقليم"))
_EMBASSY = frozenset(("سفاره", "السفاره", "قنصليه", "القنصليه", "بعثه", "البعثه"))
_CONJ = "وف"
BARE_NAME_MIN_POPULATION = 50_000
_PREP = "بلك"
_PRONOUNS = ("هما", "هم", "هن", "ها", "كم", "كن", "نا")
_PREPOSITIONS = frozenset(("في", "من", "علي", "الي", "عن", "ل", "ب", "مع", "عند", "لدي", "منذ"))
_INNA = frozenset(("ان", "لان", "بان", "كان"))  # إنّ and its sisters: "إن النيران تدمر" is a verb
_PARTICLES = _PREPOSITIONS | _INNA | frozenset(("لكن", "بعد", "قبل", "حول", "بين", "ضد", "دون", "عبر", "خلال", "مثل"))
_DASHES = frozenset("-–—ـ")
PEELED_PENALTY = 0.3  # وجدة is read whole (Oujda) unless the peeled reading (و + جدة) is much bigger


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A resolved place name: tokens [first_token, last_token) of sentence `sentence`."""

    place: Place
    first_token: int
    last_token: int
    sentence: int
    score: float


@dataclass(frozen=True, slots=True)
class _Candidate:
    row: NameRow
    first: int
    last: int
    sentence: int
    cue: str | None  # the locative cue before the name ("في", "ب" written on it, DATELINE)
    alternate: NameRow | None = None  # "وجدة" (Oujda) read as و + جدة (Jeddah)


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
            forms.append(("ال" + base[2:], peeled + "ل"))
        elif len(base) > 3 and base[0] in _PREP:
            forms.append((base[1:], peeled + base[0]))
    return tuple(forms)


def _forms(token: str) -> tuple[str, ...]:
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
class _Site:
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
        return frozenset().union(*(self.gaz.roles.get(f, frozenset()) for f in _forms(token)))

    def is_place(self, token: str) -> bool:
        """A name that is not a stoplisted common word (الجديدة is not), or a locative cue."""
        rows = (r for f in _forms(token)[:2] for r in self.gaz.names.get(f, ()))
        return token in LOCATIVE_CUES or any(r.key not in self.gaz.stop for r in rows)

    def is_qualifier(self, token: str) -> bool:
        """A word that may follow a place name: a place, a cue, a nisba, an epithet, a time word."""
        return self.is_place(token) or token in self.gaz.nisba or bool(self.roles(token) & {"epithet", "time"})


def _cue_before(seg: Segmented, first: int, i: int, peeled: str) -> str | None:
    """The locative cue right before token `i`: a cue word (وفي → في، بولاية → ولاية) or a ب
    written on the name."""
    if "ب" in peeled:
        return "ب"
    if i > first:
        return next((form for form in _forms(seg.tokens[i - 1]) if form in LOCATIVE_CUES), None)
    return None


def _is_dateline(seg: Segmented, first: int, i: int, end: int) -> bool:
    """ "تونس - ", "حماة: ": a sentence-initial name followed by a dash or a colon."""
    if i != first or end >= len(seg.tokens):
        return False
    between = seg.norm.text[seg.ends[end - 1] : seg.starts[end]]
    return seg.tokens[end] == ":" or any(c in _DASHES for c in between)


def _in_partial_hashtag(seg: Segmented, i: int, end: int) -> bool:
    """ "#الواحات_في_خطر" holds الواحات as a word; "#غزة" is a place."""
    start, stop = seg.starts[i], seg.ends[end - 1]
    for tag_start, tag_end in seg.norm.hashtags:
        if tag_start <= start and stop <= tag_end:
            return seg.norm.text[tag_start:tag_end].strip("# ") != seg.norm.text[start:stop]
    return False


def _looks_like_phrase_head(site: _Site) -> bool:
    """For cue-only names: "في مشهد مؤثر", "في صور المعتقلين", "في مشهد غير مألوف", "في بورصة
    اسطنبول" continue as a noun phrase, so the word is not the place."""
    following = site.after()
    if not following or following in LOCATIVE_CUES:
        return False
    if following == "غير" or _is_known_city_or_country(site.gaz, following):
        return True
    return following.startswith("ال") or (following.startswith("م") and len(following) >= 4)


def _is_known_city_or_country(gaz: Gazetteer, token: str) -> bool:
    """A one-word name of a country or of a city of 100,000 or more (اسطنبول; not صباح)."""
    rows = [r for r in gaz.names.get(token, ()) if len(r.key) == 1 and r.key not in gaz.stop]
    entries = [gaz.entries[e] for r in rows for e in r.entries]
    return any(e.feature == "country" or (e.feature == "city" and e.population >= 100_000) for e in entries)


def _is_minor(site: _Site) -> bool:
    """A one-word name of towns all under `BARE_NAME_MIN_POPULATION`, with no cue before it: in
    running text such words are far more often common nouns or personal names than the town."""
    if len(site.row.key) > 1:
        return False
    entries = [site.gaz.entries[e] for e in site.row.entries]
    return all(e.feature == "city" and e.population < BARE_NAME_MIN_POPULATION for e in entries)


def _follows_definite_noun(site: _Site) -> bool:
    """A definite name that agrees with the definite noun before it is its adjective: القبضة
    الحديدة، خوذاتهم الزرقاء، السلك الموصل للتيار، بالقنابل المسيلة للدموع، الطريق الأقصر."""
    word, previous = site.word, site.before()
    if not word.startswith("ال") or site.after_place or not previous or site.cue is not None:
        return False
    nouns = [f for f in _forms(previous) if is_definite(f) and f not in LOCATIVE_CUES]
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


def _heads_adjective(site: _Site) -> bool:
    """A definite name followed by an agreeing definite adjective is a common noun: العقبة
    الرئيسية، الرباط المقدس، الميادين العامة (not الموصل القديمة, an epithet; not الرقة السورية)."""
    word, following = site.word, site.after()
    if not word.startswith("ال") or not is_adjective_shaped(following) or site.is_qualifier(following):
        return False
    return _takes_feminine(word) == following.endswith("ه")


def _heads_idafa(site: _Site) -> bool:
    """An indefinite name followed by a definite or pronoun-suffixed noun, with no cue before it,
    is the first term of an idafa: جدة الطفلة، سوسة النخيل (not after a transitive verb, where the
    name is the subject: تستضيف جدة القمة; not a country)."""
    word, following, previous = site.word, site.after(), site.before()
    if not word or word.startswith("ال") or site.cue is not None or site.after_place:
        return False
    if not is_definite(following) or site.is_qualifier(following) or following in _ADMIN_WORDS:
        return False
    if following.startswith("ال") and (following.startswith("الم") or following.endswith(("ي", "يه"))):
        return False  # participle or nisba: غزة المحاصرة، بغداد الجديدة is an epithet row
    if _verb_shaped(previous) and "speech" not in site.roles(previous):
        return False
    return not any(site.gaz.entries[e].feature == "country" for e in site.row.entries)


def _in_person_or_org(site: _Site) -> bool:
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


def _is_verb(site: _Site) -> bool:
    """An imperfect-shaped name after "إن + definite noun" is the verb: إن النيران تدمر."""
    word = site.word
    if not word or word[0] not in "يت" or site.cue is not None or site.after_place:
        return False
    subject, particle = site.before(1), site.before(2)
    return subject.startswith("ال") and not site.is_place(subject) and bool(set(_forms(particle)) & _INNA)


def _is_indefinite_adjective(site: _Site) -> bool:
    """A nisba-shaped name right after an indefinite noun it agrees with is its adjective: نقصا
    مالي (accusative ‑ا), حسابات مالية، أزمة مالية (feminine or plural)."""
    word, previous = site.word, site.before()
    if site.cue is not None or site.after_place or len(previous) < 3 or previous.startswith("ال"):
        return False
    if word.endswith("ي"):
        return previous.endswith("ا") and not previous.endswith("وا")
    return word.endswith("يه") and previous.endswith(("ه", "ات")) and previous not in LOCATIVE_CUES


def _in_fixed_compound(site: _Site) -> bool:
    """A `never` stoplist row that holds words around the name: جوز الهند، مسقط رأسه، جنات عدن."""
    tokens, stop = site.seg.tokens, site.gaz.stop
    spans = [(site.i - b, site.end + a) for b in (0, 1, 2) for a in (0, 1) if a or b]
    for lo, hi in spans:
        if lo >= site.first and hi <= site.last:
            tail = tuple(tokens[lo + 1 : hi])
            if any(stop.get((form, *tail)) == "never" for form in _forms(tokens[lo])):
                return True
    return False


def _is_adjective(site: _Site) -> bool:
    """A nisba form (الإيرانية) is an adjective; one that is also a country or a city (السعودية،
    السليمانية) is an adjective only right after a definite noun that is not a place."""
    if len(site.row.key) != 1 or site.word not in site.gaz.nisba:
        return False
    if not any(site.gaz.entries[e].feature in ("country", "city") for e in site.row.entries):
        return True
    previous = site.before()
    return previous.startswith("ال") and previous not in LOCATIVE_CUES and not site.after_place


def _stoplisted(site: _Site) -> bool:
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
    _is_indefinite_adjective,
    _in_fixed_compound,
)


def _is_common_word(site: _Site) -> bool:
    """Whether the name at `site` is read as a common word, not a place."""
    if site.cue is None and not site.after_place and _is_minor(site):
        return True
    return any(rule(site) for rule in _COMMON_WORD_RULES)


def _peelable(gaz: Gazetteer, row: NameRow) -> bool:
    """A name found under a peeled clitic must be a strong one: ورقة is not و + رقة,
    بلاتر is not ب + Latur; وبغداد is و + بغداد."""
    if len(row.key) > 1 or row.key[0].startswith("ال"):
        return True
    entries = [gaz.entries[e] for e in row.entries]
    return any(e.feature != "city" or e.iso2 in CORE_ISO2 or e.population >= 1_000_000 for e in entries) and (
        len(row.key[0]) > 3 or any(e.population >= 500_000 or e.feature == "country" for e in entries)
    )


def _matches_at(seg: Segmented, gaz: Gazetteer, i: int, last: int) -> list[tuple[NameRow, str]]:
    """The longest names starting at token `i`, one per clitic reading (وجدة: Oujda; و + Jeddah)."""
    best: list[tuple[NameRow, str]] = []
    for form, peeled in clitic_forms(seg.tokens[i]):
        for row in gaz.names.get(form, ()):
            if peeled and not _peelable(gaz, row):
                continue
            n = len(row.key)
            if i + n <= last and seg.tokens[i + 1 : i + n] == row.key[1:]:
                if not best or n > len(best[0][0].key):
                    best = [(row, peeled)]
                elif n == len(best[0][0].key):
                    best.append((row, peeled))
                break  # rows are sorted longest first
    return best


def _recognise(seg: Segmented, gaz: Gazetteer) -> list[_Candidate]:
    found: list[_Candidate] = []
    for s, sentence in enumerate(seg.sentences):
        i, first, last = sentence.first_token, sentence.first_token, sentence.last_token
        while i < last:
            matches = _matches_at(seg, gaz, i, last)
            if not matches:
                i += 1
                continue
            candidate = _candidate(seg, gaz, s, first, last, i, found, matches)
            if candidate is not None:
                found.append(candidate)
            i += len(matches[0][0].key) if candidate is not None or gaz.stop.get(matches[0][0].key) != "never" else 1
    return found


def _candidate(
    seg: Segmented,
    gaz: Gazetteer,
    s: int,
    first: int,
    last: int,
    i: int,
    found: list[_Candidate],
    matches: list[tuple[NameRow, str]],
) -> _Candidate | None:
    """The candidate for the name at token `i`, or None when the guards read it as a common word."""
    (row, peeled), others = matches[0], matches[1:]
    end = i + len(row.key)
    if _in_partial_hashtag(seg, i, end):
        return None
    after_place = bool(found) and found[-1].last == i and found[-1].sentence == s
    cue = _cue_before(seg, first, i, peeled)
    if cue is None and _is_dateline(seg, first, i, end):
        cue = DATELINE
    if cue is None and after_place and "و" in peeled + "".join(p for _, p in others):
        cue = "و"  # "الفلوجة والرمادي": a name joined to a place shares its cue
    site = _Site(seg, gaz, first, last, i, row, cue, after_place)
    if _stoplisted(site) or _is_common_word(site):
        return None
    coordinated = cue is None or cue in ("و", DATELINE)  # no و right after في
    return _Candidate(row, i, end, s, cue, others[0][0] if others and coordinated else None)


def _implied_countries(seg: Segmented, gaz: Gazetteer) -> list[tuple[int, str]]:
    """(sentence, iso3) for nisba adjectives: الحكومة الليبية implies Libya (not after سفارة)."""
    implied: list[tuple[int, str]] = []
    for s, sentence in enumerate(seg.sentences):
        for i in range(sentence.first_token, sentence.last_token):
            for form, _ in clitic_forms(seg.tokens[i])[:2]:
                iso3 = gaz.nisba.get(form)
                if iso3 is not None and not (i > 0 and seg.tokens[i - 1] in _EMBASSY):
                    implied.append((s, iso3))
                    break
    return implied


def _context(cands: list[_Candidate], seg: Segmented, gaz: Gazetteer) -> tuple[dict[str, float], dict[int, set[str]]]:
    """Country weights over the article and the countries of each sentence."""
    article: dict[str, float] = {}
    by_sentence: dict[int, set[str]] = {}
    for c in cands:
        if c.alternate is not None:
            continue  # "وجدة" may be Oujda or و + Jeddah: it does not vote for Morocco
        countries = {gaz.entries[e].iso3 for e in c.row.entries} - {None}
        if len(countries) == 1:
            iso3 = countries.pop()
            assert iso3 is not None
            article[iso3] = article.get(iso3, 0.0) + 1.0
            by_sentence.setdefault(c.sentence, set()).add(iso3)
    for s, iso3 in _implied_countries(seg, gaz):
        article[iso3] = article.get(iso3, 0.0) + 0.5
        by_sentence.setdefault(s, set()).add(iso3)
    return article, by_sentence


def _narrowing_country(cands: list[_Candidate], k: int, seg: Segmented, gaz: Gazetteer) -> str | None:
    """The country a qualifier puts X in: a nisba right after it (مدينة ليل الفرنسية، ولاية
    جورجيا الأمريكية); "X في Y" / "X، Y" / "X بY" with Y a country; "X بولاية Y" / "X في محافظة Y"
    with Y a place of one country."""
    here = cands[k]
    if here.last < seg.sentences[here.sentence].last_token and seg.tokens[here.last] in gaz.nisba:
        return gaz.nisba[seg.tokens[here.last]]
    if k + 1 >= len(cands) or cands[k + 1].sentence != here.sentence:
        return None
    after = cands[k + 1]
    gap = seg.tokens[here.last : after.first]
    places = [gaz.entries[e] for e in after.row.entries]
    if after.cue in _ADMIN_WORDS and (len(gap) == 1 or (len(gap) == 2 and gap[0] == "في")):
        countries = {e.iso3 for e in places}
        return countries.pop() if len(countries) == 1 else None
    if len(gap) > 1 or (gap and gap[0] not in ("في", "،", ",")) or (not gap and after.cue != "ب"):
        return None
    return next((e.iso3 for e in places if e.feature == "country"), None)


def _entry_score(
    entry: GeoEntry, c: _Candidate, article: dict[str, float], near: set[str], narrow: str | None
) -> float:
    score = math.log10(entry.population + 10) / 2
    score += {"country": 3.0, "city": 0.6, "landmark": 0.6, "admin": 0.3}[entry.feature]
    if c.cue is not None and _FEATURE_CUES.get(c.cue) == entry.feature:
        score += 4.0
    if entry.iso3 in near:
        score += 2.5
    score += min(article.get(entry.iso3 or "", 0.0), 3.0) * 0.5
    if narrow is not None and entry.iso3 == narrow:
        score += 6.0
    return score


def _mention(seg: Segmented, c: _Candidate, entry: GeoEntry, written: str, margin: float) -> PlaceMention:
    start, end = seg.norm.orig_span(seg.starts[c.first], seg.ends[c.last - 1])
    place = Place(
        text=seg.norm.original[start:end],
        start=start,
        end=end,
        name_ar=written,
        name_en=entry.name_en,
        geonameid=entry.geonameid,
        country_iso2=entry.iso2,
        country_iso3=entry.iso3,
        admin1=entry.admin1,
        lat=entry.lat,
        lon=entry.lon,
        precision=entry.precision,
        feature=entry.feature,
    )
    score = 0.6 + (0.2 if c.cue is not None else 0.0) + min(margin, 1.0) * 0.15 + (0.04 if len(c.row.key) > 1 else 0.0)
    return PlaceMention(place, c.first, c.last, c.sentence, round(min(score, 0.99), 3))


def find_places(seg: Segmented, gaz: Gazetteer) -> list[PlaceMention]:
    """Every place named in the text, resolved, in text order.

    >>> [m.place.name_en for m in find_places(segment(normalize("تظاهر المئات في بغداد")), load_gazetteer())]
    ['Baghdad']
    """
    cands = _recognise(seg, gaz)
    article, by_sentence = _context(cands, seg, gaz)
    mentions: list[PlaceMention] = []
    for k, c in enumerate(cands):
        narrow = _narrowing_country(cands, k, seg, gaz)
        near = by_sentence.get(c.sentence, set())
        readings = [(c.row, 0.0)] + ([(c.alternate, PEELED_PENALTY)] if c.alternate is not None else [])
        scored = sorted(
            (_entry_score(gaz.entries[e], c, article, near, narrow) - penalty, e, row.written)
            for row, penalty in readings
            for e in row.entries
        )[::-1]
        margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 1.0
        mentions.append(_mention(seg, c, gaz.entries[scored[0][1]], scored[0][2], margin))
    return mentions


def place_records(text: str, article_id: str | None = None) -> list[dict[str, Any]]:
    """The `marsad places` lines for one text: one dict per recognised place mention.

    >>> [(r["text"], r["country_iso3"]) for r in place_records("وصل الوزير إلى القاهرة")]
    [('القاهرة', 'EGY')]
    """
    seg = segment(normalize(text))
    return [
        {
            "article_id": article_id,
            "text": m.place.text,
            "start": m.place.start,
            "end": m.place.end,
            "geonameid": m.place.geonameid,
            "name_en": m.place.name_en,
            "country_iso3": m.place.country_iso3,
            "lat": m.place.lat,
            "lon": m.place.lon,
            "feature": m.place.feature,
            "score": m.score,
        }
        for m in find_places(seg, load_gazetteer())
    ]
