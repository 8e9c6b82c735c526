"""Event queries: filters become parameterised SQL (user text is only ever a parameter)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date as Date
from datetime import timedelta
from typing import Any

from marsad.errors import UsageError
from marsad.store.backend import Backend, like_pattern
from marsad.store.reviews import status_clause
from marsad.store.search import FACETS, actor_clause, actor_exists, text_clause, text_exists

EVENT_COLUMNS = ("id", "event_key", "event_type", "mode", "date", "time_precision", "country_iso3", "source_count",
                 "summary")  # fmt: skip
PAGE = 500
# Text-filtered pages and counts first walk the events that pass the other filters, in order, checking each
# against the text filters (store/search.py); rare needles, which leave a walk short, take the index.
# A page walks PAGE_WINDOWS[i] × (offset + limit) events, a larger window only if the smaller one found
# enough to expect it to fill; a count walks COUNT_WINDOW × stop events once a probe of COUNT_PROBE
# events found enough matches to expect that window to reach `stop`.
# PostgreSQL does not walk: its planner answers both from the trigram (GIN) index directly, as fast as
# or faster than the walks (measured at 30,000 events: a broad needle's capped count 2 ms against 7,
# a page 1-2 ms against 1-4); SQLite's FTS5 needs the walks for broad needles (docs/reliability.md).
PAGE_WINDOWS = (8, 40)
COUNT_WINDOW = 5
COUNT_PROBE = 500
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What `marsad events` and `Store.iter_events` select. Every field is optional.

    `place` matches the English or Arabic place name, `actor` a source or target's text,
    country or role, `text` the evidence or the article title (substring, case-insensitive).
    `bbox` is (min_lon, min_lat, max_lon, max_lat); min_lon > max_lon crosses the antimeridian.
    """

    event_type: str | None = None
    mode: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    place: str | None = None
    actor: str | None = None
    text: str | None = None
    limit: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    confidence: tuple[tuple[str, float], ...] | None = None  # (type, floor) pairs, "*" = other types
    review: str | None = None  # a review status, "reviewed" (confirmed or corrected) or "any" (store/reviews.py)


def _check_date(name: str, value: str | None) -> None:
    if value is not None and not _ISO_DATE.fullmatch(value):
        raise UsageError(f"--{name} {value!r} is not an ISO date; write YYYY-MM-DD (or YYYY-MM, YYYY)")


def where_clause(db: Backend, f: EventFilter, *, materialize: bool = False) -> tuple[str, list[Any]]:
    """The WHERE text (placeholders only) and its parameters for a filter. `materialize` (PostgreSQL):
    the text filters' event ids are computed first, on their own (see `_capped_count`).

    Mention conditions are `e.id IN (one set of event ids)`, not a correlated EXISTS per event; the
    `actor` and `text` sets come from the trigram index where it applies (store/search.py).
    """
    _check_date("since", f.since)
    _check_date("until", f.until)
    clauses: list[str] = []
    params: list[Any] = []
    event_type, mode, country = (
        f.event_type and f.event_type.upper(),
        f.mode and f.mode.lower(),
        f.country and f.country.upper(),
    )
    exact = (("e.event_type = ?", event_type), ("e.mode = ?", mode), ("e.country_iso3 = ?", country),
             ("e.date >= ?", f.since))  # fmt: skip
    for sql, value in exact:
        if value:
            clauses.append(sql)
            params.append(value)
    # the same exact filters, named as the text index's facets (store/search.py) narrow its candidates
    named = {"type": event_type, "mode": mode, "country": country}
    facets = tuple((name, value) for name, _ in FACETS if (value := named[name]))
    if f.until:
        clauses.append("e.date <= ?")
        params.append(f.until + "\uffff")
    if f.place:
        clauses.append("(LOWER(e.location_name) LIKE ? ESCAPE '\\' OR e.location_name_ar LIKE ? ESCAPE '\\')")
        params += [like_pattern(f.place), like_pattern(f.place)]
    for needle, clause in ((f.actor, actor_clause), (f.text, text_clause)):
        if needle:
            sql, values = clause(db, needle, facets, materialize=materialize)
            clauses.append(sql)
            params += values
    if f.confidence:
        sql, values = _confidence_clause(f.confidence)
        clauses.append(sql)
        params += values
    if f.review:
        sql, values = status_clause(f.review)
        clauses.append(sql)
        params += values
    if f.bbox:
        min_lon, min_lat, max_lon, max_lat = f.bbox
        clauses.append(_bbox_clause(f.bbox))
        params += [min_lon, max_lon, min_lat, max_lat]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _confidence_clause(floors: tuple[tuple[str, float], ...]) -> tuple[str, list[Any]]:
    """Events with at least one factual mention whose confidence reaches its type's floor."""
    named = [(t, v) for t, v in floors if t != "*"]
    other = dict(floors).get("*", 0.0)
    number = "CAST(? AS DOUBLE PRECISION)"  # PostgreSQL types a bare CASE parameter as text
    case = (
        f"CASE m.event_type {' '.join(f'WHEN ? THEN {number}' for _ in named)} ELSE {number} END" if named else number
    )
    params: list[Any] = [x for pair in named for x in pair] + [other]
    sql = ("e.id IN (SELECT m.event_id FROM mentions m WHERE m.event_id IS NOT NULL AND NOT m.negated "
           f"AND NOT m.hypothetical AND m.confidence >= {case})")  # fmt: skip
    return sql, params


def _bbox_clause(bbox: tuple[float, float, float, float]) -> str:
    lon = "(e.lon >= ? AND e.lon <= ?)" if bbox[0] <= bbox[2] else "(e.lon >= ? OR e.lon <= ?)"
    return f"({lon} AND e.lat >= ? AND e.lat <= ?)"


def event_pages(db: Backend, f: EventFilter) -> Iterator[list[dict[str, Any]]]:
    """Matching event rows, newest first, a page at a time."""
    where, params = where_clause(db, f)
    columns = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
    sql = f"SELECT {columns} FROM events e{where} ORDER BY e.date DESC NULLS LAST, e.id LIMIT ? OFFSET ?"
    left = f.limit if f.limit is not None else None
    offset = 0
    while left is None or left > 0:
        size = PAGE if left is None else min(PAGE, left)
        rows = db.read(sql, [*params, size, offset])
        if not rows:
            return
        yield [dict(zip(EVENT_COLUMNS, row, strict=True)) for row in rows]
        offset += len(rows)
        left = None if left is None else left - len(rows)
        if len(rows) < size:
            return


def mentions_of(db: Backend, event_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Each event's mentions with the article's outlet, URL and publication date, in mention order."""
    found: dict[int, list[dict[str, Any]]] = {int(e): [] for e in event_ids}
    if not event_ids:
        return found
    rows = db.read(
        "SELECT m.event_id, m.id, m.article_id, a.source, a.url, a.date, m.record FROM mentions m "
        f"JOIN articles a ON a.id = m.article_id WHERE m.event_id IN ({', '.join('?' * len(event_ids))}) ORDER BY m.id",
        list(event_ids),
    )
    for eid, mid, aid, source, url, date, record in rows:
        found[int(eid)].append({"mention_id": int(mid), "article_id": aid, "article_source": source, "url": url,
                                "date": date, "record": json.loads(record)})  # fmt: skip
    return found


# Orderings the API may ask for; the final `e.id` makes every order total, so pages never overlap.
SORTS = {
    "-date": "e.date DESC NULLS LAST, e.id DESC",
    "date": "e.date ASC NULLS LAST, e.id ASC",
    "-source_count": "e.source_count DESC, e.id DESC",
    "source_count": "e.source_count ASC, e.id ASC",
}


def count_events(db: Backend, f: EventFilter) -> int:
    """How many events match `f`."""
    where, params = where_clause(db, f)
    return int(db.read(f"SELECT COUNT(*) FROM events e{where}", params)[0][0])


def count_events_upto(db: Backend, f: EventFilter, *, stop: int) -> int:
    """min(matching events, stop): a text filter stops counting at `stop` instead of counting every match.

    SQLite: broad needles ("الطلاب" in a quarter of the events) are counted over a window of the first
    events that pass the other filters; rare ones, which leave the window short, take the index.
    PostgreSQL: the index, after a 500-event probe when there are other filters (see below).
    """
    if not _text_filtered(f):
        return min(count_events(db, f), stop)
    where, params = where_clause(db, replace(f, actor=None, text=None))
    checks, values = _text_checks(db, f)
    window = stop * COUNT_WINDOW

    def walk(events: int, upto: int) -> int:
        return int(db.read(f"SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT e.id FROM events e{where} LIMIT ?) e "
                           f"WHERE {checks} LIMIT ?) n", [*params, events, *values, upto])[0][0])  # fmt: skip

    if not _walks(db) and not where:
        return _capped_count(db, f, stop)
    probe = min(COUNT_PROBE, window)
    found = walk(probe, stop)
    if found >= stop or _fits(db, where, params, probe):
        return found
    if not _walks(db):
        # PostgreSQL with other filters too: it estimates the matches of each LIKE, not of their
        # intersection, so for a needle and a type with little in common it picks a join meant to stop
        # early at the LIMIT and reads every event_text row (30-36 ms at 100,000 events). A probe that
        # found nothing says the intersection is sparse: then compute it first, from the indexes alone.
        return _capped_count(db, f, stop, materialize=found == 0)
    if found * window >= stop * probe:  # the window can be expected to reach `stop`
        found = walk(window, stop)
        if found >= stop or _fits(db, where, params, window):
            return found
    return _capped_count(db, f, stop)


def _capped_count(db: Backend, f: EventFilter, stop: int, *, materialize: bool = False) -> int:
    where, params = where_clause(db, f, materialize=materialize)
    return _count_where(db, where, params, stop)


def _count_where(db: Backend, where: str, params: list[Any], stop: int) -> int:
    """min(events passing `where`, stop)."""
    return int(db.read(f"SELECT COUNT(*) FROM (SELECT 1 FROM events e{where} LIMIT ?) n", [*params, stop])[0][0])


def _walks(db: Backend) -> bool:
    """Whether text filters walk windows of events before the index (SQLite; see PAGE_WINDOWS)."""
    return db.dialect == "sqlite"


def _fits(db: Backend, where: str, params: list[Any], window: int) -> bool:
    """Whether at most `window` events pass `where`: then a window walked them all."""
    return _count_where(db, where, params, window + 1) <= window


def _text_filtered(f: EventFilter) -> bool:
    return bool(f.actor or f.text)


def _text_checks(db: Backend, f: EventFilter) -> tuple[str, list[Any]]:
    """The text filters of `f` as per-event checks (`EXISTS`), joined by AND."""
    checks: list[str] = []
    values: list[Any] = []
    for needle, check in ((f.actor, actor_exists), (f.text, text_exists)):
        if needle:
            sql, given = check(db, needle)
            checks.append(sql)
            values += given
    return " AND ".join(checks), values


def event_page(db: Backend, f: EventFilter, *, sort: str, offset: int, limit: int) -> list[dict[str, Any]]:
    """One page of matching event rows in a named order (a key of `SORTS`)."""
    if sort not in SORTS:
        raise UsageError(f"sort {sort!r} is not one of {', '.join(SORTS)}")
    if offset < 0 or limit < 0:
        raise UsageError("offset and limit must be 0 or more")
    if _text_filtered(f) and limit > 0 and _walks(db):
        for i, multiple in enumerate(PAGE_WINDOWS):
            window = (offset + limit) * multiple
            rows, complete = _window_page(db, f, sort=sort, offset=offset, limit=limit, window=window)
            if complete:
                return rows
            matched = offset + len(rows) if rows else 0  # matches in the window (a short page: all of them)
            later = PAGE_WINDOWS[i + 1] * (offset + limit) if i + 1 < len(PAGE_WINDOWS) else 0
            if matched * later < (offset + limit) * window:  # the next window cannot be expected to fill
                break
    where, params = where_clause(db, f)
    columns = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
    # The page's ids first (an index walk when the filters and the order are indexed), then their rows:
    # sorting never drags the wide `summary` column along.
    sql = (f"SELECT {columns} FROM events e WHERE e.id IN (SELECT e.id FROM events e{where} ORDER BY {SORTS[sort]} "
           f"LIMIT ? OFFSET ?) ORDER BY {SORTS[sort]}")  # fmt: skip
    return [dict(zip(EVENT_COLUMNS, row, strict=True)) for row in db.read(sql, [*params, limit, offset])]


def _window_page(
    db: Backend, f: EventFilter, *, sort: str, offset: int, limit: int, window: int
) -> tuple[list[dict[str, Any]], bool]:
    """(rows, exact): the page among the first events (in `sort` order) that pass the other filters, each
    checked against the text filters. A full page is the exact page: the window is a prefix of the order,
    so its first `offset + limit` matches are everyone's. So is a short one if the window held every event."""
    where, params = where_clause(db, replace(f, actor=None, text=None))
    checks, values = _text_checks(db, f)
    columns = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
    # only the sort's own columns: an index holds them (events_date, events_count), no event row is read
    keys = "e.id, e.date" if sort.endswith("date") else "e.id, e.source_count"
    sql = (f"SELECT {columns} FROM events e WHERE e.id IN (SELECT e.id FROM (SELECT {keys} "
           f"FROM events e{where} ORDER BY {SORTS[sort]} LIMIT ?) e WHERE {checks} ORDER BY {SORTS[sort]} "
           f"LIMIT ? OFFSET ?) ORDER BY {SORTS[sort]}")  # fmt: skip
    found = db.read(sql, [*params, window, *values, limit, offset])
    rows = [dict(zip(EVENT_COLUMNS, row, strict=True)) for row in found]
    return rows, len(rows) == limit or _fits(db, where, params, window)


def event_row(db: Backend, event_id: int) -> dict[str, Any] | None:
    """The row of one event, or None."""
    columns = ", ".join(EVENT_COLUMNS)
    rows = db.read(f"SELECT {columns} FROM events WHERE id = ?", (event_id,))
    return dict(zip(EVENT_COLUMNS, rows[0], strict=True)) if rows else None


def first_evidence(db: Backend, event_ids: Sequence[int]) -> dict[int, tuple[int, dict[str, Any]]]:
    """Each event's mention count and its first mention's evidence: {sentence, trigger, article_id}."""
    if not event_ids:
        return {}
    marks = ", ".join("?" * len(event_ids))
    rows = db.read(
        "SELECT g.event_id, g.n, m.article_id, m.sentence, m.trigger_start - m.sentence_start, "
        "m.trigger_end - m.sentence_start FROM mentions m JOIN "
        f"(SELECT event_id, COUNT(*) AS n, MIN(id) AS first FROM mentions WHERE event_id IN ({marks}) "
        "GROUP BY event_id) g ON m.id = g.first",
        list(event_ids),
    )
    found: dict[int, tuple[int, dict[str, Any]]] = {}
    for eid, count, article_id, sentence, start, end in rows:
        # the trigger lies inside its sentence (tests/unit/test_properties.py), so no record JSON is parsed
        evidence = {"sentence": sentence, "trigger": sentence[start:end], "article_id": article_id}
        found[int(eid)] = (int(count), evidence)
    return found


def article_row(db: Backend, article_id: str) -> dict[str, Any] | None:
    """An article's id, title, source, url, date and text, or None."""
    names = ("id", "title", "source", "url", "date", "text")
    rows = db.read(f"SELECT {', '.join(names)} FROM articles WHERE id = ?", (article_id,))
    return dict(zip(names, rows[0], strict=True)) if rows else None


def article_mentions(db: Backend, article_id: str) -> list[dict[str, Any]]:
    """Every mention coded from an article (negated and hypothetical ones too), in mention order."""
    rows = db.read("SELECT id, event_id, record FROM mentions WHERE article_id = ? ORDER BY id", (article_id,))
    return [{"mention_id": int(m), "event_id": None if e is None else int(e), "record": json.loads(r)}
            for m, e, r in rows]  # fmt: skip


def event_ids_of(db: Backend, article_id: str) -> list[int]:
    """The events an article's mentions belong to, ascending."""
    rows = db.read(
        "SELECT DISTINCT event_id FROM mentions WHERE article_id = ? AND event_id IS NOT NULL ORDER BY event_id",
        (article_id,),
    )
    return [int(r[0]) for r in rows]


def grouped_counts(db: Backend, f: EventFilter, column: str) -> list[tuple[Any, int]]:
    """(value, count) of matching events per value of an events column, value ascending, NULLs dropped."""
    if column not in ("date", "event_type", "country_iso3"):
        raise UsageError(f"cannot group events by {column!r}")
    where, params = where_clause(db, f)
    where = f"{where} AND e.{column} IS NOT NULL" if where else f" WHERE e.{column} IS NOT NULL"
    rows = db.read(f"SELECT e.{column}, COUNT(*) FROM events e{where} GROUP BY e.{column} ORDER BY e.{column}", params)
    return [(value, int(count)) for value, count in rows]


def bucket_dates(counts: Sequence[tuple[str, int]], group: str) -> list[dict[str, Any]]:
    """Per-day counts as [{date, count}] by day, or by week (the date is the week's Monday).

    Dates that are not YYYY-MM-DD (none are written today) are left out of weekly buckets.
    """
    if group == "day":
        return [{"date": day, "count": n} for day, n in counts]
    if group != "week":
        raise UsageError(f"group {group!r} is not day or week")
    weeks: Counter[str] = Counter()
    for day, n in counts:
        try:
            parsed = Date.fromisoformat(day)
        except ValueError:
            continue
        weeks[(parsed - timedelta(days=parsed.weekday())).isoformat()] += n
    return [{"date": week, "count": n} for week, n in sorted(weeks.items())]
