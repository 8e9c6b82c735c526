"""Event queries: filters become parameterised SQL (user text is only ever a parameter)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from marsad.errors import UsageError
from marsad.store.backend import Backend

EVENT_COLUMNS = ("id", "event_key", "event_type", "mode", "date", "time_precision", "country_iso3", "source_count",
                 "summary")  # fmt: skip
PAGE = 500
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What `marsad events` and `Store.iter_events` select. Every field is optional.

    `place` matches the English or Arabic place name, `actor` a source or target's text,
    country or role, `text` the evidence or the article title (substring, case-insensitive).
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


def _like(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _check_date(name: str, value: str | None) -> None:
    if value is not None and not _ISO_DATE.fullmatch(value):
        raise UsageError(f"--{name} {value!r} is not an ISO date; write YYYY-MM-DD (or YYYY-MM, YYYY)")


def where_clause(f: EventFilter) -> tuple[str, list[Any]]:
    """The WHERE text (placeholders only) and its parameters for a filter."""
    _check_date("since", f.since)
    _check_date("until", f.until)
    clauses: list[str] = []
    params: list[Any] = []
    exact = (("e.event_type = ?", f.event_type and f.event_type.upper()), ("e.mode = ?", f.mode and f.mode.lower()),
             ("e.country_iso3 = ?", f.country and f.country.upper()), ("e.date >= ?", f.since))  # fmt: skip
    for sql, value in exact:
        if value:
            clauses.append(sql)
            params.append(value)
    if f.until:
        clauses.append("e.date <= ?")
        params.append(f.until + "\uffff")
    if f.place:
        clauses.append("(LOWER(e.location_name) LIKE ? ESCAPE '\\' OR e.location_name_ar LIKE ? ESCAPE '\\')")
        params += [_like(f.place), _like(f.place)]
    if f.actor:
        clauses.append(
            "EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = e.id AND (LOWER(m.source_text) LIKE ? ESCAPE '\\' "
            "OR LOWER(m.target_text) LIKE ? ESCAPE '\\' OR m.source_country = ? OR m.target_country = ? "
            "OR m.source_role = ? OR m.target_role = ?))"
        )
        params += [_like(f.actor)] * 2 + [f.actor.upper()] * 4
    if f.text:
        clauses.append(
            "EXISTS (SELECT 1 FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.event_id = e.id "
            "AND (LOWER(m.sentence) LIKE ? ESCAPE '\\' OR LOWER(a.title) LIKE ? ESCAPE '\\'))"
        )
        params += [_like(f.text)] * 2
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def event_pages(db: Backend, f: EventFilter) -> Iterator[list[dict[str, Any]]]:
    """Matching event rows, newest first, a page at a time."""
    where, params = where_clause(f)
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
