"""Scoring against gold data in the format of openeventdata/arabic_event_gsr.

Detection (per `*_gsr.csv`): a sentence is gold-positive when `label == "yes"`, gold-negative
for "easy no" / "difficult no"; "ambiguous" rows are excluded. We predict positive when the
coder emits at least one factual (not negated, not hypothetical) event of that type.

Arguments (per `*_spans.json`, `score_arguments`), strict: the coder runs at its production
thresholds and only its factual events of the sentence's gold type count. Source country
accuracy is over the sentences whose gold source country (the annotators' majority) is an ISO
alpha-3 code, and a sentence with no such event or a source without that country is wrong;
source role likewise. Source and target spans: precision/recall of character-overlap with any
annotator's span (`SpanCounts`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
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


# Codes of the gold's `main` field that are not countries.
NOT_COUNTRIES = frozenset({"IGO", "NGO", "IMG", "UNK", "INT", "MNC"})


@dataclass(frozen=True, slots=True)
class GoldArguments:
    """What the annotators of one span sentence say of its source and target.

    `source_spans`/`target_spans` are every annotator's span (character offsets into `text`);
    `has_source`/`has_target`: at least half of the annotators marked one. `country`/`role`:
    the value most annotators gave the source (ties: the first given), None when that value is
    not an ISO alpha-3 country (None, IGO, NGO, IMG ...) or not a role.
    """

    id: str
    event_type: str
    text: str
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...]
    has_source: bool
    has_target: bool
    country: str | None
    role: str | None


def locate_tokens(text: str, tokens: Sequence[str]) -> tuple[int, int] | None:
    """The character span of an annotator's token list in `text`: the tokens joined by spaces,
    else each token in order from the first one's position; None when a token is not found."""
    words = [t for t in tokens if t.strip()]
    if not words:
        return None
    joined = " ".join(words)
    at = text.find(joined)
    if at >= 0:
        return at, at + len(joined)
    start = text.find(words[0])
    if start < 0:
        return None
    end = start + len(words[0])
    for word in words[1:]:
        found = text.find(word, end)
        if found < 0 or found - end > 40:
            return None
        end = found + len(word)
    return start, end


def _majority(values: Sequence[str | None]) -> str | None:
    if not values:
        return None
    counts: dict[str | None, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return max(counts, key=lambda v: counts[v])  # dicts keep insertion order: ties go to the first given


def gold_arguments(record: dict[str, Any], record_id: str) -> GoldArguments:
    """One `*_spans.json` record as `GoldArguments`."""
    text, spans = record["text"], record.get("spans", [])

    def located(key: str) -> tuple[tuple[int, int], ...]:
        found = {locate_tokens(text, s.get(key) or []) for s in spans}
        return tuple(sorted(f for f in found if f is not None))

    def marked(key: str) -> bool:
        return bool(spans) and 2 * sum(bool(s.get(key)) for s in spans) >= len(spans)

    roles = [s["source_role"] if isinstance(s.get("source_role"), dict) else {} for s in spans]
    country = _majority([_gold_value(r.get("main")) for r in roles])
    role = _majority([_gold_value(r.get("role")) for r in roles])
    iso = country if country and len(country) == 3 and country.isalpha() and country.isupper() else None
    return GoldArguments(
        record_id,
        record["event_type"],
        text,
        located("source_actor"),
        located("target_actor"),
        marked("source_actor"),
        marked("target_actor"),
        None if iso in NOT_COUNTRIES else iso,
        role,
    )


@dataclass
class SpanCounts:
    """Span-level precision/recall: a predicted span is right when it overlaps an annotator's
    span; a gold sentence is found when one of its predicted spans is right."""

    predicted: int = 0
    predicted_right: int = 0
    gold: int = 0
    gold_found: int = 0

    def merge(self, other: SpanCounts) -> None:
        self.predicted += other.predicted
        self.predicted_right += other.predicted_right
        self.gold += other.gold
        self.gold_found += other.gold_found

    def as_dict(self) -> dict[str, float | int]:
        p = self.predicted_right / self.predicted if self.predicted else 0.0
        r = self.gold_found / self.gold if self.gold else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
                "predicted": self.predicted, "gold": self.gold}  # fmt: skip


@dataclass
class ArgumentScore:
    """The strict "who did it" figures of one event type (`score_arguments`)."""

    sentences: int = 0
    country_n: int = 0
    country_right: int = 0
    role_n: int = 0
    role_right: int = 0
    no_event: int = 0  # gold sentences with an ISO source where no factual event of the type was coded
    source: SpanCounts = field(default_factory=SpanCounts)
    target: SpanCounts = field(default_factory=SpanCounts)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def merge(self, other: ArgumentScore) -> None:
        self.sentences += other.sentences
        self.country_n += other.country_n
        self.country_right += other.country_right
        self.role_n += other.role_n
        self.role_right += other.role_right
        self.no_event += other.no_event
        self.source.merge(other.source)
        self.target.merge(other.target)
        self.errors.extend(other.errors)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sentences": self.sentences,
            "source_country": {
                "n": self.country_n,
                "right": self.country_right,
                "accuracy": round(self.country_right / self.country_n, 4) if self.country_n else 0.0,
                "no_event": self.no_event,
            },
            "source_role": {
                "n": self.role_n,
                "right": self.role_right,
                "accuracy": round(self.role_right / self.role_n, 4) if self.role_n else 0.0,
            },
            "source_span": self.source.as_dict(),
            "target_span": self.target.as_dict(),
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


def _overlaps(span: tuple[int, int], gold: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < g[1] and g[0] < span[1] for g in gold)


def _span_counts(predicted: set[tuple[int, int]], gold: Sequence[tuple[int, int]], present: bool) -> SpanCounts:
    right = sum(_overlaps(p, gold) for p in predicted)
    found = present and right > 0
    return SpanCounts(len(predicted), right, int(present), int(found))


def score_arguments(coded: Iterable[tuple[GoldArguments, Sequence[Event]]]) -> dict[str, ArgumentScore]:
    """The strict source/target figures over gold span sentences and the events coded for them.

    Source country: over sentences whose gold source country is an ISO alpha-3 code, the share
    where a factual event of the gold type has that source country (no event = wrong). Source
    role: the same over sentences with a gold role. Spans: every factual event of the gold type
    contributes its source (target) span, see `SpanCounts`.
    """
    scores: dict[str, ArgumentScore] = {}
    for gold, events in coded:
        score = scores.setdefault(gold.event_type, ArgumentScore())
        score.sentences += 1
        ours = _factual_of_type(events, gold.event_type)
        countries = {e.source.country for e in ours if e.source}
        if gold.country is not None:
            score.country_n += 1
            score.country_right += gold.country in countries
            score.no_event += not ours
            if gold.country not in countries:
                score.errors.append({"id": gold.id, "kind": "source_country", "gold": gold.country,
                                     "ours": sorted(c or "-" for c in countries) if ours else None})  # fmt: skip
        if gold.role is not None:
            score.role_n += 1
            score.role_right += gold.role in {e.source.role for e in ours if e.source}
        sources = {(e.source.start, e.source.end) for e in ours if e.source}
        targets = {(e.target.start, e.target.end) for e in ours if e.target}
        score.source.merge(_span_counts(sources, gold.source_spans, gold.has_source))
        score.target.merge(_span_counts(targets, gold.target_spans, gold.has_target))
    return scores


def load_span_records(directory: Path) -> list[tuple[GoldArguments, str]]:
    """Every `*_spans.json` record of `directory` as gold arguments, with the text of the
    `*_gsr.csv` row it belongs to matched by text (its id gives the cross-validation group)."""
    out: list[tuple[GoldArguments, str]] = []
    for path in sorted(directory.glob("*_spans.json")):
        for number, record in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            out.append((gold_arguments(record, f"{path.stem}:{number}"), record["text"]))
    return out


def total_arguments(scores: dict[str, ArgumentScore]) -> dict[str, Any]:
    """Per type and "ALL"."""
    total = ArgumentScore()
    for s in scores.values():
        total.merge(s)
    return {**{t: s.as_dict() for t, s in sorted(scores.items())}, "ALL": total.as_dict()}


def evaluate_dir(directory: Path, coder: Coder) -> dict[str, Any]:
    """Detection over every `*_gsr.csv` and the strict argument figures over every `*_spans.json`
    in `directory`, both with `coder` (the production coder: its own thresholds)."""
    if not directory.is_dir():
        raise InputError(f"{directory}: not a directory of GSR files")
    rows: list[dict[str, str]] = []
    for path in sorted(directory.glob("*_gsr.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    if not rows:
        raise InputError(f"{directory}: no *_gsr.csv files found")
    counts, mistakes = score_detection(rows, coder)
    arguments = score_arguments((gold, coder(text)) for gold, text in load_span_records(directory))
    return {
        "detection": {t: c.as_dict() for t, c in sorted(counts.items())},
        "arguments": total_arguments(arguments),
        "mistakes": mistakes,
        "argument_errors": [e for s in arguments.values() for e in s.errors],
    }
