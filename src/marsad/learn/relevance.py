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
from functools import cache

import numpy as np
import numpy.typing as npt

from marsad.lexicon.loader import data_dir, read_tsv
from marsad.text.morph import bare, lemma_key, stem_keys

POLITICAL_DOMAINS = frozenset({"politics", "conflict", "crime"})
_READ = 400  # tokens read from the article's start (the lead says what the article is)


@cache
def domain_index() -> dict[str, str]:
    """Light stem → domain, from lexicon/data/domains.tsv (read once per process)."""
    index: dict[str, str] = {}
    for _, row in read_tsv(data_dir() / "domains.tsv", ("domain", "key", "gloss_en", "example")):
        index.setdefault(row["key"], row["domain"])
    return index


def _domain(token: str, index: dict[str, str]) -> str | None:
    word = bare(token)
    if word in index:
        return index[word]
    for key in stem_keys(token):
        if key in index:
            return index[key]
    return None


def article_features(tokens: Sequence[str]) -> list[str]:
    """Domain shares (bucketed) and the distinct words of the article's first tokens."""
    index = domain_index()
    words = [t for t in tokens[:_READ] if len(t) > 1]
    hits = Counter(d for t in words if (d := _domain(t, index)) is not None)
    total = sum(hits.values()) or 1
    out = ["rel:bias"]
    for domain, n in hits.items():
        share = n / total
        out.append(f"rel:dom={domain}")
        out.append(f"rel:share={domain}:{min(int(share * 5), 4)}")
    if hits:
        out.append(f"rel:top={hits.most_common(1)[0][0]}")
    out.extend(f"rel:u={lemma_key(bare(t))}" for t in set(words))
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
