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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from marsad.evaluate import Counts
from marsad.learn.data_sources import POSITIVE, Example, Item
from marsad.learn.detector import Detector
from marsad.learn.features import HASH_BITS
from marsad.learn.train import C_GRID, SEED, TEAM_WEIGHTS, Fitted, fit

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


Thresholds = dict[str, float]  # event type (or "*" for the types without gold) → threshold


def tallies(
    items: Sequence[Item], which: Sequence[int], scores: dict[int, float], threshold: Thresholds
) -> dict[str, Counts]:
    out = {t: Counts() for t in GOLD_TYPES}
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


def _mean_f(found: dict[str, Counts], beta: float) -> float:
    return float(np.mean([t.f(beta) for t in found.values()]))


@dataclass(frozen=True)
class Choice:
    """Hyper-parameters chosen inside the training folds: C, the team set's weight, thresholds."""

    c: float
    team_weight: float
    thresholds: dict[str, Thresholds]


def weighted(items: Sequence[Item], batch: Sequence[Example], team_weight: float) -> list[Example]:
    """The batch with every team example weighted `team_weight` (gold examples keep 1)."""
    return [replace(e, weight=team_weight) if items[e.item].corpus == "team" else e for e in batch]


def inner_select(
    items: Sequence[Item], batch: Sequence[Example], train: set[int], *, k: int = 4, bits: int = HASH_BITS
) -> Choice:
    """C, team weight and thresholds chosen by grouped k-fold inside the training items `train`."""
    gsr = [i for i in sorted(train) if items[i].corpus == "gsr"]
    folds = assign_folds([items[i].group for i in gsr], k, SEED + 1)
    with_team = any(items[i].corpus == "team" for i in train)
    best: tuple[float, Choice] | None = None
    for team_weight in TEAM_WEIGHTS if with_team else (1.0,):
        reweighted = weighted(items, batch, team_weight)
        for c in C_GRID:
            scores: dict[int, float] = {}
            for fold in range(k):
                held = {i for i in gsr if folds[items[i].group] == fold}
                model = fit([e for e in reweighted if e.item in train and e.item not in held], c, bits=bits)
                test = [e for e in batch if e.item in held]
                scores.update(sentence_scores(items, test, model.predict(test)))
            thresholds = choose_thresholds(items, gsr, scores)
            quality = _mean_f(tallies(items, gsr, scores, thresholds["default"]), 1.0)
            if best is None or quality > best[0]:
                best = (quality, Choice(c, team_weight, thresholds))
    assert best is not None
    return best[1]


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
