"""A large store built quickly for latency tests: real coded records, replayed on many dates.

Each (template, city) sentence is coded once by `marsad.code`; the records are then stored for
`n` articles with varied dates and outlets, written in one transaction with the rows
`Store.add_article` would write for an event of one mention (no cross-report merging, which is
what makes per-article ingest slow and is not what these tests measure).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache, partial
from typing import Any

import marsad
from marsad.store import Store
from marsad.store.backend import Backend
from marsad.store.store import ARTICLE_COLUMNS, MENTION_COLUMNS, _mention_row, content_hash
from marsad.store.summary import Member, event_key, summarise

TEMPLATES = (
    "تظاهر مئات الطلاب في {place} احتجاجاً على البطالة.",
    "اعتقلت قوات الأمن عشرين ناشطاً في {place}.",
    "أضرب عمال النفط في {place} عن العمل.",
    "التقى وزير الخارجية الأردني نظيره المصري في {place}.",
)
CITIES = ("بغداد", "القاهرة", "عمان", "البصرة", "تونس", "بيروت", "دمشق", "الرباط", "الخرطوم", "صنعاء", "طرابلس",
          "الجزائر", "الرياض", "الدوحة", "حمص", "حلب", "الموصل", "الإسكندرية", "طهران", "غزة")  # fmt: skip
OUTLETS = ("alwatan", "alahram", "alghad", "annahar", "hespress")
EVENT_INSERT = (
    "INSERT INTO events (event_key, family, event_type, mode, date, time_precision, date_from, date_to, "
    "country_iso3, geonameid, lat, lon, location_name, location_name_ar, size_min, size_max, fatalities_min, "
    "fatalities_max, source_count, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "RETURNING id"
)


@cache
def coded_sentences() -> list[tuple[str, list[dict[str, Any]]]]:
    """(text, records) for every template and city that codes to at least one event."""
    found = []
    for template in TEMPLATES:
        for city in CITIES:
            text = template.format(place=city)
            records = [e.to_dict() for e in marsad.code(text) if e.factual]
            if records:
                found.append((text, records))
    return found


def _q(value: dict[str, Any] | None) -> tuple[Any, Any]:
    return (value["min"], value["max"]) if value else (None, None)


def _write(tx: Backend, articles: range, *, start: date, version: str, max_events: int | None = None) -> int:
    """Write the articles numbered `articles`, stopping once `max_events` events are written; how many were."""
    sentences, written = coded_sentences(), 0
    for i in articles:
        text, records = sentences[i % len(sentences)]
        if max_events is not None:
            records = records[: max_events - written]
            if not records:
                break
        day = (start + timedelta(days=(i * 7919) % 1095)).isoformat()
        article_id = f"syn-{i:06d}"
        body = f"{text}\n(تقرير {i})"
        tx.execute(f"INSERT INTO articles ({ARTICLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (article_id, OUTLETS[i % len(OUTLETS)], f"https://example.org/{article_id}", f"خبر {i}", day, body,
                    content_hash(body), version, "2024-01-01T00:00:00+00:00"))  # fmt: skip
        for record in records:
            record = {**record, "article_id": article_id, "date": day, "time_precision": 1}
            s = summarise([Member(0, record, OUTLETS[i % len(OUTLETS)])])
            place = s["location"] or {}
            eid = tx.execute(EVENT_INSERT, (
                event_key(content_hash(body), record), s["event_type"], s["event_type"], s["mode"], day, 1, day, day,
                s["country_iso3"], place.get("geonameid"), place.get("lat"), place.get("lon"), place.get("name_en"),
                place.get("name_ar"), *_q(s["size"]), *_q(s["fatalities"]), 1,
                json.dumps(s, ensure_ascii=False, sort_keys=True)))[0][0]  # fmt: skip
            mid = tx.execute(f"INSERT INTO mentions ({MENTION_COLUMNS}) VALUES ({', '.join('?' * 24)}) RETURNING id",
                             _mention_row(article_id, record))[0][0]  # fmt: skip
            tx.execute("UPDATE mentions SET event_id = ? WHERE id = ?", (eid, mid))
        written += len(records)
    return written


def fill(store: Store, n: int, *, start: date = date(2022, 1, 1), version: str = "synthetic") -> None:
    """Add `n` synthetic articles (one or more events each) over three years from `start`."""
    store.db.transaction(lambda tx: _write(tx, range(n), start=start, version=version))


def fill_events(store: Store, events: int, *, batch: int = 5_000, start: date = date(2022, 1, 1)) -> int:
    """Add synthetic articles until exactly `events` events are written (for the load test: 100,000),
    `batch` articles per transaction; returns the number of articles."""
    written = articles = 0
    while written < events:
        numbers, left = range(articles, articles + batch), events - written
        written += store.db.transaction(partial(_write, articles=numbers, start=start, version="synthetic",
                                                max_events=left))  # fmt: skip
        articles += batch
    return int(store.db.read("SELECT COUNT(*) FROM articles")[0][0])
