"""`marsad train` / `make model`: train the shipped detector and record its cross-validated card.

Steps: read the gold and the team's sentences → candidate examples → nested grouped CV with and
without the team set (the ablation) → per-class figures on the team's held-out folds → C and
thresholds chosen by grouped CV on everything → fit on everything → write the model file.
Deterministic: fixed seeds, liblinear, sorted inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from marsad.learn import arguments as argument_file
from marsad.learn import detector as model_file
from marsad.learn.argument_training import ArgumentData, argument_data, train_arguments
from marsad.learn.cv import Choice, assign_folds, inner_select, weighted
from marsad.learn.data_sources import Example, Item, examples, load_gsr, load_team, text_key
from marsad.learn.evaluation import cross_validate, other_type_thresholds, team_heldout, team_scores
from marsad.learn.features import HASH_BITS, hashed
from marsad.learn.relevance import POLITICAL_DOMAINS, Relevance, article_features
from marsad.learn.train import SEED, fit
from marsad.lexicon.loader import Lexicon, default_lexicon
from marsad.text.normalize import normalize
from marsad.text.segment import segment

Progress = Callable[[str], None]
RELEVANCE_C = 0.3
KEEP_POLITICAL = 0.98
GSR_SOURCE = "openeventdata/arabic_event_gsr, dev split (MIT), read from the path given at training time"
TEAM_SOURCE = "data/annotations/*.jsonl (Marsad team, MIT; docs/annotation.md)"


def default_annotations() -> Path:
    """data/annotations of the source checkout (the team's sentences are not installed)."""
    return Path(__file__).resolve().parents[3] / "data" / "annotations"


def _data_card(items: list[Item]) -> dict[str, Any]:
    gsr = [i for i in items if i.corpus == "gsr"]
    team = [i for i in items if i.corpus == "team"]
    return {
        "gsr": {
            "source": GSR_SOURCE,
            "sentences": len(gsr),
            "documents": len({i.group for i in gsr}),
            "text_keys": sorted({text_key(i.text) for i in gsr}),
        },
        "team": {"source": TEAM_SOURCE, "sentences": len(team), "documents": len({i.group for i in team})},
    }


def final_choice(
    items: list[Item], batch: list[Example], lex: Lexicon, *, folds: int = 5, bits: int = HASH_BITS
) -> tuple[Choice, dict[str, Any]]:
    """C, team weight and gold-type thresholds by grouped CV on all the gold; the other types'
    thresholds and the per-class figures from the team's held-out folds."""
    choice = inner_select(items, batch, set(range(len(items))), k=folds, bits=bits)
    if not any(i.corpus == "team" for i in items):
        return choice, {}
    scores = team_scores(items, batch, lex, choice, k=folds, bits=bits)
    for preset, cut in other_type_thresholds(items, scores).items():
        choice.thresholds[preset]["*"] = cut
    return choice, team_heldout(items, scores, choice.thresholds["default"])


def evaluate(
    items: list[Item],
    batch: list[Example],
    lex: Lexicon,
    *,
    folds: int = 5,
    bits: int = HASH_BITS,
    progress: Progress | None = None,
    arguments: ArgumentData | None = None,
) -> dict[str, Any]:
    """The cross-validated figures: with the team set, without it (ablation), and per class on
    the team's held-out folds; with `arguments`, the strict source/target figures too."""
    figures = _gold_cv(items, batch, lex, folds=folds, bits=bits, progress=progress, arguments=arguments)
    if any(i.corpus == "team" for i in items):
        (progress or (lambda _: None))("the team's held-out folds")
        figures["team_heldout"] = final_choice(items, batch, lex, folds=folds, bits=bits)[1]
    return figures


def _gold_cv(
    items: list[Item],
    batch: list[Example],
    lex: Lexicon,
    *,
    folds: int,
    bits: int,
    progress: Progress | None,
    arguments: ArgumentData | None = None,
) -> dict[str, Any]:
    """Nested grouped CV on the gold, with the team set and, when there is one, without it."""
    say = progress or (lambda _: None)
    figures: dict[str, Any] = {
        "cv": cross_validate(items, batch, lex, k=folds, bits=bits, progress=say, arguments=arguments)
    }
    if any(i.corpus == "team" for i in items):
        say("ablation: without the team set")
        figures["cv_without_team"] = cross_validate(items, batch, lex, k=folds, with_team=False, bits=bits,
                                                    arguments=arguments)  # fmt: skip
    return figures


def _documents(items: list[Item]) -> list[tuple[str, list[int], bool]]:
    """The team's invented articles: (doc, hashed relevance features, political?)."""
    texts: dict[str, list[str]] = {}
    domain: dict[str, str] = {}
    for item in items:
        if item.corpus == "team":
            texts.setdefault(item.group, []).append(item.text)
            domain[item.group] = item.domain
    out = []
    for group, sentences in texts.items():
        tokens = segment(normalize(" ".join(sentences))).tokens
        out.append((group, hashed(article_features(tokens)), domain[group] in POLITICAL_DOMAINS))
    return out


def train_relevance(items: list[Item], *, folds: int = 5) -> tuple[Relevance, dict[str, Any]] | None:
    """The article relevance model, fitted on the team's documents; its threshold is the highest
    that keeps `KEEP_POLITICAL` of the political documents in grouped cross-validation: losing
    the events of a political article costs more than keeping a few of another."""
    docs = _documents(items)
    if len({political for _, _, political in docs}) < 2:
        return None
    batch = [Example(n, "", True, tuple(ix), float(pol), 1.0) for n, (_, ix, pol) in enumerate(docs)]
    fold_of = assign_folds([g for g, _, _ in docs], folds, SEED + 3)
    scores = [0.0] * len(docs)
    for fold in range(folds):
        part = [e for e in batch if fold_of[docs[e.item][0]] != fold]
        test = [e for e in batch if fold_of[docs[e.item][0]] == fold]
        for e, p in zip(test, fit(part, RELEVANCE_C).predict(test), strict=True):
            scores[e.item] = float(p)
    political = sorted(p for p, (_, _, pol) in zip(scores, docs, strict=True) if pol)
    others = [p for p, (_, _, pol) in zip(scores, docs, strict=True) if not pol]
    threshold = round(political[int(len(political) * (1 - KEEP_POLITICAL))], 3)
    cv = {
        "documents": len(docs),
        "political": len(political),
        "threshold": threshold,
        "political_kept": round(sum(p >= threshold for p in political) / len(political), 3),
        "others_gated": round(sum(p < threshold for p in others) / max(len(others), 1), 3),
    }
    fitted = fit(batch, RELEVANCE_C)
    return Relevance(fitted.weights, fitted.bias, threshold), cv


def default_argument_annotations() -> Path:
    """data/arguments of the source checkout: team sentences written for the argument ranker only."""
    return Path(__file__).resolve().parents[3] / "data" / "arguments"


def argument_items(annotations: Path | None) -> list[Item]:
    """The argument-only team sentences, when the team set is used at all and they are there."""
    where = default_argument_annotations()
    return load_team(where) if annotations is not None and where.is_dir() else []


def load_items(gold: Path, annotations: Path | None) -> list[Item]:
    return load_gsr(gold) + (load_team(annotations) if annotations else [])


def train(
    gold: Path,
    annotations: Path | None,
    out: Path,
    *,
    folds: int = 5,
    cross_validation: bool = True,
    lexicon: Lexicon | None = None,
    bits: int = HASH_BITS,
    progress: Progress | None = None,
    reviews: str | None = None,
) -> dict[str, Any]:
    """Train, cross-validate and write the detector to `out` and the argument ranker beside it
    (`arguments.npz`); returns the detector's card. `reviews`: a store whose reviews join the
    training data of both (learn/reviews.py; corrected sources and targets teach the ranker)."""
    say = progress or (lambda _: None)
    lex = lexicon or default_lexicon()
    items = load_items(gold, annotations)
    batch = examples(items, lex, bits)
    if reviews:  # issue 17: the store's reviews join the training data (learn/reviews.py)
        from marsad.learn.reviews import review_card, with_reviews

        items, batch, reviewed = with_reviews(
            items, batch, reviews, lex, bits=bits, folds=folds if cross_validation else None
        )
    say(f"{len(items)} sentences, {len(batch)} candidate examples")
    data = argument_data(gold, items, lex, argument_items(annotations))
    say(f"arguments: {len(data.events)} labelled events, {len(data.spans)} gold span sentences")
    card: dict[str, Any] = {
        "hash_bits": bits,
        "seed": SEED,
        "trained": dt.date.today().isoformat(),
        "data": _data_card(items),
    }
    if cross_validation:
        card.update(_gold_cv(items, batch, lex, folds=folds, bits=bits, progress=say, arguments=data))
    if reviews:
        card["reviews"] = review_card(reviewed, card.get("cv"))
    choice, held = final_choice(items, batch, lex, folds=folds, bits=bits)
    thresholds = choice.thresholds
    say(f"final: C={choice.c} team weight {choice.team_weight} thresholds={thresholds}")
    if held:
        card["team_heldout"] = held
    fitted = fit(weighted(items, batch, choice.team_weight), choice.c, bits=bits)
    relevance = train_relevance(items, folds=folds)
    if relevance is not None:
        card["relevance"] = {"cv": relevance[1], "source": TEAM_SOURCE}
        say(f"relevance: {relevance[1]}")
    card.update(
        {
            "C": choice.c,
            "team_weight": choice.team_weight,
            "thresholds": thresholds["default"],
            "presets": {name: {"thresholds": t} for name, t in thresholds.items()},
        }
    )
    model_file.save(out, fitted.weights, fitted.bias, card, relevance[0] if relevance else None)
    figures: dict[str, Any] = {key: card[key]["arguments"] for key in ("cv", "cv_without_team") if key in card}
    write_arguments(data, out.with_name(ARGUMENTS_FILE), items, figures, progress=say)
    return card


ARGUMENTS_FILE = "arguments.npz"


def write_arguments(
    data: ArgumentData,
    out: Path,
    items: list[Item],
    figures: dict[str, Any] | None = None,
    *,
    progress: Progress | None = None,
) -> argument_file.ArgumentModel:
    """Fit the argument ranker on all `data` (thresholds by inner grouped CV) and write it with
    its card (`figures`: the cross-validated strict figures, when measured)."""
    card = {
        "seed": SEED,
        "trained": dt.date.today().isoformat(),
        "data": {
            "gsr_events": sum(e.corpus == "gsr" for e in data.events),
            "team_events": sum(e.corpus == "team" for e in data.events),
            "gsr_span_sentences": len(data.spans),
            "gsr": {"source": GSR_SOURCE},
            "team": {"source": TEAM_SOURCE, "documents": len({i.group for i in items if i.corpus == "team"})},
        },
        **({"cv": figures} if figures else {}),
    }
    model = train_arguments(data.events, card)
    (progress or (lambda _: None))(f"arguments: thresholds {model.thresholds}; wrote {out}")
    argument_file.save(out, model)
    return model
