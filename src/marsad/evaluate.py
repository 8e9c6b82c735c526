"""Scoring against gold data in the format of openeventdata/arabic_event_gsr.

Detection (per `*_gsr.csv`): a sentence is gold-positive when `label == "yes"`, gold-negative
for "easy no" / "difficult no"; "ambiguous" rows are excluded. We predict positive when the
coder emits at least one factual (not negated, not hypothetical) event of that type.

Actors (per `*_spans.json`): for each gold sentence, our source actor is the source of the first
factual event of the gold type (`marsad eval` codes these sentences without the confidence floor,
so actor coding is measured apart from detection). Country is right when it equals the gold `source_role.main`
of any annotated span (gold "None" = no country); role likewise with `source_role.role`.
A sentence where we emit no such event counts as wrong; `actor_coverage` says how often.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.errors import InputError
from marsad.model import Event

Coder = Callable[[str], list[Event]]
POSITIVE = "yes"
NEGATIVE = frozenset({"easy no", "difficult no"})


@dataclass
class Counts:
    """A confusion table of binary decisions, with precision, recall and F-beta."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, gold: bool) -> None:
        if predicted and gold:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    def merge(self, other: Counts) -> None:
        self.tp, self.fp, self.fn, self.tn = (
            self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.tn + other.tn)  # fmt: skip

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def f(self, beta: float = 1.0) -> float:
        p, r, b2 = self.precision, self.recall, beta * beta
        return (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f(), 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}  # fmt: skip


@dataclass
class ActorScore:
    sentences: int = 0
    covered: int = 0
    country_right: int = 0
    role_right: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, float | int]:
        n = self.sentences or 1
        return {
            "sentences": self.sentences,
            "actor_coverage": round(self.covered / n, 4),
            "source_country_accuracy": round(self.country_right / n, 4),
            "source_role_accuracy": round(self.role_right / n, 4),
        }


def _gold_value(value: object) -> str | None:
    if value is None or value in ("None", "", "UNKNOWN"):
        return None
    return str(value)


def _factual_of_type(events: Iterable[Event], event_type: str) -> list[Event]:
    return [e for e in events if e.event_type == event_type and e.factual]


def score_detection(rows: Iterable[dict[str, str]], coder: Coder) -> tuple[dict[str, Counts], list[dict[str, str]]]:
    """Per-type detection counts and the misclassified rows (for error analysis)."""
    counts: dict[str, Counts] = {}
    mistakes: list[dict[str, str]] = []
    for row in rows:
        label, etype = row["label"].strip(), row["event_type"].strip()
        if label != POSITIVE and label not in NEGATIVE:
            continue
        c = counts.setdefault(etype, Counts())
        predicted = bool(_factual_of_type(coder(row["text"]), etype))
        gold = label == POSITIVE
        c.add(predicted, gold)
        if predicted != gold:
            mistakes.append(
                {"kind": "fp" if predicted else "fn", "event_type": etype, "label": label, "text": row["text"]}
            )
    return counts, mistakes


def score_actors(records: Iterable[dict[str, Any]], coder: Coder) -> dict[str, ActorScore]:
    scores: dict[str, ActorScore] = {}
    for record in records:
        spans = [s for s in record.get("spans", []) if isinstance(s.get("source_role"), dict)]
        if not spans:
            continue
        etype = record["event_type"]
        score = scores.setdefault(etype, ActorScore())
        score.sentences += 1
        events = _factual_of_type(coder(record["text"]), etype)
        if not events:
            continue
        score.covered += 1
        source = events[0].source
        country = source.country if source else None
        role = source.role if source else None
        gold_countries = {_gold_value(s["source_role"].get("main")) for s in spans}
        gold_roles = {_gold_value(s["source_role"].get("role")) for s in spans}
        score.country_right += country in gold_countries
        score.role_right += role in gold_roles
        if country not in gold_countries:
            score.errors.append({"text": record["text"], "gold": sorted(map(str, gold_countries)), "ours": country})
    return scores


def evaluate_dir(directory: Path, coder: Coder, actor_coder: Coder | None = None) -> dict[str, Any]:
    """Run both scorings over every `*_gsr.csv` and `*_spans.json` in `directory`.

    `actor_coder` (default: `coder`) codes the span sentences; pass a coder without the
    confidence floor to measure actor coding apart from detection.
    """
    if not directory.is_dir():
        raise InputError(f"{directory}: not a directory of GSR files")
    rows: list[dict[str, str]] = []
    for path in sorted(directory.glob("*_gsr.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    if not rows:
        raise InputError(f"{directory}: no *_gsr.csv files found")
    counts, mistakes = score_detection(rows, coder)
    records: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*_spans.json")):
        records.extend(json.loads(path.read_text(encoding="utf-8")))
    actors = score_actors(records, actor_coder or coder)
    total = ActorScore()
    for s in actors.values():
        total.sentences += s.sentences
        total.covered += s.covered
        total.country_right += s.country_right
        total.role_right += s.role_right
    return {
        "detection": {t: c.as_dict() for t, c in sorted(counts.items())},
        "actors": {**{t: s.as_dict() for t, s in sorted(actors.items())}, "ALL": total.as_dict()},
        "mistakes": mistakes,
        "actor_errors": [e for s in actors.values() for e in s.errors],
    }
