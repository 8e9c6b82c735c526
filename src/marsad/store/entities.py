"""Places and actors as tables: one row per distinct place or actor, referenced by mentions and events.

A place is keyed by its geonameid (`g:360630`), or by English name and country when the gazetteer
gave none (`n:Cairo|EGY`); an actor by (English name or text, country, role). Rows are inserted
once (`ON CONFLICT DO NOTHING`, then read back) and never deleted, so an id, once seen, is stable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from marsad.store.backend import Backend, like_pattern

__all__ = ["EntityIds", "actor_key", "backfill", "list_actors", "list_places", "place_key"]

Record = dict[str, Any]

PLACE_COLUMNS = ("place_key", "geonameid", "name_ar", "name_en", "country_iso3", "admin1", "lat", "lon", "feature",
                 "precision")  # fmt: skip
ACTOR_COLUMNS = ("actor_key", "text", "name_en", "country", "role")


def place_key(place: Record) -> str:
    """`g:360630` for a gazetteer place, else `n:Cairo|EGY` (English name and country)."""
    if place.get("geonameid") is not None:
        return f"g:{int(place['geonameid'])}"
    return f"n:{place.get('name_en') or place.get('name_ar') or ''}|{place.get('country_iso3') or ''}"


def actor_key(actor: Record) -> str:
    """The actor's identity: (English name, else text; country; role), e.g. `["students", null, "EDU"]`."""
    return json.dumps([actor.get("name_en") or actor.get("text"), actor.get("country"), actor.get("role")],
                      ensure_ascii=False)  # fmt: skip


def _place_row(key: str, p: Record) -> tuple[Any, ...]:
    return (key, p.get("geonameid"), p.get("name_ar"), p.get("name_en"), p.get("country_iso3"), p.get("admin1"),
            p.get("lat"), p.get("lon"), p.get("feature"), p.get("precision"))  # fmt: skip


def _actor_row(key: str, a: Record) -> tuple[Any, ...]:
    return key, a.get("text"), a.get("name_en"), a.get("country"), a.get("role")


class EntityIds:
    """Ids of places and actors by key. Ids found inside a transaction stay `pending` until it
    commits (`commit()`), so a rolled-back insert never leaves a stale id in the cache."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], int] = {}
        self.pending: dict[tuple[str, str], int] = {}

    def commit(self) -> None:
        self.known.update(self.pending)
        self.pending.clear()

    def place(self, tx: Backend, place: Record | None) -> int | None:
        if not place:
            return None
        key = place_key(place)
        return self._id(tx, "places", PLACE_COLUMNS, key, lambda: _place_row(key, place))

    def actor(self, tx: Backend, actor: Record | None) -> int | None:
        if not actor:
            return None
        key = actor_key(actor)
        return self._id(tx, "actors", ACTOR_COLUMNS, key, lambda: _actor_row(key, actor))

    def _id(
        self, tx: Backend, table: str, columns: tuple[str, ...], key: str, row: Callable[[], tuple[Any, ...]]
    ) -> int:
        found = self.known.get((table, key), self.pending.get((table, key)))
        if found is not None:
            return found
        rows = tx.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
                          "ON CONFLICT DO NOTHING RETURNING id", row())  # fmt: skip
        if not rows:
            rows = tx.execute(f"SELECT id FROM {table} WHERE {columns[0]} = ?", (key,))
        self.pending[(table, key)] = int(rows[0][0])
        return int(rows[0][0])


def backfill(tx: Backend) -> None:
    """Fill places, actors and the mention and event references from stored records (migration v3)."""
    ids, last = EntityIds(), 0
    while rows := tx.execute("SELECT id, record FROM mentions WHERE id > ? ORDER BY id LIMIT 1000", (last,)):
        for mid, text in rows:
            r = json.loads(text)
            tx.execute("UPDATE mentions SET place_id = ?, source_actor_id = ?, target_actor_id = ? WHERE id = ?",
                       (ids.place(tx, r.get("location")), ids.actor(tx, r.get("source")),
                        ids.actor(tx, r.get("target")), mid))  # fmt: skip
        last = int(rows[-1][0])
    for eid, summary in tx.execute("SELECT id, summary FROM events ORDER BY id"):
        place_id = ids.place(tx, json.loads(summary).get("location"))
        if place_id is not None:
            tx.execute("UPDATE events SET place_id = ? WHERE id = ?", (place_id, eid))


def list_places(db: Backend, text: str | None, limit: int) -> list[dict[str, Any]]:
    """Places whose English or Arabic name contains `text` (or whose country is `text`), most events first."""
    where, params = "", []
    if text:
        where = "WHERE LOWER(p.name_en) LIKE ? ESCAPE '\\' OR p.name_ar LIKE ? ESCAPE '\\' OR p.country_iso3 = ?"
        params = [like_pattern(text), like_pattern(text), text.upper()]
    rows = db.read(
        "SELECT p.id, p.geonameid, p.name_ar, p.name_en, p.country_iso3, p.admin1, p.lat, p.lon, p.feature, "
        "p.precision, (SELECT COUNT(*) FROM events e WHERE e.place_id = p.id) AS n "
        f"FROM places p {where} ORDER BY n DESC, p.id LIMIT ?",
        [*params, limit],
    )
    names = ("place_id", *PLACE_COLUMNS[1:], "event_count")
    return [dict(zip(names, row, strict=True)) for row in rows]


def list_actors(db: Backend, text: str | None, limit: int) -> list[dict[str, Any]]:
    """Actors whose text or English name contains `text` (or whose country or role is `text`), most events first.

    An actor's events are the distinct events of the mentions that name it as source or target.
    """
    where, params = "", []
    if text:
        where = ("WHERE LOWER(a.text) LIKE ? ESCAPE '\\' OR LOWER(a.name_en) LIKE ? ESCAPE '\\' OR a.country = ? "
                 "OR a.role = ?")  # fmt: skip
        params = [like_pattern(text), like_pattern(text), text.upper(), text.upper()]
    rows = db.read(
        "SELECT a.id, a.text, a.name_en, a.country, a.role, (SELECT COUNT(DISTINCT m.event_id) FROM mentions m "
        "WHERE m.source_actor_id = a.id OR m.target_actor_id = a.id) AS n "
        f"FROM actors a {where} ORDER BY n DESC, a.id LIMIT ?",
        [*params, limit],
    )
    names = ("actor_id", *ACTOR_COLUMNS[1:], "event_count")
    return [dict(zip(names, row, strict=True)) for row in rows]
