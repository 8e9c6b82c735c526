"""`Store`: write one article with its mentions and event links atomically; query events.

Every write of an article (the article row, its mentions, the events they found or join) is one
transaction, so a crash leaves the whole article or nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from marsad.errors import UsageError
from marsad.model import Article
from marsad.store import dedup, reviews
from marsad.store.backend import Backend, StoreError, connect
from marsad.store.entities import EntityIds, list_actors, list_places
from marsad.store.query import (
    EventFilter,
    article_mentions,
    article_row,
    bucket_dates,
    count_events,
    count_events_upto,
    event_ids_of,
    event_page,
    event_pages,
    event_row,
    first_evidence,
    grouped_counts,
    mentions_of,
    where_clause,
)
from marsad.store.reviews import ReviewIn, current_view, event_version
from marsad.store.schema import REVIEWS_VERSION, current_version, migrate
from marsad.store.summary import Member, Record, event_key, summarise
from marsad.text.normalize import normalize

__all__ = ["EventFilter", "Store", "content_hash", "open_store"]

ARTICLE_COLUMNS = "id, source, url, title, date, text, content_hash, lexicon_version, coded_at"
MENTION_COLUMNS = (
    "article_id, event_type, mode, date, time_precision, country_iso3, geonameid, lat, lon, "
    "source_text, source_country, source_role, target_text, target_country, target_role, "
    "sentence_start, sentence_end, trigger_start, trigger_end, sentence, confidence, negated, hypothetical, record"
)
MENTION_INSERT = (
    f"INSERT INTO mentions ({MENTION_COLUMNS}, place_id, source_actor_id, target_actor_id) "
    f"VALUES ({', '.join('?' * 27)}) RETURNING id"
)
EVENT_UPDATE = (
    "UPDATE events SET event_type = ?, mode = ?, date = ?, time_precision = ?, date_from = ?, date_to = ?, "
    "country_iso3 = ?, geonameid = ?, lat = ?, lon = ?, location_name = ?, location_name_ar = ?, size_min = ?, "
    "size_max = ?, fatalities_min = ?, fatalities_max = ?, source_count = ?, summary = ?, place_id = ? WHERE id = ?"
)


def content_hash(text: str) -> str:
    """sha256 of the normalised text with whitespace runs collapsed: the same report, however saved."""
    return hashlib.sha256(" ".join(normalize(text).text.split()).encode("utf-8")).hexdigest()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _mention_row(article_id: str, r: Record, ids: tuple[int | None, ...] = ()) -> tuple[Any, ...]:
    """The MENTION_COLUMNS values of a record, followed by `ids` (place, source actor, target actor)."""
    place, src, tgt, ev = r.get("location") or {}, r.get("source") or {}, r.get("target") or {}, r["evidence"]
    return (
        article_id, r["event_type"], r.get("mode"), r.get("date"), r.get("time_precision"),
        place.get("country_iso3"), place.get("geonameid"), place.get("lat"), place.get("lon"),
        src.get("text"), src.get("country"), src.get("role"), tgt.get("text"), tgt.get("country"), tgt.get("role"),
        ev["start"], ev["end"], ev["trigger_start"], ev["trigger_end"], ev["sentence"], float(r["confidence"]),
        bool(r["negated"]), bool(r["hypothetical"]), json.dumps(r, ensure_ascii=False, sort_keys=True), *ids,
    )  # fmt: skip


def _quantity(q: Record | None) -> tuple[Any, Any]:
    return (q["min"], q["max"]) if q else (None, None)


def _new_event(tx: Backend, key: str, family: str, event_type: str) -> int:
    """Insert an event under `key`, or `key-1`, `key-2`... when a surviving event holds it (after a recode)."""
    for n in range(1000):
        rows = tx.execute("INSERT INTO events (event_key, family, event_type) VALUES (?, ?, ?) "
                          "ON CONFLICT (event_key) DO NOTHING RETURNING id",
                          (key if n == 0 else f"{key}-{n}", family, event_type))  # fmt: skip
        if rows:
            return int(rows[0][0])
    raise StoreError(f"event key {key} is taken 1000 times over; the store is inconsistent")


@dataclass(frozen=True, slots=True)
class Stored:
    """What `Store.add_article` did: "stored", or the reason it skipped the article."""

    outcome: str
    mentions: int = 0


class Store:
    """An open event store (SQLite or PostgreSQL). Use `open_store(url)`."""

    def __init__(self, db: Backend) -> None:
        self.db = db
        self.dialect = db.dialect
        self._keys: dict[int, Any] = {}
        self._entities = EntityIds()
        self._reviewed = migrate(db, now()) >= REVIEWS_VERSION  # False only under a schema patched to before v6

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def schema_version(self) -> int:
        return current_version(self.db)

    def duplicate_reason(self, article: Article, digest: str) -> str | None:
        """The skip reason: "duplicate" if this report (same content, or same id and source) is stored; else None
        ("id-conflict:SOURCE" when another outlet's article already has this id)."""
        rows = self.db.read("SELECT id, source, content_hash FROM articles WHERE id = ? OR content_hash = ?",
                            (article.id, digest))  # fmt: skip
        for rid, source, stored_hash in rows:
            if stored_hash == digest or source == article.source:
                return "duplicate"
        return f"id-conflict:{rows[0][1]}" if rows else None

    def add_article(self, article: Article, records: Sequence[Record], *, lexicon_version: str) -> Stored:
        """Store an article and its coded mentions, deduplicating events, in one transaction."""
        digest = content_hash(article.text)
        pending: dict[int, Any] = {}

        def work(tx: Backend) -> Stored:
            pending.clear()
            self._entities.pending.clear()
            row = (article.id, article.source, article.url, article.title, article.date, article.text, digest,
                   lexicon_version, now())  # fmt: skip
            inserted = tx.execute(
                f"INSERT INTO articles ({ARTICLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING RETURNING id",
                row,
            )
            if not inserted:
                return Stored("duplicate")
            self._add_mentions(tx, article.id, digest, records, pending)
            return Stored("stored", len(records))

        result = self.db.transaction(work)
        self._keys.update(pending)
        self._entities.commit()
        return result

    def replace_mentions(self, article_id: str, records: Sequence[Record], *, lexicon_version: str) -> None:
        """Re-coding: swap an article's mentions for `records` and recompute the events they touch."""
        pending: dict[int, Any] = {}

        def work(tx: Backend) -> None:
            pending.clear()
            self._entities.pending.clear()
            digest = tx.execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,))[0][0]
            old = tx.execute("SELECT id, event_id FROM mentions WHERE article_id = ?", (article_id,))
            if self._reviewed:
                reviews.unlink(tx, article_id)
            tx.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
            self._refresh(tx, {eid for _, eid in old if eid is not None}, pending)
            self._add_mentions(tx, article_id, digest, records, pending)
            if self._reviewed:
                reviews.relink(tx, article_id)
            tx.execute("UPDATE articles SET lexicon_version = ?, coded_at = ? WHERE id = ?",
                       (lexicon_version, now(), article_id))  # fmt: skip
            for mid, _ in old:
                self._keys.pop(mid, None)

        self.db.transaction(work)
        self._keys.update(pending)
        self._entities.commit()

    def _add_mentions(
        self, tx: Backend, article_id: str, digest: str, records: Sequence[Record], pending: dict[int, Any]
    ) -> set[int]:
        touched: set[int] = set()
        outlet = tx.execute("SELECT COALESCE(source, id) FROM articles WHERE id = ?", (article_id,))[0][0]
        entities = self._entities
        for record in records:
            ids = (entities.place(tx, record.get("location")), entities.actor(tx, record.get("source")),
                   entities.actor(tx, record.get("target")))  # fmt: skip
            mid = int(tx.execute(MENTION_INSERT, _mention_row(article_id, record, ids))[0][0])
            if record["negated"] or record["hypothetical"]:
                continue
            key = pending[mid] = dedup.mention_key(record, mid, outlet)
            family, date_from, date_to = dedup.candidate_window(key)
            event_id = dedup.best_match(key, self._candidates(tx, family, date_from, date_to, pending))
            if event_id is None:
                event_id = _new_event(tx, event_key(digest, record), family, record["event_type"])
            tx.execute("UPDATE mentions SET event_id = ? WHERE id = ?", (event_id, mid))
            touched.add(event_id)
            self._refresh(tx, {event_id}, pending)
        return touched

    def _key(self, mid: int, record: str, outlet: str, pending: dict[int, Any]) -> Any:
        if mid in self._keys:
            return self._keys[mid]
        if mid not in pending:
            pending[mid] = dedup.mention_key(json.loads(record), mid, outlet)
        return pending[mid]

    def _members(self, tx: Backend, event_ids: Sequence[int]) -> list[tuple[int, int, str, str]]:
        """(event id, mention id, record JSON, outlet) of every mention of the events, in mention order."""
        found: list[tuple[int, int, str, str]] = []
        for start in range(0, len(event_ids), 500):
            chunk = event_ids[start : start + 500]
            rows = tx.execute(
                "SELECT m.event_id, m.id, m.record, COALESCE(a.source, a.id) FROM mentions m "
                f"JOIN articles a ON a.id = m.article_id WHERE m.event_id IN ({', '.join('?' * len(chunk))}) "
                "ORDER BY m.id",
                chunk,
            )
            found += [(int(e), int(m), str(r), str(o)) for e, m, r, o in rows]
        return found

    def _candidates(
        self, tx: Backend, family: str, date_from: str | None, date_to: str | None, pending: dict[int, Any]
    ) -> list[tuple[int, list[Any]]]:
        if date_from is None or date_to is None:
            rows = tx.execute("SELECT id FROM events WHERE family = ? AND date_from IS NULL", (family,))
        else:
            rows = tx.execute("SELECT id FROM events WHERE family = ? AND date_from <= ? AND date_to >= ?",
                              (family, date_to, date_from))  # fmt: skip
        found: dict[int, list[Any]] = {int(r[0]): [] for r in rows}
        for eid, mid, record, outlet in self._members(tx, sorted(found)):
            found[eid].append(self._key(mid, record, outlet, pending))
        return sorted(found.items())

    def _refresh(self, tx: Backend, event_ids: set[int], pending: dict[int, Any]) -> None:
        """Recompute each event (fields and date span) from its mentions; drop events left without any."""
        members: dict[int, list[tuple[int, str, str]]] = {eid: [] for eid in event_ids}
        for eid, mid, record, outlet in self._members(tx, sorted(event_ids)):
            members[eid].append((mid, record, outlet))
        for eid, rows in sorted(members.items()):
            if not rows:
                tx.execute("DELETE FROM events WHERE id = ?", (eid,))
                continue
            spans = [dedup.candidate_window(self._key(mid, rec, outlet, pending))[1:] for mid, rec, outlet in rows]
            starts, ends = [a for a, _ in spans if a], [b for _, b in spans if b]
            s = summarise([Member(mid, json.loads(rec), outlet) for mid, rec, outlet in rows])
            place = s["location"] or {}
            tx.execute(EVENT_UPDATE, (
                s["event_type"], s["mode"], s["date"], s["time_precision"], min(starts, default=None),
                max(ends, default=None), s["country_iso3"], place.get("geonameid"), place.get("lat"), place.get("lon"),
                place.get("name_en"), place.get("name_ar"), *_quantity(s["size"]), *_quantity(s["fatalities"]),
                s["source_count"], json.dumps(s, ensure_ascii=False, sort_keys=True),
                self._entities.place(tx, s["location"]), eid,
            ))  # fmt: skip

    def stale_articles(self, lexicon_version: str, *, after: str = "", limit: int = 200) -> list[Article]:
        """Articles coded with another lexicon version, in id order after `after` (for `recode`)."""
        rows = self.db.read(
            "SELECT id, text, date, title, source, url FROM articles WHERE lexicon_version <> ? AND id > ? "
            "ORDER BY id LIMIT ?",
            (lexicon_version, after, limit),
        )
        return [Article(id=r[0], text=r[1], date=r[2], title=r[3], source=r[4], url=r[5]) for r in rows]

    def counts(self) -> dict[str, int]:
        """How many articles, mentions and events the store holds."""
        return {t: int(self.db.read(f"SELECT COUNT(*) FROM {t}")[0][0]) for t in ("articles", "mentions", "events")}

    def iter_events(self, filters: EventFilter | None = None) -> Iterator[dict[str, Any]]:
        """Deduplicated events matching `filters`, newest first, each with all its mentions."""
        for page in event_pages(self.db, filters or EventFilter()):
            ids = [row["id"] for row in page]
            members, latest = mentions_of(self.db, ids), self._latest_reviews(ids)
            for row in page:
                yield current_view(_event_dict(row, members[row["id"]]), latest.get(row["id"]))

    def event_page(
        self,
        filters: EventFilter,
        *,
        sort: str = "-date",
        page: int = 1,
        page_size: int = 50,
        count_cap: int | None = None,
    ) -> tuple[int, list[dict[str, Any]]]:
        """(total, events) for one page: each event as in `iter_events` but with `mention_count` and
        the first mention's `evidence` ({sentence, trigger, article_id}) instead of `mentions`.

        With `count_cap`, a text-filtered (`actor`/`text`) total stops at `count_cap + 1`, meaning "more".
        """  # fmt: skip
        if page < 1 or page_size < 1:
            raise UsageError("page and page_size must be 1 or more")
        if count_cap is not None and count_cap < 1:
            raise UsageError("count_cap must be 1 or more")
        offset = (page - 1) * page_size
        if count_cap is not None and (filters.actor or filters.text):
            total = count_events_upto(self.db, filters, stop=count_cap + 1)
            known = total <= count_cap
        else:
            total, known = count_events(self.db, filters), True
        empty = known and total <= offset
        rows = [] if empty else event_page(self.db, filters, sort=sort, offset=offset, limit=page_size)
        firsts = first_evidence(self.db, [row["id"] for row in rows])
        latest = self._latest_reviews([row["id"] for row in rows])
        events = []
        for row in rows:
            event = current_view(_event_dict(row, []), latest.get(row["id"]))
            del event["mentions"]
            event["mention_count"], event["evidence"] = firsts.get(row["id"], (0, None))
            events.append(event)
        return total, events

    def event(self, event_id: int) -> dict[str, Any] | None:
        """One event with all its mentions (the `iter_events` shape), or None; also `reviews` (its review
        history, oldest first), `machine` (the machine coding of the correctable fields) and `version`."""
        event = _reviewed_event(self.db, event_id)
        if event is not None:
            del event["machine_event"]
        return event

    def _latest_reviews(self, event_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        return {eid: found[-1] for eid, found in reviews.reviews_of(self.db, event_ids).items() if found}

    def review(self, event_id: int, version: str, review: ReviewIn) -> dict[str, Any]:
        """Store a review of an event loaded at `version` (one transaction, with its audit entry); the
        event as now reviewed. `ReviewConflict` if it changed since, `UsageError` if the review is invalid."""

        def work(tx: Backend) -> None:
            event = _reviewed_event(tx, event_id)
            if event is None:
                raise UsageError(f"no event {event_id}")
            reviews.add_review(tx, event["machine_event"], version, review, at=now(), current=event["version"])

        self.db.transaction(work)
        found = self.event(event_id)
        assert found is not None
        return found

    def review_stats(self, filters: EventFilter) -> dict[str, Any]:
        """Review progress among the matching events and the observed precision per machine type."""
        where, params = where_clause(self.db, filters)
        return reviews.review_stats(self.db, where, params, count_events(self.db, filters))

    def next_unreviewed(
        self, filters: EventFilter, thresholds: dict[str, float], *, skip: Sequence[int] = ()
    ) -> dict[str, Any] | None:
        """The matching unreviewed event whose probability is nearest its type's threshold (see reviews.py)."""
        where, params = where_clause(self.db, filters)
        return reviews.next_unreviewed(self.db, where, params, thresholds, skip=skip)

    def detached_reviews(self) -> list[dict[str, Any]]:
        """Reviews whose evidence span no event holds after a recode (kept, never dropped)."""
        return reviews.detached(self.db)

    def review_flags(self) -> dict[str, int]:
        """After a recode: reviews still on an event, those whose event's machine coding changed since the
        review (to look at again, `coding_changed` in the API), and those detached from every event."""
        ids = reviews.latest_event_ids(self.db)
        changed = sum(event["review"]["coding_changed"] for event in self._events(ids))
        return {"attached": len(ids), "coding_changed": changed, "detached": len(reviews.detached(self.db))}

    def _events(self, event_ids: Sequence[int]) -> Iterator[dict[str, Any]]:
        for start in range(0, len(event_ids), 500):
            chunk = list(event_ids[start : start + 500])
            latest = self._latest_reviews(chunk)
            for eid in chunk:
                row = event_row(self.db, eid)
                if row is not None:
                    yield current_view(_event_dict(row, []), latest.get(eid))

    def audit_log(self, *, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        return reviews.audit_entries(self.db, after=after, limit=limit)

    def audit(self, *, actor: str, action: str, detail: Any, event_id: int | None = None) -> None:
        """Record a write that is not a review (e.g. an article posted through the API)."""
        self.db.transaction(lambda tx: reviews.audit(tx, at=now(), actor=actor, action=action, event_id=event_id,
                                                     review_id=None, detail=detail))  # fmt: skip

    def article(self, article_id: str) -> dict[str, Any] | None:
        """An article (id, title, source, url, date, text) with `mentions`: [{mention_id, event_id, record}]."""
        row = article_row(self.db, article_id)
        return None if row is None else {**row, "mentions": article_mentions(self.db, article_id)}

    def stored_id(self, article: Article) -> str | None:
        """The id under which this report is stored: same content, or same id and source; else None."""
        digest = content_hash(article.text)
        rows = self.db.read("SELECT id, source, content_hash FROM articles WHERE id = ? OR content_hash = ? ORDER BY id",
                            (article.id, digest))  # fmt: skip
        for rid, source, stored_hash in rows:
            if stored_hash == digest or source == article.source:
                return str(rid)
        return None

    def event_ids_of(self, article_id: str) -> list[int]:
        """The events an article's factual mentions belong to."""
        return event_ids_of(self.db, article_id)

    def places(self, text: str | None = None, *, limit: int = 50) -> list[dict[str, Any]]:
        """Places (name, country, coordinates...) with how many events are placed there, most first;
        `text` keeps those whose English or Arabic name contains it, or whose country is it."""
        return list_places(self.db, text, limit)

    def actors(self, text: str | None = None, *, limit: int = 50) -> list[dict[str, Any]]:
        """Actors (text, name_en, country, role) with how many events name them, most first; `text`
        keeps those whose text or English name contains it, or whose country or role is it."""
        return list_actors(self.db, text, limit)

    def stats(self, filters: EventFilter, *, group: str = "day") -> dict[str, Any]:
        """Counts of matching events: total, by date (day or week), by type and by country; review progress."""
        total = count_events(self.db, filters)
        where, params = where_clause(self.db, filters)
        return {
            "total": total,
            "by_date": bucket_dates(grouped_counts(self.db, filters, "date"), group),
            "by_type": dict(grouped_counts(self.db, filters, "event_type")),
            "by_country": dict(grouped_counts(self.db, filters, "country_iso3")),
            "review": reviews.review_stats(self.db, where, params, total),
        }


def _event_dict(row: dict[str, Any], mentions: list[dict[str, Any]]) -> dict[str, Any]:
    summary = json.loads(row["summary"])
    return {
        "event_id": row["id"], "event_key": row["event_key"], "event_type": row["event_type"], "mode": row["mode"],
        "date": row["date"], "time_precision": row["time_precision"], "location": summary.get("location"),
        "country_iso3": row["country_iso3"], "source": summary.get("source"), "target": summary.get("target"),
        "size": summary.get("size"), "fatalities": summary.get("fatalities"), "injuries": summary.get("injuries"),
        "source_count": row["source_count"], "mentions": mentions,
    }  # fmt: skip


def _reviewed_event(db: Backend, event_id: int) -> dict[str, Any] | None:
    row = event_row(db, event_id)
    if row is None:
        return None
    machine = _event_dict(row, mentions_of(db, [event_id])[event_id])
    history = reviews.reviews_of(db, [event_id])[event_id]
    latest = history[-1] if history else None
    anchors = [m["mention_id"] for m in machine["mentions"]]
    version = event_version(reviews.machine_fields(machine), anchors, None if latest is None else int(latest["id"]))
    view = current_view(machine, latest)
    return {
        **view,
        "reviews": history,
        "machine": reviews.machine_fields(machine),
        "version": version,
        "machine_event": machine,
    }


def open_store(url: str) -> Store:
    """Open (creating and migrating as needed) the store at `url`: a path, sqlite:///path or postgresql://."""
    return Store(connect(url))
