"""An event's fields from its mentions: the most precise date and place, the largest counts.

Pure functions over `Event.to_dict()` records; the store calls them whenever an event gains or
loses a mention, so the events table always agrees with its mentions.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Member:
    """One factual mention of an event, with the outlet that reported it."""

    mention_id: int
    record: Record
    outlet: str


def event_key(content_hash: str, record: Record) -> str:
    """A stable key for an event founded by `record` in the article with `content_hash`."""
    evidence = record["evidence"]
    basis = f"{content_hash}:{evidence['trigger_start']}:{evidence['trigger_end']}:{record['event_type']}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:24]


def _first(members: Sequence[Member], field: str, rank: str) -> Record | None:
    present = [m for m in members if m.record.get(field)]
    if not present:
        return None
    return min(present, key=lambda m: (m.record[field].get(rank) or 9, m.mention_id)).record[field]  # type: ignore[no-any-return]


def _largest(members: Sequence[Member], field: str) -> Record | None:
    present = [m for m in members if m.record.get(field)]
    if not present:
        return None
    best = max(present, key=lambda m: (m.record[field]["min"], -m.mention_id))
    return best.record[field]  # type: ignore[no-any-return]


def _actor(members: Sequence[Member], field: str) -> Record | None:
    present = [m.record[field] for m in members if m.record.get(field)]
    coded = [a for a in present if a.get("country") or a.get("role")]
    chosen: Record | None = (coded or present or [None])[0]
    return chosen


def _when(members: Sequence[Member]) -> tuple[str | None, int | None]:
    dated = [m for m in members if m.record.get("date")]
    if not dated:
        return None, None
    best = min(dated, key=lambda m: (m.record.get("time_precision") or 9, m.record["date"], m.mention_id))
    return best.record["date"], best.record.get("time_precision")


def _most_common(values: Sequence[Any]) -> Any:
    counts = Counter(values)
    return max(values, key=lambda v: counts[v]) if values else None


def summarise(members: Sequence[Member]) -> dict[str, Any]:
    """The event-level fields of a non-empty, mention-id-ordered list of members."""
    ordered = sorted(members, key=lambda m: m.mention_id)
    date, precision = _when(ordered)
    location = _first(ordered, "location", "precision")
    size, deaths = _largest(ordered, "size"), _largest(ordered, "fatalities")
    return {
        "event_type": _most_common([m.record["event_type"] for m in ordered]),
        "mode": _most_common([m.record.get("mode") for m in ordered]),
        "date": date,
        "time_precision": precision,
        "location": location,
        "country_iso3": location.get("country_iso3") if location else None,
        "source": _actor(ordered, "source"),
        "target": _actor(ordered, "target"),
        "size": size,
        "fatalities": deaths,
        "injuries": _largest(ordered, "injuries"),
        "source_count": len({m.outlet for m in ordered}),
    }
