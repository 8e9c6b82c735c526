"""One input record → its rows in the batch job's tables; pure, no Spark needed.

A record is a JSONL line (str) or a Parquet row (dict) in the `code` format
`{id, text, date?, title?, source?, url?}`. `code_record` validates it with the readers' rule
(`article_from_json`), codes it with `marsad.code` and returns a `Coded`: the mention rows, the
article status row, and an error row when the record is bad or the coder raised. A bad record never
raises out of here, so it never fails a Spark task.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from marsad.errors import InputError
from marsad.extract.dates import parse_record_date
from marsad.io.readers import article_from_json
from marsad.model import Article, Event

__all__ = [
    "ARTICLE_COLUMNS",
    "ERROR_COLUMNS",
    "MENTION_COLUMNS",
    "MENTION_SLOTS",
    "UNKNOWN_DATE",
    "Coded",
    "Coder",
    "code_record",
    "ddl",
]

Coder = Callable[..., list[Event]]
Row = tuple[Any, ...]

UNKNOWN_DATE = "unknown"
MENTION_SLOTS = 1 << 20
"""mention_id = seq * MENTION_SLOTS + k: mention ids sort in input order, then trigger order."""

MENTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("mention_id", "bigint"), ("seq", "bigint"), ("article_id", "string"), ("outlet", "string"),
    ("event_type", "string"), ("mode", "string"), ("negated", "boolean"), ("hypothetical", "boolean"),
    ("confidence", "double"), ("event_date", "string"), ("time_precision", "int"), ("country_iso3", "string"),
    ("geonameid", "bigint"), ("lat", "double"), ("lon", "double"), ("location_name", "string"),
    ("source_text", "string"), ("source_country", "string"), ("source_role", "string"),
    ("target_text", "string"), ("target_country", "string"), ("target_role", "string"),
    ("sentence_start", "int"), ("sentence_end", "int"), ("trigger", "string"), ("trigger_start", "int"),
    ("trigger_end", "int"), ("record", "string"), ("date", "string"),
)  # fmt: skip
ARTICLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("seq", "bigint"), ("id", "string"), ("ok", "boolean"), ("n_events", "int"), ("error", "string"),
    ("text", "string"), ("title", "string"), ("source", "string"), ("url", "string"),
    ("article_date", "string"), ("records", "array<string>"), ("date", "string"),
)  # fmt: skip
ERROR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("seq", "bigint"),
    ("id", "string"),
    ("file", "string"),
    ("reason", "string"),
    ("date", "string"),
)


def ddl(columns: Sequence[tuple[str, str]]) -> str:
    """A Spark DDL schema string: "seq bigint, id string, ..."."""
    return ", ".join(f"`{name}` {kind}" for name, kind in columns)


@dataclass(frozen=True, slots=True)
class Coded:
    """The rows one input record contributes to mentions/, articles/ and errors/."""

    mentions: tuple[Row, ...] = ()
    article: Row | None = None
    error: Row | None = None


_ID = re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)')


def _salvage_id(line: str) -> str | None:
    """The id of a line that is not valid JSON, when it can still be read: `{"id": "a1", "text": ...`."""
    found = _ID.search(line)
    if not found:
        return None
    try:
        return str(json.loads(found.group(1))) or None
    except json.JSONDecodeError:
        return None


def _plain(value: Any) -> Any:
    """Parquet date/timestamp cells as ISO strings, so they validate like JSON strings."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, dt.date) else value


def _decode(payload: str | dict[str, Any], where: str) -> tuple[dict[str, Any] | None, str | None]:
    """(record object, None) or (None, reason)."""
    if isinstance(payload, dict):
        return {name: _plain(value) for name, value in payload.items()}, None
    try:
        obj = json.loads(payload)
    except json.JSONDecodeError as exc:
        return None, f"{where}: invalid JSON: {exc.msg} at column {exc.colno}"
    return (obj, None) if isinstance(obj, dict) else (None, f"{where}: a record must be a JSON object")


def _known_id(obj: dict[str, Any] | None, payload: str | dict[str, Any]) -> str | None:
    if obj is None:
        return _salvage_id(payload) if isinstance(payload, str) else None
    rid = obj.get("id")
    return str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) and str(rid) else None


def partition_date(value: str | None) -> str:
    """The `date` partition value: the ISO day of `value`, or "unknown"."""
    try:
        day = parse_record_date(value)
    except (ValueError, TypeError, AttributeError):
        return UNKNOWN_DATE
    return day.isoformat() if day else UNKNOWN_DATE


def _get(record: dict[str, Any] | None, name: str) -> Any:
    return record.get(name) if record else None


def mention_row(mention_id: int, seq: int, article: Article, record: dict[str, Any], article_day: str) -> Row:
    """One row of mentions/ from an `Event.to_dict()` record."""
    place, src, tgt, ev = record.get("location"), record.get("source"), record.get("target"), record["evidence"]
    event_date = record.get("date")
    return (
        mention_id, seq, article.id, article.source or article.id, record["event_type"], record.get("mode"),
        bool(record["negated"]), bool(record["hypothetical"]), float(record["confidence"]), event_date,
        record.get("time_precision"), _get(place, "country_iso3"), _get(place, "geonameid"), _get(place, "lat"),
        _get(place, "lon"), _get(place, "name_en"), _get(src, "text"), _get(src, "country"), _get(src, "role"),
        _get(tgt, "text"), _get(tgt, "country"), _get(tgt, "role"), ev["start"], ev["end"], ev["trigger"],
        ev["trigger_start"], ev["trigger_end"], json.dumps(record, ensure_ascii=False, sort_keys=True),
        partition_date(event_date) if event_date else article_day,
    )  # fmt: skip


def _article_row(seq: int, article: Article, day: str, records: list[str], error: str | None) -> Row:
    return (seq, article.id, error is None, len(records), error, article.text, article.title, article.source,
            article.url, article.date, records, day)  # fmt: skip


def code_record(seq: int, file: str, payload: str | dict[str, Any], coder: Coder) -> Coded:
    """Validate and code one record; every failure becomes an error row, never an exception.

    `coder(text, article_id=..., date=...)` is `marsad.code` in the job (an unreadable date is an
    `InputError` there, as in `marsad ingest`).
    """
    if isinstance(payload, str) and not payload.strip():
        return Coded()
    where = f"{file}#{seq}"
    obj, reason = _decode(payload, where)
    if obj is None:
        return Coded(error=(seq, _known_id(obj, payload), file, reason, UNKNOWN_DATE))
    try:
        article = article_from_json(obj, where)
    except InputError as exc:
        return Coded(error=(seq, _known_id(obj, payload), file, str(exc), partition_date(_plain(obj.get("date")))))
    day = partition_date(article.date)
    try:
        records = [event.to_dict() for event in coder(article.text, article_id=article.id, date=article.date)]
    except Exception as exc:  # noqa: BLE001 - a coder bug fails one record, not the job
        reason = f"coding failed: {type(exc).__name__}: {exc}"
        return Coded(article=_article_row(seq, article, day, [], reason), error=(seq, article.id, file, reason, day))
    mentions = tuple(mention_row(seq * MENTION_SLOTS + k, seq, article, r, day) for k, r in enumerate(records))
    article_row = _article_row(seq, article, day, [str(m[-2]) for m in mentions], None)
    return Coded(mentions=mentions, article=article_row)
