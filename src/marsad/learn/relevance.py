"""Article relevance: is this article political or conflict news at all?

Three articles in four of a newspaper are sports, business, culture, technology, weather or
accident reports, full of words that look like events ("المهاجم"، "ضربت العاصفة"، "دعم القمح").
A small logistic model reads the article's domain vocabulary (lexicon/data/domains.tsv) and words
and gives P(political); in an article under its threshold only events the detector is very sure
of survive (the "precision" preset): a riot at a stadium is still a PROTEST.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from marsad.learn.features import word_key
from marsad.lexicon.loader import StemKinds

POLITICAL_DOMAINS = frozenset({"politics", "conflict", "crime"})
_READ = 400  # tokens read from the article's start (the lead says what the article is)


DOMAINS = StemKinds("domains.tsv", "domain")


def article_features(tokens: Sequence[str]) -> list[str]:
    """Domain shares (bucketed) and the distinct words of the article's first tokens."""
    words = [t for t in tokens[:_READ] if len(t) > 1]
    hits = Counter(d for t in words if (d := DOMAINS.kind_of(t)) is not None)
    total = sum(hits.values()) or 1
    out = ["rel:bias"]
    for domain, n in hits.items():
        share = n / total
        out.append(f"rel:dom={domain}")
        out.append(f"rel:share={domain}:{min(int(share * 5), 4)}")
    if hits:
        out.append(f"rel:top={hits.most_common(1)[0][0]}")
    out.extend(f"rel:u={word_key(t)}" for t in set(words))
    return out


@dataclass(frozen=True)
class Relevance:
    """P(political) of an article; `threshold` from grouped cross-validation on the team's docs."""

    weights: npt.NDArray[np.float32]
    bias: float
    threshold: float

    def score(self, indices: list[int]) -> float:
        z = float(self.weights[indices].sum()) + self.bias if indices else self.bias
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
