"""Access to the deduplication rules in `marsad.store.dedup`, with a strict stand-in until it exists.

The rules are pure functions (see dedup.py): `mention_key(record, mention_id, article_source)`,
`candidate_window(key) -> (family, date_from, date_to)` (the dates this mention's event may
fall between; None, None when undated) and `best_match(key, candidates)`. The store keeps each
event's span (smallest date_from, largest date_to over its mentions) and fetches as candidates
the events of the family whose span overlaps the new mention's.
The stand-in merges only mentions of the same type and mode, on the same day, at the same
gazetteer place.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import cache
from typing import Any, NamedTuple, Protocol, cast


class Dedup(Protocol):
    """The interface the store needs from the deduplication module."""

    def mention_key(self, record: dict[str, Any], mention_id: int, article_source: str | None = None) -> Any: ...

    def candidate_window(self, key: Any) -> tuple[str, str | None, str | None]: ...

    def best_match(self, key: Any, candidates: Sequence[tuple[int, Sequence[Any]]]) -> int | None: ...


class StandInKey(NamedTuple):
    mention_id: int
    event_type: str
    mode: str | None
    date: str | None
    geonameid: int | None


class StandIn:
    """Exact-match deduplication: same type, mode, day and place."""

    @staticmethod
    def mention_key(record: dict[str, Any], mention_id: int, article_source: str | None = None) -> StandInKey:
        place = record.get("location") or {}
        return StandInKey(
            mention_id, record["event_type"], record.get("mode"), record.get("date"), place.get("geonameid")
        )

    @staticmethod
    def candidate_window(key: StandInKey) -> tuple[str, str | None, str | None]:
        return (key.event_type, key.date, key.date)

    @staticmethod
    def best_match(key: StandInKey, candidates: Sequence[tuple[int, Sequence[StandInKey]]]) -> int | None:
        if key.date is None or key.geonameid is None:
            return None
        for event_id, keys in sorted(candidates):
            if any(_same(key, other) for other in keys):
                return event_id
        return None


def _same(a: StandInKey, b: StandInKey) -> bool:
    return (a.event_type, a.mode, a.date, a.geonameid) == (b.event_type, b.mode, b.date, b.geonameid)


@cache
def dedup_rules() -> Dedup:
    """`marsad.store.dedup` when it is installed, else the exact-match stand-in."""
    try:
        return cast(Dedup, importlib.import_module("marsad.store.dedup"))
    except ModuleNotFoundError as exc:
        if exc.name != "marsad.store.dedup":
            raise
        return cast(Dedup, StandIn())
