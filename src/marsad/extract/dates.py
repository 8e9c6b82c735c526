"""Dates: the article date, a dateline, and date expressions in a sentence resolved to ISO dates.

`find_dates` reads normalised text (`NormText.text`) with compiled patterns built from
`lexicon/data/dates.tsv`: Gregorian, Levantine and Maghreb month names ("15 شباط/فبراير 2022"),
numeric dates, Hijri dates (tabular arithmetic), and expressions resolved against the article
date ("مساء أمس"، "الجمعة الماضية"، "منذ قرابة الأسبوعين"، "أواخر الشهر الماضي").
Precision follows ACLED: 1 = day, 2 = week, 3 = month. Conventions: docs/dates.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

from marsad.errors import LexiconError
from marsad.lexicon.loader import data_dir, read_tsv
from marsad.memo import load_once
from marsad.model import When
from marsad.text.normalize import NormText, normalize

__all__ = [
    "DateMention",
    "dateline_date",
    "find_dates",
    "gregorian_to_hijri",
    "hijri_to_gregorian",
    "parse_record_date",
    "to_when",
]

DAY, WEEK, MONTH = 1, 2, 3
YEARS = range(1900, 2101)  # Gregorian years accepted anywhere; others are skipped, never clamped
HIJRI_YEARS = range(1300, 1601)
VAGUE_DAYS = 3  # "قبل أيام": three days back, week precision
VAGUE_WEEKS = 3  # "قبل أسابيع": three weeks back, month precision

TYPES = frozenset(
    {
        *("month", "month_weak", "hijri_month", "hijri_month_weak", "weekday", "ordinal"),
        *("day_offset", "day_offset_weak", "part_of_day", "count", "count_after", "unit", "approx", "ago"),
        *("direction", "this", "period", "month_part", "era_hijri", "era_gregorian", "year_word"),
        *("named_day_next", "not_today_before", "weekday_blocker", "date_name_blocker", "event_relative_after"),
    }
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in normalised text: `precision` 1 day, 2 week, 3 month.

    `relative` is True when the article date was needed to resolve it ("أمس", "15 يناير").
    """

    start: int
    end: int
    date: dt.date
    precision: int
    relative: bool


# --- Hijri calendar: the tabular (arithmetic) calendar, civil epoch, leap years 2,5,7,10,13,16,18,21,24,26,29.
_HIJRI_EPOCH = dt.date(622, 7, 19).toordinal()  # 1 Muharram 1 AH = 16 July 622 Julian


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Tabular Hijri → Gregorian, within a day of Umm al-Qura (which puts 1 رمضان 1443 on 2022-04-02).

    >>> hijri_to_gregorian(1443, 9, 1)
    datetime.date(2022, 4, 3)
    """
    days = day + (59 * (month - 1) + 1) // 2 + (year - 1) * 354 + (3 + 11 * year) // 30
    return dt.date.fromordinal(_HIJRI_EPOCH + days - 1)


def gregorian_to_hijri(date: dt.date) -> tuple[int, int, int]:
    """Gregorian → tabular Hijri (year, month, day), the inverse of `hijri_to_gregorian`."""
    year = (30 * (date.toordinal() - _HIJRI_EPOCH) + 10646) // 10631
    while hijri_to_gregorian(year + 1, 1, 1) <= date:
        year += 1
    while hijri_to_gregorian(year, 1, 1) > date:
        year -= 1
    month = 12
    while hijri_to_gregorian(year, month, 1) > date:
        month -= 1
    return year, month, (date - hijri_to_gregorian(year, month, 1)).days + 1


# --- the record's own date
_DIGITS = str.maketrans({chr(0x0660 + d): str(d) for d in range(10)} | {chr(0x06F0 + d): str(d) for d in range(10)})
_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?: .*)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_record_date(value: str | None) -> dt.date | None:
    """The input record's `date` as a date, or None when missing or unreadable.

    Accepts ISO dates and datetimes (the date part as written, no timezone shift), 2018/01/06,
    20180106, day-first 06/01/2018 or 06-01-2018, and RFC 2822 ("Sat, 06 Jan 2018 10:00:00 GMT").

    >>> parse_record_date("2018-01-06T10:00:00Z"), parse_record_date("06/01/2018"), parse_record_date("soon")
    (datetime.date(2018, 1, 6), datetime.date(2018, 1, 6), None)
    """
    if not value or not value.strip():
        return None
    text = value.strip().translate(_DIGITS)
    for pattern, order in ((_ISO, (1, 2, 3)), (_COMPACT, (1, 2, 3)), (_DAY_FIRST, (3, 2, 1))):
        match = pattern.fullmatch(text)
        if match:
            return _valid_date(*(int(match.group(i)) for i in order))
    try:
        stamp = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return _valid_date(stamp.year, stamp.month, stamp.day)


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    if year not in YEARS:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --- the lexicon and the patterns compiled from it
_NUMERIC_HINT = re.compile(r"[0-9][/.\-][0-9]")
_NUMERIC = frozenset({"numeric"})


@dataclass(frozen=True, slots=True)
class DateLexicon:
    """Normalised date words by type (form → value) and the patterns built from them."""

    words: dict[str, dict[str, str]]
    patterns: dict[str, re.Pattern[str]]
    heads: dict[str, frozenset[str]]  # head word → names of the patterns it can start
    head_pattern: re.Pattern[str]


def _alt(forms: dict[str, str] | list[str]) -> str:
    words = sorted(forms, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + ")"


def load_date_lexicon() -> DateLexicon:
    """Read and validate dates.tsv; forms are normalised like the text they match."""
    words: dict[str, dict[str, str]] = {t: {} for t in TYPES}
    for where, row in read_tsv(data_dir() / "dates.tsv", ("form", "type", "value", "example")):
        if row["type"] not in TYPES:
            raise LexiconError(f"{where}: unknown date word type {row['type']!r}")
        if not row["form"] or not row["value"]:
            raise LexiconError(f"{where}: empty form or value")
        words[row["type"]][normalize(row["form"]).text] = row["value"]
    heads = _heads(words)
    head_pattern = re.compile(rf"(?<!\w)[وف]?(?P<head>{_trie(heads)})(?!\w)")
    return DateLexicon(words, _compile(words), heads, head_pattern)


def _trie(words: Iterable[str]) -> str:
    """An alternation written as a character trie, so most text positions fail on the first letter."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(root)


_PATTERNS = {
    "gregorian": r"""{start}(?:(?P<wd>{weekday})\s*[,،]?\s*(?:الموافق\s+)?)?
        (?:(?P<part>{month_part})\s+(?:من\s+)?)?(?:(?P<day>{day})\s*(?:من\s+)?)?(?P<shahr>شهر\s+)?
        (?P<m1>{month}){end}(?:\s*[/(-]\s*(?P<m2>{month}){end}(?:\s*\))?)?
        (?:\s*[,،]?\s*(?:من\s+)?(?:{year_word}\s*)?(?P<year>[0-9]{{4}})(?![0-9])(?:\s*{era_gregorian}{end})?
          |\s+(?:من\s+)?(?:(?P<yw>{year_word})\s+)?(?P<dir>{direction}){end})?""",
    "hijri": r"""{start}(?:(?P<day>{day})\s*(?:من\s+)?(?:شهر\s+)?)?(?P<hm>{hijri_month}){end}
        (?:\s*[,،]?\s*(?:من\s+)?(?:{year_word}\s*)?(?P<year>[0-9]{{3,4}})(?![0-9]))?
        (?:\s*(?P<era>{era_hijri}){end})?""",
    "numeric": r"""(?<![0-9/.\-])(?:(?P<d>[0-9]{{1,2}})(?P<s>[/.\-])(?P<m>[0-9]{{1,2}})(?P=s)(?P<y>[0-9]{{4}})
        |(?P<y2>[0-9]{{4}})(?P<s2>[/.\-])(?P<m2>[0-9]{{1,2}})(?P=s2)(?P<d2>[0-9]{{1,2}}))(?![0-9]|[/.\-][0-9])""",
    "day_offset": r"""{start}(?:(?P<pod>{part_of_day})\s+)?(?:(?P<yawm>يوم)\s+)?
        (?:(?P<off>{day_offset})|(?P<weak>{day_offset_weak})){end}(?:\s+(?P<wd>{weekday}){end})?""",
    "weekday": r"""{start}(?:(?P<pod>{part_of_day})\s+)?(?:(?P<yawm>يوم)\s+)?(?P<wd>{weekday}){end}
        (?:\s+(?P<dir>{direction}){end})?""",
    "ago": r"""{start}(?P<ago>{ago})\s+(?:(?P<approx>{approx})\s+)?
        (?:(?P<num>(?<![0-9])[0-9]{{1,3}}|{count})\s+)?(?P<unit>{unit}){end}(?:\s+(?P<after>{count_after}){end})?""",
    "period": r"""{start}(?:(?P<day>{day})\s+من\s+)?(?:(?P<part>{month_part})\s+)?(?:(?P<this>{this})\s+)?
        (?P<per>{period}){end}(?:\s+(?P<dir>{direction}){end})?""",
}


def _compile(w: dict[str, dict[str, str]]) -> dict[str, re.Pattern[str]]:
    """The patterns above with each {type} replaced by an alternation of that type's forms."""
    alternations = {kind: _alt(forms) for kind, forms in w.items()}
    alternations["month"] = _alt(w["month"] | w["month_weak"])
    alternations["hijri_month"] = _alt(w["hijri_month"] | w["hijri_month_weak"])
    alternations["day"] = rf"(?:(?<![0-9])[0-9]{{1,2}}|{alternations['ordinal']})"
    alternations["start"] = r"(?:(?<!\w)|(?<=(?<!\w)[وف]))"  # a word start, or after a clitic و/ف
    alternations["end"] = r"(?!\w)"
    return {name: re.compile(source.format(**alternations), re.VERBOSE) for name, source in _PATTERNS.items()}


def _heads(w: dict[str, dict[str, str]]) -> dict[str, frozenset[str]]:
    """Head word → the patterns whose every match contains it.

    A head is the distinctive word of a form: "امس" in "اول من امس", "كانون" in "كانون الثاني" (not
    the ordinal). Year units and the bare year period are left out: alone they never give a date.
    """
    kinds = {
        "gregorian": ("month", "month_weak"),
        "hijri": ("hijri_month", "hijri_month_weak"),
        "day_offset": ("day_offset", "day_offset_weak"),
        "weekday": ("weekday",),
        "ago": ("unit",),
        "period": ("period", "month_part"),
    }
    heads: dict[str, set[str]] = {}
    for name, types in kinds.items():
        forms = {form: value for kind in types for form, value in w[kind].items()}
        for form, value in forms.items():
            if value.startswith("year") or (name == "period" and value == "year"):
                continue
            words = form.split()
            head = next((word for word in words if word in forms), words[0])
            heads.setdefault(head, set()).add(name)
    return {head: frozenset(names) for head, names in heads.items()}


@load_once
def date_lexicon() -> DateLexicon:
    """The bundled date lexicon, loaded once per process."""
    return load_date_lexicon()


# --- finding dates
_WORD = re.compile(r"[^\W\d_]+")
_LINE = re.compile(r"[^\n]*\S[^\n]*")


def find_dates(text: str, start: int, end: int, anchor: dt.date | None) -> list[DateMention]:
    """Date expressions in normalised `text[start:end]`, resolved against `anchor` (the article date).

    Without an anchor (or with one outside 1900–2100), expressions that need it ("أمس", "15 يناير")
    are skipped.

    >>> [(m.date.isoformat(), m.precision) for m in find_dates("تظاهروا مساء امس", 0, 16, dt.date(2018, 1, 6))]
    [('2018-01-05', 1)]
    """
    lex = date_lexicon()
    start, end = max(0, start), min(len(text), end)
    if start >= end:
        return []
    if anchor is not None and anchor.year not in YEARS:
        anchor = None
    found: list[DateMention] = []
    for name, windows in _windows(text, start, end).items():
        for w_start, w_end in windows:
            for match in lex.patterns[name].finditer(text, w_start, w_end):
                resolved = _RESOLVERS[name](match, text, start, anchor, lex.words)
                if resolved is not None:
                    found.append(DateMention(match.start(), match.end(), *resolved))
    return _longest_first(found)


# How far (characters before, after) a match may reach around its head word: "الخميس الموافق 12 كانون
# الثاني" reaches 30 characters before its head "الثاني"; "قبل ما يقارب 10 أيام" 17 before "أيام".
REACH = {
    "gregorian": (70, 50),
    "hijri": (45, 30),
    "numeric": (6, 12),
    "day_offset": (30, 20),
    "weekday": (25, 20),
    "ago": (30, 20),
    "period": (40, 30),
}


@lru_cache(maxsize=8)
def _head_hits(text: str) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """Where head words (or a digit-separator-digit) occur in a text: scanned once per article."""
    lex = date_lexicon()
    hits = [(m.start(), m.end(), lex.heads[m["head"]]) for m in lex.head_pattern.finditer(text)]
    hits += [(m.start(), m.end(), _NUMERIC) for m in _NUMERIC_HINT.finditer(text)]
    return tuple(sorted(hits, key=lambda hit: hit[0]))


def _windows(text: str, start: int, end: int) -> dict[str, list[tuple[int, int]]]:
    """Per pattern, the merged spans of [start, end) around its head words."""
    hits = _head_hits(text)
    windows: dict[str, list[tuple[int, int]]] = {}
    for h_start, h_end, names in hits[bisect_left(hits, (start,)) :]:
        if h_end > end:
            break
        for name in names:
            before, after = REACH[name]
            span = (max(start, h_start - before), min(end, h_end + after))
            spans = windows.setdefault(name, [])
            if spans and spans[-1][1] >= span[0]:
                spans[-1] = (spans[-1][0], span[1])
            else:
                spans.append(span)
    return windows


def _longest_first(found: list[DateMention]) -> list[DateMention]:
    kept: list[DateMention] = []
    for m in sorted(found, key=lambda m: (m.start - m.end, m.start)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


Resolved = tuple[dt.date, int, bool]
Words = dict[str, dict[str, str]]


def _word_before(text: str, pos: int, floor: int) -> str:
    words = _WORD.findall(text, max(floor, pos - 30), pos)
    return words[-1] if words else ""


def _word_after(text: str, pos: int) -> str:
    match = _WORD.search(text, pos, pos + 30)
    return match.group() if match else ""


def _add_months(date: dt.date, months: int, day: int | None = None) -> dt.date:
    year, month0 = divmod(date.year * 12 + date.month - 1 + months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day if day is not None else date.day, last))


def _weekday(anchor: dt.date, weekday: int, direction: int | None) -> dt.date:
    """On or before the anchor (bare), strictly before (الماضي), strictly after (المقبل)."""
    if direction == 1:
        return anchor + dt.timedelta(days=(weekday - anchor.weekday() - 1) % 7 + 1)
    if direction == -1:
        return anchor - dt.timedelta(days=(anchor.weekday() - weekday - 1) % 7 + 1)
    return anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7)


def _day_number(token: str | None, w: Words) -> int | None:
    if token is None:
        return None
    return int(token) if token.isdigit() else int(w["ordinal"][" ".join(token.split())])


def _gregorian(m: re.Match[str], text: str, floor: int, anchor: dt.date | None, w: Words) -> Resolved | None:
    month = int((w["month"] | w["month_weak"])[" ".join(m["m1"].split())])
    if m["m2"] and int((w["month"] | w["month_weak"])[" ".join(m["m2"].split())]) != month:
        return None
    day = _day_number(m["day"], w)
    weak = m["m1"] in w["month_weak"] and not m["m2"]
    if weak and not (day or m["year"] or m["shahr"] or m["dir"] or m["part"]):
        return None
    if day is not None and m["day"].isdigit() and _word_before(text, m.start(), floor) in w["date_name_blocker"]:
        return None
    year, relative = _month_year(m, month, day, anchor, w)
    if year is None:
        return None
    precision = DAY if day else MONTH
    part_day = int(w["month_part"][m["part"]]) if m["part"] else 1
    found = _valid_date(year, month, day or part_day)
    return (found, precision, relative) if found else None


def _month_year(
    m: re.Match[str], month: int, day: int | None, anchor: dt.date | None, w: Words
) -> tuple[int | None, bool]:
    if m["year"]:
        return int(m["year"]), False
    if anchor is None:
        return None, True
    direction = int(w["direction"][m["dir"]]) if m["dir"] else None
    if m["yw"] and direction is not None:
        return anchor.year + direction, True
    here = (anchor.month, anchor.day if day else 0)
    there = (month, day or 0)
    if direction == 0:
        return anchor.year, True
    if direction == 1:
        return anchor.year + (month <= anchor.month), True
    if direction == -1:
        return anchor.year - (month >= anchor.month), True
    return anchor.year - (there > here), True


def _hijri(m: re.Match[str], text: str, floor: int, anchor: dt.date | None, w: Words) -> Resolved | None:
    month = int((w["hijri_month"] | w["hijri_month_weak"])[" ".join(m["hm"].split())])
    day = _day_number(m["day"], w)
    year = int(m["year"]) if m["year"] else None
    if year is None and (m["hm"] in w["hijri_month_weak"] or day is None or anchor is None):
        return None
    if year is not None and year not in HIJRI_YEARS or day is not None and not 1 <= day <= 30:
        return None
    if year is None and anchor is not None and day is not None:
        hy, hm, hd = gregorian_to_hijri(anchor)
        year = hy - ((month, day) > (hm, hd))
        return hijri_to_gregorian(year, month, day), DAY, True
    assert year is not None
    return hijri_to_gregorian(year, month, day or 1), DAY if day else MONTH, False


def _numeric(m: re.Match[str], text: str, floor: int, anchor: dt.date | None, w: Words) -> Resolved | None:
    if m["y"]:
        found = _valid_date(int(m["y"]), int(m["m"]), int(m["d"]))
    else:
        found = _valid_date(int(m["y2"]), int(m["m2"]), int(m["d2"]))
    return (found, DAY, False) if found else None


def _day_offset(m: re.Match[str], text: str, floor: int, anchor: dt.date | None, w: Words) -> Resolved | None:
    if anchor is None or m["weak"] and not (m["pod"] or m["yawm"]):
        return None
    offset = int(w["day_offset"][" ".join(m["off"].split())] if m["off"] else w["day_offset_weak"][m["weak"]])
    date = anchor + dt.timedelta(days=offset)
    if m["wd"]:
        by_weekday = _weekday(anchor, int(w["weekday"][m["wd"]]), None)
        return (by_weekday if abs((by_weekday - date).days) <= 2 else date), DAY, True
    if offset == 0 and not m["pod"] and _names_a_day(m, text, floor, w):
        return None
    return date, DAY, True


def _names_a_day(m: re.Match[str], text: str, floor: int, w: Words) -> bool:
    """A named or narrative day, not today: "اليوم العالمي"، "اليوم الثالث"، "في اليوم التالي"، "ذلك اليوم"."""
    if _word_before(text, m.start(), floor) in w["not_today_before"]:
        return True
    following = _word_after(text, m.end())
    ordinal_words = {form.split()[0] for form in w["ordinal"]}
    return (
        following in w["named_day_next"]
        or following in ordinal_words
        or following[:-1] in ordinal_words
        or (following.startswith("ال") and following.endswith("ي") and len(following) > 4)
    )


def _weekday_mention(m: re.Match[str], text: str, floor: int, anchor: dt.date | None, w: Words) -> Resolved | None:
    if anchor is None:
        return None
    bare = not (m["pod"] or m["yawm"] or m["dir"])
    if bare and _word_before(text, m.start(), floor) in w["weekday_blocker"]:
        return None
    direction = int(w["direction"][m["dir"]]) if m["dir"] else None
    return _weekday(anchor, int(w["weekday"][m["wd"]]), direction or None), DAY, True


def _ago(m: re.Match[str], text: str, floor: int, anchor: dt.date | None, w: Words) -> Resolved | None:
    if anchor is None or _word_after(text, m.end()) in w["event_relative_after"]:
        return None
    before = _word_before(text, m.start(), floor)
    if before in w["unit"] or before[:-1] in w["unit"]:  # "يوما بعد يوم"
        return None
    kind, implied = w["unit"][" ".join(m["unit"].split())].split(":")
    counts = [c for c in (m["num"], m["after"]) if c]
    stated = [c if c.isdigit() else (w["count"] | w["count_after"])[c] for c in counts]
    vague = "few" in stated or (implied == "few" and not stated)
    number = int(stated[0]) if stated and not vague else (0 if vague else int(implied))
    sign = int(w["ago"][m["ago"]])
    approx = DAY if m["approx"] is None else WEEK
    if kind == "hour":
        return anchor, DAY, True
    if kind == "day":
        days, precision = (VAGUE_DAYS, WEEK) if vague else (number, approx)
    elif kind == "week":
        days, precision = (7 * VAGUE_WEEKS, MONTH) if vague else (7 * number, WEEK)
    elif kind == "month" and not vague:
        return _add_months(anchor, sign * number), MONTH, True
    else:
        return None
    return anchor + dt.timedelta(days=sign * days), precision, True


def _period(m: re.Match[str], text: str, floor: int, anchor: dt.date | None, w: Words) -> Resolved | None:
    if anchor is None:
        return None
    direction = int(w["direction"][m["dir"]]) if m["dir"] else (0 if m["this"] or m["part"] else None)
    if direction is None:
        return None
    period = w["period"][m["per"]]
    part = int(w["month_part"][m["part"]]) if m["part"] else 1
    if period == "week":
        return anchor + dt.timedelta(days=7 * direction), WEEK, True
    if period == "month":
        day = _day_number(m["day"], w)
        if day is not None:
            first = _add_months(anchor, direction, 1)
            found = _valid_date(first.year, first.month, day)
            return (found, DAY, True) if found else None
        return _add_months(anchor, direction, part), MONTH, True
    if m["part"]:
        month = {1: 1, 15: 7}.get(part, 12)
        return dt.date(anchor.year + direction, month, 1), MONTH, True
    return None


_Resolver = Callable[[re.Match[str], str, int, dt.date | None, Words], Resolved | None]
_RESOLVERS: dict[str, _Resolver] = {
    "gregorian": _gregorian,
    "hijri": _hijri,
    "numeric": _numeric,
    "day_offset": _day_offset,
    "weekday": _weekday_mention,
    "ago": _ago,
    "period": _period,
}


# --- records
def to_when(mention: DateMention, norm: NormText, basis: str = "text") -> When:
    """The `When` of a mention, its span mapped back to the original text."""
    start, end = norm.orig_span(mention.start, mention.end)
    return When(mention.date.isoformat(), mention.precision, norm.original[start:end], start, end, basis)


DATELINE_LINES = 3  # the first non-empty lines looked at
DATELINE_CHARS = 200
DATELINE_WORDS_BEFORE = 5  # place and agency words allowed before the date ("طهران - ", "الرياض، الأحد")


def dateline_date(norm: NormText) -> When | None:
    """A full date at the head of the article ("طهران - 6 يناير 2018:"، "نشر في: 2015-03-12").

    >>> dateline_date(normalize("طهران - 6 يناير 2018: قال الوزير")).date
    '2018-01-06'
    """
    text = norm.text
    for number, line in enumerate(_LINE.finditer(text)):
        if number == DATELINE_LINES:
            break
        limit = min(line.end(), line.start() + DATELINE_CHARS)
        for mention in find_dates(text, line.start(), limit, None):
            before = len(_WORD.findall(text, line.start(), mention.start))
            if mention.precision == DAY and before <= DATELINE_WORDS_BEFORE:
                return to_when(mention, norm, "dateline")
    return None
