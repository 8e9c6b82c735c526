"""Training the detector: L2 logistic regression over hashed candidate features.

Soft labels (the gold's annotator agreement) are fitted by giving each example a positive copy
weighted `target` and a negative copy weighted `1 - target`. scikit-learn (BSD) is needed here
only: `pip install "marsad[train]"`; the shipped model is a plain weight vector.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.errors import UsageError
from marsad.learn.data_sources import Example
from marsad.learn.features import HASH_BITS

SEED = 20261207
C_GRID = (0.03, 0.1, 0.3, 1.0)
# The team's sentences weigh 1 or 2 gold sentences (chosen inside the training folds).
TEAM_WEIGHTS = (1.0, 2.0)


@dataclass(frozen=True)
class Fitted:
    weights: npt.NDArray[np.float32]
    bias: float
    c: float

    def predict(self, batch: Sequence[Example]) -> npt.NDArray[np.float64]:
        z = np.array([float(self.weights[list(e.indices)].sum()) for e in batch]) + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _sklearn() -> tuple[Any, Any]:
    try:
        from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    except ImportError:
        raise UsageError('training needs scikit-learn: pip install "marsad[train]"') from None
    return LogisticRegression, csr_matrix


def fit(batch: Sequence[Example], c: float, *, bits: int = HASH_BITS) -> Fitted:
    """Fit on `batch` (soft targets, each example weighted by its `weight`)."""
    if not batch:
        raise UsageError("no training examples")
    logistic, csr = _sklearn()
    rows: list[int] = []
    cols: list[int] = []
    labels: list[int] = []
    weights: list[float] = []
    for e in batch:
        for label, w in ((1, e.target), (0, 1.0 - e.target)):
            if w <= 0.0:
                continue
            rows.extend([len(labels)] * len(e.indices))
            cols.extend(e.indices)
            labels.append(label)
            weights.append(w * e.weight)
    if len(set(labels)) < 2:
        raise UsageError("training needs both positive and negative examples")
    shape = (len(labels), 1 << bits)
    x = csr((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=shape)
    model = logistic(C=c, solver="liblinear", max_iter=1000, random_state=SEED)
    model.fit(x, np.array(labels), sample_weight=np.array(weights))
    return Fitted(model.coef_[0].astype(np.float32), float(model.intercept_[0]), c)
