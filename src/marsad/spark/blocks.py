"""Blocking for the batch dedup stage: mentions that may be one event share a block; pure, no Spark.

`dedup.block_key` gives (type family, country, ISO week), but the dedup windows cross weeks: a
week-precise mention («خلال الأسبوع») may join one 7 days away, a month-precise one 31 days away.
So a block is a maximal run of days of one (family, country) that no window bridges: a block ends
between two days only when no earlier mention's window reaches the later day and no later mention's
window reaches back to the earlier one. Clustering each block with `dedup.cluster` then gives exactly
the events `cluster` gives on the whole (family, country), because mentions of different blocks
always score 0 and never share an event. An unlocated mention (country "-") scores nothing for
place, so it reaches `MIN_SCORE` only with the same event type (0.2), the same day (0.25) and both
actor sides agreeing (0.15): `link_blocks` joins its block with every block holding such a mention (`link_signature`),
so the result stays exact. A run longer than `max_days` is cut at a day boundary so a busy
(family, country) does not become one huge block: the cuts are counted, and only mentions whose
windows straddle a cut can come out differently (the one approximation; see docs/spark.md).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from marsad.spark.records import partition_date
from marsad.store.dedup import MentionKey, block_key, cluster, date_span, mention_key
from marsad.store.summary import Member, summarise

__all__ = [
    "EVENT_COLUMNS",
    "MAX_BLOCK_DAYS",
    "block_labels",
    "cluster_block",
    "link_blocks",
    "link_signature",
    "mention_point",
    "widen",
]

MAX_BLOCK_DAYS = 92
"""A (family, country) run of days longer than this (a quarter) is cut into blocks."""

Point = tuple[str, str | None, str | None]
"""(type family, country ISO3 or None, ISO day or None): the coarsest thing blocking looks at."""
Span = tuple[str | None, str | None]
"""(first, last) ISO day the mentions of one point may be dated by their windows (`date_span`)."""
Signature = tuple[str, str | None, str, str, frozenset[str], frozenset[str]]
"""(family, country, day, event type, source codes, target codes) of a mention that an
unlocated mention could join: dated, with both actor sides coded."""
MentionRow = tuple[int, str, str]
"""(mention id, record JSON, outlet) of one factual mention."""

EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "bigint"), ("block", "string"), ("family", "string"), ("event_type", "string"),
    ("mode", "string"), ("event_date", "string"), ("time_precision", "int"), ("date_from", "string"),
    ("date_to", "string"), ("country_iso3", "string"), ("geonameid", "bigint"), ("lat", "double"),
    ("lon", "double"), ("location_name", "string"), ("source_count", "int"), ("n_mentions", "int"),
    ("mention_ids", "array<bigint>"), ("article_ids", "array<string>"), ("summary", "string"), ("date", "string"),
)  # fmt: skip


def mention_point(key: MentionKey) -> tuple[Point, Span]:
    """Where a mention sits for blocking: its `block_key` family and country, its day and window."""
    family, country, _week = block_key(key)
    return (family, country, key.date.isoformat() if key.date else None), date_span(key)


def widen(a: Span, b: Span) -> Span:
    """The union of two windows of the same point (for a reduce)."""
    los = [d for d in (a[0], b[0]) if d]
    his = [d for d in (a[1], b[1]) if d]
    return min(los, default=None), max(his, default=None)


def _runs(days: list[tuple[str, Span]], max_days: int) -> tuple[list[list[str]], int]:
    """Split sorted (day, window) pairs into blocks; the second value counts the `max_days` cuts."""
    count = len(days)
    reach = [""] * count  # latest day any window up to i reaches
    back = [""] * count  # earliest day any window from i on reaches
    for i, (_, (_lo, hi)) in enumerate(days):
        reach[i] = max(reach[i - 1], hi or "") if i else hi or ""
    for i in range(count - 1, -1, -1):
        lo = days[i][1][0] or days[i][0]
        back[i] = min(back[i + 1], lo) if i + 1 < count else lo
    runs: list[list[str]] = [[days[0][0]]]
    cuts, start = 0, dt.date.fromisoformat(days[0][0])
    for i in range(1, count):
        day = days[i][0]
        bridged = day <= reach[i - 1] or back[i] <= days[i - 1][0]
        too_long = (dt.date.fromisoformat(day) - start).days > max_days
        if bridged and not too_long:
            runs[-1].append(day)
            continue
        cuts += bridged
        runs.append([day])
        start = dt.date.fromisoformat(day)
    return runs, cuts


def block_labels(points: Mapping[Point, Span], *, max_days: int = MAX_BLOCK_DAYS) -> tuple[dict[Point, str], int]:
    """Each point's block label "FAMILY|ISO3|first-day..last-day" ("-" no country, "undated"), and
    the number of approximate cuts made because a run exceeded `max_days`."""
    groups: dict[tuple[str, str | None], list[tuple[str, Span]]] = defaultdict(list)
    labels: dict[Point, str] = {}
    for (family, country, day), span in points.items():
        if day is None:
            labels[(family, country, None)] = f"{family}|{country or '-'}|undated"
        else:
            groups[(family, country)].append((day, span))
    cuts = 0
    for (family, country), days in groups.items():
        runs, cut = _runs(sorted(days), max_days)
        cuts += cut
        for run in runs:
            label = f"{family}|{country or '-'}|{run[0]}..{run[-1]}"
            labels.update({(family, country, day): label for day in run})
    return labels, cuts


def _codes(country: str | None, role: str | None) -> frozenset[str]:
    return frozenset(code for code in (f"c:{country}" if country else "", f"r:{role}" if role else "") if code)


def link_signature(key: MentionKey) -> Signature | None:
    """What an unlocated mention must share with this one to be merged; None when it never can
    (undated, or an actor side without country and role)."""
    source, target = _codes(key.source_country, key.source_role), _codes(key.target_country, key.target_role)
    if key.date is None or not source or not target:
        return None
    family, country, _week = block_key(key)
    return family, country, key.date.isoformat(), key.event_type, source, target


def _root(parent: dict[str, str], label: str) -> str:
    while parent.setdefault(label, label) != label:
        label = parent[label]
    return label


def link_blocks(labels: Mapping[Point, str], signatures: Iterable[Signature]) -> dict[str, str]:
    """Block label → merged label, joining each unlocated mention's block with the blocks of the
    mentions it could be merged with (same type and day, both actor sides sharing a code)."""
    groups: dict[tuple[str, str, str], list[Signature]] = defaultdict(list)
    for sig in signatures:
        groups[(sig[0], sig[2], sig[3])].append(sig)
    parent: dict[str, str] = {}
    for (family, day, _type), sigs in sorted(groups.items()):
        for u in (s for s in sigs if s[1] is None):
            for v in sigs:
                if v[1] is not None and u[4] & v[4] and u[5] & v[5]:
                    a, b = _root(parent, labels[(family, None, day)]), _root(parent, labels[(family, v[1], day)])
                    parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = defaultdict(list)
    for label in parent:
        members[_root(parent, label)].append(label)
    return {label: f"{root}+{len(group) - 1}" for root, group in members.items() for label in group if len(group) > 1}


def _event_row(
    label: str, ids: list[int], keys: Mapping[int, MentionKey], members: Mapping[int, Member]
) -> tuple[Any, ...]:
    summary = summarise([members[mid] for mid in ids])
    spans = [date_span(keys[mid]) for mid in ids]
    place = summary["location"] or {}
    article_ids = list(dict.fromkeys(str(members[mid].record.get("article_id")) for mid in ids))
    return (
        ids[0], label, label.split("|", 1)[0], summary["event_type"], summary["mode"], summary["date"],
        summary["time_precision"], min((a for a, _ in spans if a), default=None),
        max((b for _, b in spans if b), default=None), summary["country_iso3"], place.get("geonameid"),
        place.get("lat"), place.get("lon"), place.get("name_en"), summary["source_count"], len(ids), ids,
        article_ids, json.dumps(summary, ensure_ascii=False, sort_keys=True), partition_date(summary["date"]),
    )  # fmt: skip


def cluster_block(label: str, mentions: Iterable[MentionRow]) -> list[tuple[Any, ...]]:
    """The events of one block: `dedup.cluster` in mention-id order, each summarised as the store does.

    The event id is the id of its first (founding) mention.
    """
    keys: dict[int, MentionKey] = {}
    members: dict[int, Member] = {}
    for mid, record_json, outlet in mentions:
        record = json.loads(record_json)
        keys[mid] = mention_key(record, mid, outlet)
        members[mid] = Member(mid, record, outlet)
    return [_event_row(label, ids, keys, members) for ids in cluster(list(keys.values()))]
