"""The event detector: P(the sentence reports this candidate event as having happened).

A logistic model over hashed features (learn/features.py), stored as a data file: an `.npz` with
the weight vector and a JSON card (versions, threshold, presets, training data, cross-validated
figures). Loading reads arrays only (`allow_pickle=False`): a model file can never run code.
Inference is numpy alone; training (scikit-learn) lives in learn/train.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.errors import ModelError, UsageError
from marsad.learn import npz
from marsad.learn.features import (
    FEATURE_VERSION,
    CandidateView,
    SentenceView,
    candidate_features,
    features,
    hashed,
    index_set,
    sentence_features,
)
from marsad.learn.relevance import Relevance, article_features
from marsad.memo import PerKey

MODEL_VERSION = 1
_FIX = "rebuild it with `make model` (or `marsad train`), or reinstall Marsad"


def default_path() -> Path:
    return Path(__file__).parent / "data" / "detector.npz"


@dataclass(frozen=True)
class Detector:
    """Weights, bias and card of a trained detector; `threshold` is the default decision point."""

    weights: npt.NDArray[np.float32]
    bias: float
    card: dict[str, Any]
    relevance: Relevance | None = None

    def threshold(self, event_type: str, preset: str = "default") -> float:
        """The decision threshold of `event_type` under a preset ("default" = best F1 in
        cross-validation, "precision", "recall"); types without gold use the shared "*" one."""
        cuts = self.card["presets"][preset]["thresholds"]
        return float(cuts.get(event_type, cuts["*"]))

    def presets(self) -> tuple[str, ...]:
        return tuple(self.card["presets"])

    def floors(self, setting: float | str | None) -> dict[str, float]:
        """Per-type thresholds ("*" for the rest) for a user setting: None = the default preset,
        a preset name ("precision", "recall"), or a probability that applies to every type."""
        if setting is None:
            setting = "default"
        if isinstance(setting, str):
            try:
                setting = float(setting)
            except ValueError:
                if setting not in self.card["presets"]:
                    names = ", ".join(self.presets())
                    raise UsageError(
                        f"min-confidence {setting!r}: give a probability 0-1 or a preset ({names})"
                    ) from None
                return {t: float(v) for t, v in self.card["presets"][setting]["thresholds"].items()}
        if not 0.0 <= setting <= 1.0:
            raise UsageError(f"min-confidence {setting}: a probability must be between 0 and 1")
        return {"*": float(setting)}

    def score(self, indices: list[int]) -> float:
        """The probability for one candidate's hashed feature indices."""
        z = float(self.weights[indices].sum()) + self.bias if indices else self.bias
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def probability(self, candidate: CandidateView, sentence: SentenceView) -> float:
        return self.score(hashed(features(candidate, sentence), int(self.card["hash_bits"])))

    def probabilities(self, candidates: Sequence[CandidateView], sentence: SentenceView) -> list[float]:
        """`probability` of each candidate of one sentence, the shared sentence features hashed once
        (the same index sets as `probability`, so the same numbers)."""
        bits = int(self.card["hash_bits"])
        shared = index_set(sentence_features(sentence), bits)
        out: list[float] = []
        for candidate in candidates:
            indices = shared | index_set(candidate_features(candidate, sentence), bits)
            out.append(self.score(list(indices)))
        return out

    def political(self, tokens: tuple[str, ...]) -> float | None:
        """P(the article is political or conflict news), None when the model has no relevance part."""
        if self.relevance is None:
            return None
        return self.relevance.score(hashed(article_features(tokens), int(self.card["hash_bits"])))


def save(
    path: Path,
    weights: npt.NDArray[np.float32],
    bias: float,
    card: dict[str, Any],
    relevance: Relevance | None = None,
) -> None:
    """Write a model file (weights as float32, the card as JSON text), atomically."""
    full = {**card, "model_version": MODEL_VERSION, "feature_version": FEATURE_VERSION, "bias": bias}
    arrays: dict[str, Any] = {"weights": weights.astype(np.float32)}
    if relevance is not None:
        full["relevance"] = {**full.get("relevance", {}), "bias": relevance.bias, "threshold": relevance.threshold}
        arrays["relevance_weights"] = relevance.weights.astype(np.float32)
    npz.write(path, arrays, full)


def load(path: Path) -> Detector:
    """Read a model file; any problem is a `ModelError` naming the file and the fix."""
    arrays, card = npz.read(path, "model file", _FIX)
    if "weights" not in arrays:
        raise ModelError(f"{path}: unreadable model file (no weights); {_FIX}")
    weights, gate = arrays["weights"], arrays.get("relevance_weights")
    for name, want in (("model_version", MODEL_VERSION), ("feature_version", FEATURE_VERSION)):
        if card.get(name) != want:
            raise ModelError(f"{path}: {name} {card.get(name)!r}, this Marsad needs {want}; {_FIX}")
    bits = card.get("hash_bits")
    if not isinstance(bits, int) or weights.shape != (1 << bits,):
        raise ModelError(f"{path}: weights of shape {weights.shape} do not match hash_bits {bits!r}; {_FIX}")
    presets = card.get("presets")
    if (
        not isinstance(presets, dict)
        or not all(
            isinstance(p, dict) and isinstance(p.get("thresholds"), dict) and "*" in p["thresholds"]
            for p in presets.values()
        )
        or "default" not in presets
    ):
        raise ModelError(f"{path}: model card lacks its thresholds or presets; {_FIX}")
    weights.setflags(write=False)
    relevance = None
    if gate is not None:
        if gate.shape != weights.shape or not isinstance(card.get("relevance"), dict):
            raise ModelError(f"{path}: relevance weights do not match the card; {_FIX}")
        gate.setflags(write=False)
        relevance = Relevance(gate, float(card["relevance"]["bias"]), float(card["relevance"]["threshold"]))
    return Detector(weights, float(card["bias"]), card, relevance)


_loaded: PerKey[Path, Detector] = PerKey()


def load_detector(path: Path | None = None) -> Detector:
    """The detector at `path` (default: the shipped one), read once per process, shared read-only."""
    return _loaded.get(path or default_path(), load)


MIN_CONFIDENCE_HELP = (
    "keep factual events whose probability reaches P: a number 0-1, or a preset: 'precision' "
    "(fewer, surer events), 'recall' (more events); default: each type's cross-validated F1-optimal "
    "threshold (docs/model.md)"
)


def floor_filter(setting: str | float | None) -> tuple[tuple[str, float], ...] | None:
    """A user's --min-confidence / min_confidence as sorted (type, floor) pairs ("*" = any other
    type) for filtering stored events; None when no filter was asked for."""
    if setting is None or setting == "":
        return None
    return tuple(sorted(load_detector().floors(setting).items()))
