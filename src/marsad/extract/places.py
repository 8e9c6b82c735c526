"""Place recognition and resolution against the Arabic gazetteer.

Recognition scans the tokens of each sentence for the longest gazetteer name, after peeling
proclitics off the first word (وبغداد → و + بغداد, للقاهرة → ل + القاهرة). What each token can
start is memoised per gazetteer, so an article costs about one dict lookup a token. Arabic has no
capital letters: the context rules of `marsad.extract.place_rules` keep common words out (آلة,
"في مشهد مؤثر", الإيرانية, جدة الطفلة ...).

Resolution picks among the entries a name may mean (طرابلس: Libya or Lebanon) by the countries
named or implied in the sentence and the article, "X في Y" with Y a country, the feature a cue
asks for (مدينة, محافظة), then population. A city and the admin unit named after it (حلب) read as
the city unless an admin cue comes first (محافظة حلب، أمير منطقة جازان); ريف حلب is the city at
precision 2. Small
foreign namesakes (الإسكندرية: Alexandria, VA) compete only when a qualifier names their country
or unit (الإسكندرية بولاية فيرجينيا، الإسكندرية الأمريكية).
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, NamedTuple

from marsad.extract.place_rules import (
    ADMIN_WORDS,
    BARE_NAME_MIN_POPULATION,
    LOCATIVE_CUES,
    Site,
    clitic_forms,
    context_kind,
    is_adjective_shaped,
    is_definite,
    is_minor,
    reads_as_common_word,
    word_forms,
)
from marsad.geo.gazetteer import CORE_ISO2, Gazetteer, GeoEntry, NameRow, data_dir, load_gazetteer, name_key
from marsad.lexicon.loader import read_tsv
from marsad.memo import load_once
from marsad.model import Place
from marsad.text.normalize import normalize
from marsad.text.segment import Segmented, segment

__all__ = ["PlaceMention", "find_places", "is_adjective_shaped", "is_definite", "place_records"]

DATELINE = "—"  # the cue of a name that opens a dateline: "تونس - ", "حماة: "
FACILITY = "facility"  # the cue of a name right after a facility word (مطار، ميناء، مستشفى)
TAG_RUN = "#"  # the cue of a common-word name tagged right after a place ("#الجوف #حائل")
_FEATURE_CUES = {"مدينه": "city", "بلده": "city", "قريه": "city", "العاصمه": "city", "عاصمه": "city"}
_FEATURE_CUES |= dict.fromkeys(ADMIN_WORDS, "admin") | {DATELINE: "city", FACILITY: "city"}
AREA_WORD, AREA_ADMIN_ISO2 = "منطقه", frozenset(("SA",))  # منطقة is an admin1 title only in Saudi Arabia
REGION_PART = "ريف"  # "ريف حلب", the countryside around Aleppo: the town, ACLED geo-precision 2
_EMBASSY = frozenset(("سفاره", "السفاره", "قنصليه", "القنصليه", "بعثه", "البعثه"))
DASHES = "-–—ـ"  # what separates a dateline's place from the text ("تونس - ", "تونس – ")
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
    weak: bool = False  # a small town's name as a hashtag: kept only in a country the article names


def _cue_before(seg: Segmented, first: int, i: int, peeled: str) -> str | None:
    """The locative cue right before token `i`: a cue word (وفي → في، بولاية → ولاية) or a ب
    written on the name."""
    if "ب" in peeled:
        return "ب"
    if i > first:
        return next((form for form in word_forms(seg.tokens[i - 1]) if form in LOCATIVE_CUES), None)
    return None


def _is_dateline(seg: Segmented, first: int, i: int, end: int) -> bool:
    """ "تونس - ", "حماة: ": a sentence-initial name followed by a dash or a colon."""
    if i != first or end >= len(seg.tokens):
        return False
    between = seg.norm.text[seg.ends[end - 1] : seg.starts[end]]
    return seg.tokens[end] == ":" or any(c in DASHES for c in between)


def _in_partial_hashtag(seg: Segmented, gaz: Gazetteer, row: NameRow, i: int, end: int) -> bool:
    """ "#الواحات_في_خطر" holds الواحات as a word; "#غزة" is a place, and so is the country or the
    strong name inside a compound tag (#سيول_الاردن، #امطار_الكويت، #مستشفى_حفر_الباطن): one that
    is no stoplist word and has two words or names a country or a town of `BARE_NAME_MIN_POPULATION`."""
    start, stop = seg.starts[i], seg.ends[end - 1]
    for tag_start, tag_end in seg.norm.hashtags:
        if tag_start <= start and stop <= tag_end:
            if seg.norm.text[tag_start:tag_end].strip("# ") == seg.norm.text[start:stop]:
                return False
            entries = [gaz.entries[e] for e in row.entries]
            strong = len(row.key) > 1 or any(
                e.feature == "country" or (e.feature == "city" and e.population >= BARE_NAME_MIN_POPULATION)
                for e in entries
            )
            return row.key in gaz.stop or not strong
    return False


def _in_hashtag(seg: Segmented, i: int, end: int) -> bool:
    """The name at tokens [i, end) lies inside a hashtag."""
    start, stop = seg.starts[i], seg.ends[end - 1]
    return any(tag_start <= start and stop <= tag_end for tag_start, tag_end in seg.norm.hashtags)


def _peelable(gaz: Gazetteer, row: NameRow) -> bool:
    """A name found under a peeled clitic must be a strong one: ورقة is not و + رقة,
    بلاتر is not ب + Latur; وبغداد is و + بغداد."""
    if len(row.key) > 1 or row.key[0].startswith("ال"):
        return True
    entries = [gaz.entries[e] for e in row.entries]
    return any(e.feature != "city" or e.iso2 in CORE_ISO2 or e.population >= 1_000_000 for e in entries) and (
        len(row.key[0]) > 3 or any(e.population >= 500_000 or e.feature == "country" for e in entries)
    )


Rows = tuple[tuple[NameRow, bool], ...]  # names (longest first), each with: may it stand peeled?


class _Head(NamedTuple):
    """The names a clitic reading of a token starts: longer ones by their second token, and the
    one-word name."""

    peeled: str
    longer: dict[str, Rows]
    single: Rows


class _TokenInfo(NamedTuple):
    """What a token can start, per clitic reading, and the country its nisba reading implies."""

    heads: tuple[_Head, ...]
    nisba: str | None


def _read_token(gaz: Gazetteer, token: str) -> _TokenInfo:
    heads: list[_Head] = []
    for form, peeled in clitic_forms(token):
        longer: dict[str, Rows] = {}
        single: Rows = ()
        for row in gaz.names.get(form, ()):
            item = ((row, not peeled or _peelable(gaz, row)),)
            if len(row.key) == 1:
                single = item
            else:
                longer[row.key[1]] = longer.get(row.key[1], ()) + item
        if longer or single:
            heads.append(_Head(peeled, longer, single))
    nisba = next((gaz.nisba[f] for f, _ in clitic_forms(token)[:2] if f in gaz.nisba), None)
    return _TokenInfo(tuple(heads), nisba)


_NOTHING = _TokenInfo((), None)


def _token_infos(seg: Segmented, gaz: Gazetteer) -> tuple[list[_TokenInfo], list[int]]:
    """The memoised reading of every token, and the indices of tokens that start a name or are a
    nisba: most tokens are neither, and news repeats its words, so this is a dict lookup a token
    (the gazetteer's `memo`: bounded, least recently used first out, shared safely by threads)."""
    infos: list[_TokenInfo] = gaz.memo.lookup_many(seg.tokens, partial(_reading, gaz))
    return infos, [i for i, info in enumerate(infos) if info is not _NOTHING]


def _reading(gaz: Gazetteer, token: str) -> _TokenInfo:
    """`_read_token`, with every empty reading the one `_NOTHING` (so that `is` tests it)."""
    info = _read_token(gaz, token)
    return _NOTHING if info == _NOTHING else info


def _matches_at(seg: Segmented, heads: tuple[_Head, ...], i: int, last: int, joined: bool) -> list[tuple[NameRow, str]]:
    """The longest names starting at token `i`, one per clitic reading (وجدة: Oujda; و + Jeddah).
    A weak name under a peeled و is taken when joined to a place: ليون ومرسيليا."""
    best: list[tuple[NameRow, str]] = []
    following = seg.tokens[i + 1] if i + 1 < last else ""
    for head in heads:
        for row, strong in head.longer.get(following, ()) + head.single:
            if not strong and not (joined and head.peeled == "و"):
                continue
            n = len(row.key)
            if i + n <= last and (n <= 2 or seg.tokens[i + 2 : i + n] == row.key[2:]):
                if not best or n > len(best[0][0].key):
                    best = [(row, head.peeled)]
                elif n == len(best[0][0].key):
                    best.append((row, head.peeled))
                break  # rows are sorted longest first
    return best


def _recognise(seg: Segmented, gaz: Gazetteer, infos: list[_TokenInfo], notable: list[int]) -> list[_Candidate]:
    found: list[_Candidate] = []
    firsts = [sentence.first_token for sentence in seg.sentences]
    resume = 0
    for i in notable:
        heads = infos[i].heads
        if i < resume or not heads:
            continue
        s = bisect_right(firsts, i) - 1
        if s < 0 or i >= seg.sentences[s].last_token:
            continue  # a token outside every sentence
        first, last = firsts[s], seg.sentences[s].last_token
        joined = bool(found) and found[-1].last == i and found[-1].sentence == s
        matches = _matches_at(seg, heads, i, last, joined)
        if not matches:
            continue
        candidate = _candidate(seg, gaz, s, first, last, i, found, matches)
        if candidate is not None:
            found.append(candidate)
        n = len(matches[0][0].key)
        resume = i + (n if candidate is not None or gaz.stop.get(matches[0][0].key) != "never" else 1)
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
    if _in_partial_hashtag(seg, gaz, row, i, end):
        return None
    spaced = i > first and seg.tokens[i - 1] == "و"  # "الجوف و حائل": the و written apart
    after_place = bool(found) and found[-1].sentence == s and found[-1].last in (i, i - 1 if spaced else i)
    cue = _cue_before(seg, first, i, peeled)
    if cue is None and _is_dateline(seg, first, i, end):
        cue = DATELINE
    if cue is None and after_place and (spaced or "و" in peeled + "".join(p for _, p in others)):
        cue = "و"  # "الفلوجة والرمادي": a name joined to a place shares its cue
    if cue is None and after_place and peeled == "" and gaz.stop.get(row.key) == "cue" and _in_hashtag(seg, i, end):
        cue = TAG_RUN  # "#الجوف #حائل": a tag in a run of place tags is a place unless a phrase heads it
    if cue is None and i > first and context_kind(seg.tokens[i - 1]) == "facility":
        cue = FACILITY  # مطار الكويت الدولي، مستشفى الخفجي: the facility names its town
    site = Site(seg, gaz, first, last, i, row, cue, after_place)
    if _has_tanween(seg, end - 1):
        return None
    if cue is None and peeled == "" and _in_hashtag(seg, i, end):
        # "#حفرالباطن الان", "#البترا": a tag that is, or holds, a place name is no phrase of the
        # sentence around it; only the stoplist (names that are common words) still applies.
        if gaz.stop.get(row.key) is not None:
            return None
        if is_minor(site):
            return _Candidate(row, i, end, s, cue, None, weak=True)
    elif gaz.stop.get(row.key) == "never" if cue == FACILITY else reads_as_common_word(site):
        return None
    coordinated = cue is None or cue in ("و", DATELINE, TAG_RUN)  # no و right after في
    return _Candidate(row, i, end, s, cue, others[0][0] if others and coordinated else None)


_TANWEEN = frozenset("\u064b\u064c\u064d")  # ً ٌ ٍ


def _has_tanween(seg: Segmented, k: int) -> bool:
    """Token `k` is written with tanween ("دوماً" always, "بِقَوْمٍ"): an indefinite noun or an adverb,
    never a place's name (the names of places are not written with it). The marks after the last
    letter count: "دوماً" types its fathatan after the alif."""
    start, end = seg.norm.orig_span(seg.starts[k], seg.ends[k])
    text = seg.norm.original
    while end < len(text) and unicodedata.category(text[end]) == "Mn":
        end += 1
    return not _TANWEEN.isdisjoint(text[start:end])


def _implied_countries(seg: Segmented, infos: list[_TokenInfo], notable: list[int]) -> list[tuple[int, str]]:
    """(sentence, iso3) for nisba adjectives: الحكومة الليبية implies Libya (not after سفارة)."""
    implied: list[tuple[int, str]] = []
    firsts = [sentence.first_token for sentence in seg.sentences]
    for i in notable:
        iso3 = infos[i].nisba
        s = bisect_right(firsts, i) - 1
        if iso3 is None or s < 0 or i >= seg.sentences[s].last_token:
            continue
        if not (i > 0 and seg.tokens[i - 1] in _EMBASSY):
            implied.append((s, iso3))
    return implied


def _context(
    cands: list[_Candidate],
    seg: Segmented,
    gaz: Gazetteer,
    infos: list[_TokenInfo],
    notable: list[int],
    actors: Sequence[tuple[int, str]] = (),
) -> tuple[dict[str, float], dict[int, set[str]]]:
    """Country weights over the article and the countries of each sentence: places of one country
    (weight 1), nisbas and named actors (`actors`: (sentence, iso3), weight 0.5 each)."""
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
    for s, iso3 in (*_implied_countries(seg, infos, notable), *actors):
        article[iso3] = article.get(iso3, 0.0) + 0.5
        by_sentence.setdefault(s, set()).add(iso3)
    return article, by_sentence


class _Qualifier(NamedTuple):
    """Where a qualifier right after X puts it: a country, maybe an admin unit; `comma` for the
    weak "X، Y" form (a list reads the same)."""

    iso3: str
    admin1: str | None = None
    comma: bool = False


def _qualifier(cands: list[_Candidate], k: int, seg: Segmented, gaz: Gazetteer) -> _Qualifier | None:
    """The country a qualifier puts X in: a nisba right after it (مدينة ليل الفرنسية، ولاية
    جورجيا الأمريكية); "X في Y" / "X، Y" / "X بY" with Y a country; "X بولاية Y" / "X في محافظة Y"
    with Y a place of one country (and its unit when Y is an admin unit)."""
    here = cands[k]
    if here.last < seg.sentences[here.sentence].last_token and seg.tokens[here.last] in gaz.nisba:
        return _Qualifier(gaz.nisba[seg.tokens[here.last]])
    if k + 1 >= len(cands) or cands[k + 1].sentence != here.sentence:
        return None
    after = cands[k + 1]
    gap = seg.tokens[here.last : after.first]
    places = [gaz.entries[e] for e in after.row.entries]
    if after.cue in ADMIN_WORDS and (len(gap) == 1 or (len(gap) == 2 and gap[0] == "في")):
        countries = {e.iso3 for e in places} - {None}
        units = {e.admin1 for e in places if e.feature == "admin"}
        iso3 = countries.pop() if len(countries) == 1 else None
        return _Qualifier(iso3, units.pop() if len(units) == 1 else None) if iso3 else None
    if len(gap) > 1 or (gap and gap[0] not in ("في", "،", ",")) or (not gap and after.cue != "ب"):
        return None
    iso3 = next((e.iso3 for e in places if e.feature == "country"), None)
    return _Qualifier(iso3, comma=bool(gap) and gap[0] != "في") if iso3 else None


def _admitted_namesakes(gaz: Gazetteer, c: _Candidate, qualifier: _Qualifier | None, units: set[str]) -> list[int]:
    """The small namesakes set aside at build time (الإسكندرية: Alexandria, VA) that a qualifier
    right after the name puts in their country or unit (الأمريكية، في الولايات المتحدة، بولاية
    فيرجينيا), or whose admin unit the sentence names; never on a mere country in the sentence."""
    ids = gaz.namesakes.get(c.row.key, ())
    if not ids:
        return []
    strong = qualifier if qualifier is not None and not qualifier.comma else None
    return [
        e for e in ids if (strong is not None and gaz.entries[e].iso3 == strong.iso3) or gaz.entries[e].admin1 in units
    ]


def _readings(gaz: Gazetteer, c: _Candidate, extra: list[int]) -> list[int]:
    """The entries a name may mean here. After an admin cue (محافظة، ولاية، إقليم، مقاطعة; منطقة
    for Saudi regions: أمير منطقة جازان) or in a name that holds one (ولاية سطيف) only its admin
    units, if it has any; otherwise a city and the admin unit named after it in the same country
    (حلب، كركوك، ريف حلب، منطقة حلب) is the city."""
    ids = [*c.row.entries, *extra]
    entries = [gaz.entries[e] for e in ids]
    cue = c.row.key[0] if c.row.key[0] in ADMIN_WORDS else c.cue
    if cue in ADMIN_WORDS or cue == AREA_WORD:
        admin = [
            e
            for e, entry in zip(ids, entries, strict=True)
            if entry.feature == "admin" and (cue != AREA_WORD or entry.iso2 in AREA_ADMIN_ISO2)
        ]
        if admin:
            return admin
    with_city = {e.iso2 for e in entries if e.feature == "city"}
    return [e for e, entry in zip(ids, entries, strict=True) if entry.feature != "admin" or entry.iso2 not in with_city]


def _units_named(cands: list[_Candidate], gaz: Gazetteer) -> dict[int, set[str]]:
    """The admin units named as places in each sentence, by their admin1 name: a name of admin
    units only (فيرجينيا) or one after an admin cue (ولاية جورجيا; not جورجيا alone, a country)."""
    units: dict[int, set[str]] = {}
    for c in cands:
        entries = [gaz.entries[e] for e in c.row.entries]
        if c.cue in ADMIN_WORDS or all(e.feature == "admin" for e in entries):
            named = {e.admin1 for e in entries if e.feature == "admin" and e.admin1 is not None}
            units.setdefault(c.sentence, set()).update(named)
    return units


# Why a reading won (`Place.resolved_by`), one per part of its score, in the order that breaks ties.
RESOLUTION_REASONS = ("diacritics", "qualifier", "cue", "sentence", "article", "whole-word", "prominence")


def _entry_score(
    entry: GeoEntry, c: _Candidate, article: dict[str, float], near: set[str], narrow: _Qualifier | None
) -> dict[str, float]:
    """One reading's score in parts (their sum decides): `prominence` (population and kind of
    place), `cue` (محافظة before an admin unit), `sentence` (another place of its country in the
    sentence), `article` (the article's countries), `qualifier` (its country or unit named right
    after it: مدينة ليل الفرنسية)."""
    parts = {
        "prominence": math.log10(entry.population + 10) / 2
        + {"country": 3.0, "region": 3.0, "city": 0.6, "landmark": 0.6, "admin": 0.3}[entry.feature],
        "cue": 4.0 if c.cue is not None and _FEATURE_CUES.get(c.cue) == entry.feature else 0.0,
        "sentence": 2.5 if entry.iso3 in near else 0.0,
        "article": min(article.get(entry.iso3 or "", 0.0), 3.0) * 0.5,
        "qualifier": 0.0,
    }
    if narrow is not None and entry.iso3 == narrow.iso3:
        parts["qualifier"] = 6.0 + (1.0 if narrow.admin1 is not None and entry.admin1 == narrow.admin1 else 0.0)
    return parts


def resolution(winner: dict[str, float], runner_up: dict[str, float] | None) -> str:
    """Why the winning reading beat the best other one: the part of the score that gives it the
    largest lead ("unique" when the name has one reading; "prominence" when only size and kind
    separate them)."""
    if runner_up is None:
        return "unique"
    leads = [(winner.get(r, 0.0) - runner_up.get(r, 0.0), -k, r) for k, r in enumerate(RESOLUTION_REASONS)]
    lead, _, reason = max(leads)
    return reason if lead > 0 else "prominence"


_MARKS = frozenset("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652")
MARKED_BONUS = 8.0  # the text's diacritics agree with a marked spelling of one entry: it wins


def _marks(written: str) -> frozenset[tuple[int, str]]:
    """The diacritics of a written name, by the index of the letter they sit on: عمّان → {(1, shadda)}."""
    out: set[tuple[int, str]] = set()
    letters = -1
    for ch in written:
        if ch in _MARKS:
            out.add((letters, ch))
        elif ch.isalpha():
            letters += 1
    return frozenset(out)


@load_once
def marked_spellings() -> dict[tuple[str, ...], tuple[tuple[frozenset[tuple[int, str]], int], ...]]:
    """geo/data/diacritics.tsv: name key → (marks, geonameid) of each marked spelling."""
    table: dict[tuple[str, ...], tuple[tuple[frozenset[tuple[int, str]], int], ...]] = {}
    for _, row in read_tsv(data_dir() / "diacritics.tsv", ("name", "geonameid", "example")):
        key = name_key(row["name"])
        table[key] = (*table.get(key, ()), (_marks(row["name"]), int(row["geonameid"])))
    return table


def _marked_choice(seg: Segmented, c: _Candidate) -> int | None:
    """The geonameid that the diacritics written on the name point to (عمّان: Amman), if any: the
    marked spelling sharing most marks with the text and contradicting none of them."""
    spellings = marked_spellings().get(c.row.key)
    if not spellings:
        return None
    start, end = seg.norm.orig_span(seg.starts[c.first], seg.ends[c.last - 1])
    # Count letters from the name, not from a clitic written on it: وعمّان is و + عمّان.
    peeled = max(len(seg.tokens[c.first]) - len(c.row.key[0]), 0)
    surface = frozenset((i - peeled, m) for i, m in _marks(seg.norm.original[start:end]) if i >= peeled)
    if not surface:
        return None
    best, best_score = None, 0
    for marks, gid in spellings:
        conflicts = {i for i, _ in marks} & {i for i, _ in surface} - {i for i, _ in marks & surface}
        score = len(marks & surface) - len(conflicts) * 2
        if score > best_score:
            best, best_score = gid, score
    return best


def name_offset(token: str, name: str) -> int:
    """Where the name's first word `name` starts in `token`: after the conjunction or preposition
    written on it ("بالرياض" → 1, "وبغداد" → 1, "للبنان" → 1), 0 when the token is the name or
    does not end with it ("للقاهرة" reads ل + القاهرة: the article lost its alif, so the text keeps
    the whole word). A place's text starts there, so that it names the place and still slices the
    original text."""
    return len(token) - len(name) if token.endswith(name) else 0


def _mention(
    seg: Segmented, c: _Candidate, entry: GeoEntry, written: str, margin: float, resolved_by: str
) -> PlaceMention:
    start, end = seg.norm.orig_span(
        seg.starts[c.first] + name_offset(seg.tokens[c.first], c.row.key[0]), seg.ends[c.last - 1]
    )
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
        precision=2 if c.cue == REGION_PART and entry.feature != "country" else entry.precision,
        feature=entry.feature,
        resolved_by=resolved_by,
    )
    score = 0.6 + (0.2 if c.cue is not None else 0.0) + min(margin, 1.0) * 0.15 + (0.04 if len(c.row.key) > 1 else 0.0)
    return PlaceMention(place, c.first, c.last, c.sentence, round(min(score, 0.99), 3))


def _named_elsewhere(cands: list[_Candidate], c: _Candidate, iso3: str | None, gaz: Gazetteer) -> bool:
    """Whether the article names `iso3` through another name than `c`'s, or names no country at all
    (a tweet that is only "#البترا")."""
    others = [d for d in cands if d.row.key != c.row.key]
    countries = {gaz.entries[e].iso3 for d in others for e in d.row.entries}
    return not others or iso3 in countries


def find_places(seg: Segmented, gaz: Gazetteer, actors: Sequence[tuple[int, str]] = ()) -> list[PlaceMention]:
    """Every place named in the text, resolved, in text order. `actors`: (sentence, iso3) of the
    article's named actors (`extract.actors.actor_countries`), which vote for their country as a
    nisba does ("حزب الله" and "طرابلس" in one article: Tripoli, Lebanon).

    >>> [m.place.name_en for m in find_places(segment(normalize("تظاهر المئات في بغداد")), load_gazetteer())]
    ['Baghdad']
    """
    infos, notable = _token_infos(seg, gaz)
    cands = _recognise(seg, gaz, infos, notable)
    article, by_sentence = _context(cands, seg, gaz, infos, notable, actors)
    units = _units_named(cands, gaz) if gaz.namesakes else {}
    mentions: list[PlaceMention] = []
    for k, c in enumerate(cands):
        narrow = _qualifier(cands, k, seg, gaz)
        near = by_sentence.get(c.sentence, set())
        extra = _admitted_namesakes(gaz, c, narrow, units.get(c.sentence, set()))
        marked = _marked_choice(seg, c)
        readings = [(_readings(gaz, c, extra), c.row.written, 0.0)]
        if c.alternate is not None:
            readings.append((_readings(gaz, replace(c, row=c.alternate), []), c.alternate.written, PEELED_PENALTY))
        parts = {
            (e, written): {
                **_entry_score(gaz.entries[e], c, article, near, narrow),
                "whole-word": -penalty,  # "وجدة" is Oujda before it is و + Jeddah
                "diacritics": MARKED_BONUS if marked is not None and gaz.entries[e].geonameid == marked else 0.0,
            }
            for ids, written, penalty in readings
            for e in ids
        }
        scored = sorted(((sum(v.values()), e, written) for (e, written), v in parts.items()))[::-1]
        if c.weak and not _named_elsewhere(cands, c, gaz.entries[scored[0][1]].iso3, gaz):
            continue  # "#الرابية" in an article about Amman is no town in Kuwait
        margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 1.0
        why = resolution(parts[scored[0][1:]], parts[scored[1][1:]] if len(scored) > 1 else None)
        mentions.append(_mention(seg, c, gaz.entries[scored[0][1]], scored[0][2], margin, why))
    return mentions


def place_records(text: str, article_id: str | None = None) -> list[dict[str, Any]]:
    """The `marsad places` lines for one text: one dict per recognised place mention.

    >>> [(r["text"], r["country_iso3"]) for r in place_records("وصل الوزير إلى القاهرة")]
    [('القاهرة', 'EGY')]
    """
    from marsad.extract.actors import actor_countries
    from marsad.lexicon.loader import default_lexicon

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
            "resolved_by": m.place.resolved_by,
        }
        for m in find_places(seg, load_gazetteer(), actor_countries(default_lexicon(), seg))
    ]
