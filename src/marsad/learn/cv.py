"""Grouped, nested cross-validation of the detector on the GSR gold.

Outer folds split the gold by source document; inside each training fold, an inner grouped
cross-validation chooses the regularisation C and the decision thresholds (default = best F1,
"precision" = best F0.5, "recall" = best F2, averaged over PROTEST and ASSAULT). The test fold
is then coded by the real pipeline (`code_text` with the fold's model): the figures are those a
user would get on documents the model never saw. The team's sentences join every training fold
and never a test fold.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from marsad.learn.data_sources import POSITIVE, Example, Item
from marsad.learn.detector import Detector
from marsad.learn.features import HASH_BITS
from marsad.learn.train import C_GRID, SEED, Fitted, fit

GOLD_TYPES = ("PROTEST", "ASSAULT")
THRESHOLDS = tuple(round(0.02 * k, 2) for k in range(1, 50))
PRESET_BETA = {"default": 1.0, "precision": 0.5, "recall": 2.0}


def assign_folds(groups: Sequence[str], k: int, seed: int = SEED) -> dict[str, int]:
    """Each group to one of k folds: groups shuffled with a fixed seed, then dealt round-robin."""
    unique = sorted(set(groups))
    random.Random(seed).shuffle(unique)
    return {g: n % k for n, g in enumerate(unique)}


def sentence_scores(items: Sequence[Item], batch: Sequence[Example], probs: Iterable[float]) -> dict[int, float]:
    """gsr item → the highest probability among its factual candidates of its gold type (0: none)."""
    best: dict[int, float] = {}
    for e, p in zip(batch, probs, strict=True):
        item = items[e.item]
        if item.corpus == "gsr" and e.factual and e.event_type == item.gold_type:
            best[e.item] = max(best.get(e.item, 0.0), float(p))
    return best


@dataclass
class Tally:
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

    def f(self, beta: float = 1.0) -> float:
        p, r = self.precision, self.recall
        b2 = beta * beta
        return (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f(), 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}  # fmt: skip


Thresholds = dict[str, float]  # event type (or "*" for the types without gold) → threshold


def tallies(
    items: Sequence[Item], which: Sequence[int], scores: dict[int, float], threshold: Thresholds
) -> dict[str, Tally]:
    out = {t: Tally() for t in GOLD_TYPES}
    for i in which:
        item = items[i]
        if item.scored and item.gold_type in out:
            cut = threshold.get(item.gold_type, threshold["*"])
            out[item.gold_type].add(scores.get(i, 0.0) >= cut, item.label == POSITIVE)
    return out


def _best(
    items: Sequence[Item], which: Sequence[int], scores: dict[int, float], beta: float, types: Sequence[str]
) -> float:
    def quality(t: float) -> tuple[float, float]:
        found = tallies(items, which, scores, {"*": t})
        return float(np.mean([found[x].f(beta) for x in types])), -abs(t - 0.5)

    return max(THRESHOLDS, key=quality)


def choose_thresholds(items: Sequence[Item], which: Sequence[int], scores: dict[int, float]) -> dict[str, Thresholds]:
    """Per preset, the threshold maximising F-beta for each gold type, and for the other types
    ("*") the one maximising the mean F-beta of PROTEST and ASSAULT."""
    chosen: dict[str, Thresholds] = {}
    for preset, beta in PRESET_BETA.items():
        cuts = {t: _best(items, which, scores, beta, (t,)) for t in GOLD_TYPES}
        cuts["*"] = _best(items, which, scores, beta, GOLD_TYPES)
        chosen[preset] = cuts
    return chosen


def _mean_f(found: dict[str, Tally], beta: float) -> float:
    return float(np.mean([t.f(beta) for t in found.values()]))


def _train_part(items: Sequence[Item], batch: Sequence[Example], keep: Callable[[Item], bool]) -> list[Example]:
    return [e for e in batch if keep(items[e.item])]


def inner_select(
    items: Sequence[Item], batch: Sequence[Example], train: set[int], *, k: int = 4, bits: int = HASH_BITS
) -> tuple[float, dict[str, Thresholds]]:
    """C and thresholds chosen by grouped k-fold inside the training items `train`."""
    gsr = [i for i in sorted(train) if items[i].corpus == "gsr"]
    folds = assign_folds([items[i].group for i in gsr], k, SEED + 1)
    best: tuple[float, float, dict[str, Thresholds]] | None = None
    for c in C_GRID:
        scores: dict[int, float] = {}
        for fold in range(k):
            held = {i for i in gsr if folds[items[i].group] == fold}
            part = [e for e in batch if e.item in train and e.item not in held]
            model = fit(part, c, bits=bits)
            test = [e for e in batch if e.item in held]
            scores.update(sentence_scores(items, test, model.predict(test)))
        thresholds = choose_thresholds(items, gsr, scores)
        quality = _mean_f(tallies(items, gsr, scores, thresholds["default"]), 1.0)
        if best is None or quality > best[0]:
            best = (quality, c, thresholds)
    assert best is not None
    return best[1], best[2]


def as_detector(model: Fitted, thresholds: dict[str, Thresholds], bits: int = HASH_BITS) -> Detector:
    card: dict[str, Any] = {"thresholds": thresholds["default"], "hash_bits": bits,
            "presets": {name: {"thresholds": t} for name, t in thresholds.items()}}  # fmt: skip
    return Detector(model.weights, model.bias, card)


def reliability(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> list[dict[str, Any]]:
    """Calibration table: per probability bin, the count, mean probability and observed rate."""
    table: list[dict[str, Any]] = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(p, y) for p, y in pairs if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if inside:
            table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(inside),
                          "mean_p": round(float(np.mean([p for p, _ in inside])), 3),
                          "observed": round(float(np.mean([y for _, y in inside])), 3)})  # fmt: skip
    return table


def brier(pairs: Sequence[tuple[float, bool]]) -> float:
    return round(float(np.mean([(p - float(y)) ** 2 for p, y in pairs])), 4) if pairs else 0.0
