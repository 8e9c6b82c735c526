"""Deduplication benchmark: pairwise precision/recall/F1 over report pairs on our own gold set.

Each report of bench/data/dedup_gold.jsonl is coded with `marsad.code`; its factual events of the
report's main type (its first material event's type) become mentions, inserted incrementally
in publication order the way the store inserts them (candidates fetched by `candidate_window`).
Two reports are predicted the same event when any of their mentions share an event.

    .venv/bin/python bench/dedup.py            # → bench/results/dedup.json
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

import marsad
from marsad.store.dedup import (
    MentionKey,
    best_match,
    candidate_window,
    cluster,
    date_span,
    mention_key,
    type_family,
)

HERE = Path(__file__).resolve().parent


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main_mentions(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The factual event records of the report's main type: its first material event's type
    (quad class 2 or 4: what happened, not what was said about it), else its first event's."""
    events = [e for e in marsad.code(report["text"], article_id=report["id"], date=report["date"]) if e.factual]
    if not events:
        return []
    main = next((e for e in events if e.quad_class in (2, 4)), events[0]).event_type
    return [e.to_dict() for e in events if e.event_type == main]


def _overlaps(span: tuple[str | None, str | None], window: tuple[str | None, str | None]) -> bool:
    if window[0] is None or span[0] is None:
        return window[0] is None and span[0] is None
    return bool(span[0] <= window[1] and window[0] <= span[1])  # type: ignore[operator]


def incremental(keys: Sequence[MentionKey]) -> dict[int, int]:
    """Insert mentions one by one as the store does; return mention id → event id."""
    events: dict[int, list[MentionKey]] = {}
    spans: dict[int, tuple[str | None, str | None]] = {}
    families: dict[int, str] = {}
    assigned: dict[int, int] = {}
    for key in keys:
        family, start, end = candidate_window(key)
        candidates = [
            (eid, ms) for eid, ms in events.items() if families[eid] == family and _overlaps(spans[eid], (start, end))
        ]
        eid = best_match(key, candidates)
        if eid is None:
            eid, families[eid] = key.mention_id, family
            events[eid], spans[eid] = [], date_span(key)
        events[eid].append(key)
        lo, hi = date_span(key)
        spans[eid] = (min(spans[eid][0], lo), max(spans[eid][1], hi)) if lo and spans[eid][0] else spans[eid]  # type: ignore[type-var]
        assigned[key.mention_id] = eid
    return assigned


def cause(a: Sequence[MentionKey], b: Sequence[MentionKey]) -> str:
    """What the coded mentions of two wrongly paired reports disagree on (for the error table)."""
    if not a or not b:
        return "no event coded"
    if {type_family(k.event_type, k.mode) for k in a}.isdisjoint(type_family(k.event_type, k.mode) for k in b):
        return "type family"
    if not all(k.geonameid or k.country_iso3 for k in (*a, *b)):
        return "place not resolved"
    if {k.geonameid for k in a}.isdisjoint(k.geonameid for k in b):
        return "places differ"
    return "same type and place"


def pairwise(gold: dict[str, str], predicted: dict[str, set[int]], keys: dict[str, list[MentionKey]]) -> dict[str, Any]:
    tp = fp = fn = 0
    errors: list[dict[str, Any]] = []
    for a, b in combinations(sorted(gold), 2):
        same_gold = gold[a] == gold[b]
        same_pred = bool(predicted[a] & predicted[b])
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
        if same_gold != same_pred:
            kind = "false merge" if same_pred else "missed merge"
            errors.append({"pair": [a, b], "kind": kind, "cause": cause(keys[a], keys[b])})
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
    causes = Counter(f"{e['kind']}: {e['cause']}" for e in errors)
    return {**scores, "true_pairs": tp + fn, "tp": tp, "fp": fp, "fn": fn, "causes": dict(sorted(causes.items())),
            "errors": errors}  # fmt: skip


def run(gold_path: Path) -> dict[str, Any]:
    reports = sorted(load(gold_path), key=lambda r: (r["date"], r["id"]))
    started = time.perf_counter()
    keys: list[MentionKey] = []
    owner: dict[int, str] = {}
    by_report: dict[str, list[MentionKey]] = {r["id"]: [] for r in reports}
    coverage: Counter[str] = Counter()
    for report in reports:
        records = main_mentions(report)
        coverage["reports_without_mentions"] += not records
        for record in records:
            key = mention_key(record, len(keys) + 1, report["source"])
            owner[key.mention_id] = report["id"]
            by_report[report["id"]].append(key)
            keys.append(key)
            coverage["mentions"] += 1
            coverage["undated"] += key.date is None
            coverage["unlocated"] += key.geonameid is None and key.country_iso3 is None
    assigned = incremental(keys)
    batch = {mid: members[0] for members in cluster(keys) for mid in members}
    assert all(batch[m] == assigned[m] for m in assigned), "cluster() disagrees with incremental insertion"
    predicted: dict[str, set[int]] = {r["id"]: set() for r in reports}
    for mid, eid in assigned.items():
        predicted[owner[mid]].add(eid)
    result = pairwise({r["id"]: r["gold_event"] for r in reports}, predicted, by_report)
    return {
        "gold": str(gold_path.relative_to(HERE.parent)),
        "reports": len(reports),
        "gold_events": len({r["gold_event"] for r in reports}),
        "predicted_events": len(set(assigned.values())),
        **dict(coverage),
        **result,
        "seconds": round(time.perf_counter() - started, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=HERE / "data" / "dedup_gold.jsonl")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "dedup.json")
    args = parser.parse_args()
    result = run(args.gold)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    keys = ("reports", "gold_events", "predicted_events", "precision", "recall", "f1", "fp", "fn", "causes")
    print(json.dumps({k: result[k] for k in keys}))


if __name__ == "__main__":
    main()
