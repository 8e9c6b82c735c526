"""Cross-validated figures of the detector: gold P/R/F1 per preset, calibration, PR curve, and
accuracy per construction class on the team's held-out sentences."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from marsad.evaluate import Counts, GoldArguments, score_arguments, total_arguments
from marsad.learn.argument_training import ArgumentData, train_arguments
from marsad.learn.arguments import RulesRanker
from marsad.learn.cv import (
    GOLD_TYPES,
    PRESET_BETA,
    THRESHOLDS,
    Choice,
    Thresholds,
    as_detector,
    assign_folds,
    brier,
    inner_select,
    reliability,
    tallies,
    weighted,
)
from marsad.learn.data_sources import POSITIVE, REPORTED, Example, Item
from marsad.learn.detector import Detector
from marsad.learn.features import HASH_BITS
from marsad.learn.train import SEED, fit
from marsad.lexicon.loader import Lexicon
from marsad.model import Event
from marsad.pipeline import code_text

Progress = Callable[[str], None]


def _factual_best(events: Sequence[Event], event_type: str) -> float:
    return max((e.confidence for e in events if e.event_type == event_type and e.factual), default=0.0)


def coded_scores(items: Sequence[Item], which: Sequence[int], detector: Detector, lexicon: Lexicon) -> dict[int, float]:
    """gsr item → the highest confidence of a factual event of its gold type, coded by the pipeline."""
    out: dict[int, float] = {}
    for i in which:
        item = items[i]
        events = code_text(item.text, lexicon=lexicon, detector=detector, min_confidence=0.0)
        assert item.gold_type is not None
        out[i] = _factual_best(events, item.gold_type)
    return out


def cross_validate(
    items: Sequence[Item],
    batch: Sequence[Example],
    lexicon: Lexicon,
    *,
    k: int = 5,
    with_team: bool = True,
    bits: int = HASH_BITS,
    progress: Progress | None = None,
    arguments: ArgumentData | None = None,
) -> dict[str, Any]:
    """Nested grouped k-fold on the gold; P/R/F1 of every preset, pooled over the test folds.

    With `arguments`, each fold also trains the argument ranker on its training part (the gold's
    span sentences of the training documents, and the team's events when `with_team`) and codes
    the test fold's span sentences at the fold detector's production thresholds: the strict
    source/target figures (`evaluate.score_arguments`)."""
    gsr = [i for i, item in enumerate(items) if item.corpus == "gsr"]
    team = {i for i, item in enumerate(items) if item.corpus == "team"} if with_team else set()
    folds = assign_folds([items[i].group for i in gsr], k)
    scores: dict[int, float] = {}
    per_preset = {name: {t: Counts() for t in GOLD_TYPES} for name in PRESET_BETA}
    chosen: list[dict[str, Any]] = []
    coded: list[tuple[GoldArguments, list[Event]]] = []
    rules: list[tuple[GoldArguments, list[Event]]] = []
    for fold in range(k):
        test = [i for i in gsr if folds[items[i].group] == fold]
        train = {i for i in gsr if folds[items[i].group] != fold} | team
        choice = inner_select(items, batch, train, bits=bits)
        thresholds = choice.thresholds
        model = fit([e for e in weighted(items, batch, choice.team_weight) if e.item in train], choice.c, bits=bits)
        detector = as_detector(model, thresholds, bits)
        fold_scores = coded_scores(items, test, detector, lexicon)
        if arguments is not None:
            ranked, baseline = _fold_arguments(arguments, folds, fold, with_team, detector, lexicon)
            coded.extend(ranked)
            rules.extend(baseline)
        scores.update(fold_scores)
        for name, threshold in thresholds.items():
            for t, tally in tallies(items, test, fold_scores, threshold).items():
                per_preset[name][t].merge(tally)
        chosen.append({"fold": fold, "C": choice.c, "team_weight": choice.team_weight, "thresholds": thresholds,
                       "test_sentences": len(test)})  # fmt: skip
        if progress:
            progress(f"fold {fold + 1}/{k}: C={choice.c} team weight {choice.team_weight} thresholds={thresholds}")
    pairs = [(scores[i], items[i].label == POSITIVE) for i in gsr if items[i].scored]
    extra = {}
    if arguments is not None:
        extra = {"arguments": total_arguments(score_arguments(coded)),
                 "arguments_rules": total_arguments(score_arguments(rules))}  # fmt: skip
    return {
        **extra,
        "folds": k,
        "with_team": with_team,
        "presets": {name: {t: v.as_dict() for t, v in found.items()} for name, found in per_preset.items()},
        "brier": brier(pairs),
        "reliability": reliability(pairs),
        "pr_curve": _pr_curve(items, gsr, scores),
        "chosen": chosen,
    }


Coded = list[tuple[GoldArguments, list[Event]]]


def _fold_arguments(
    data: ArgumentData, folds: dict[str, int], fold: int, with_team: bool, detector: Detector, lexicon: Lexicon
) -> tuple[Coded, Coded]:
    """The test fold's span sentences coded with the fold's detector and its argument ranker, and
    (the baseline) with the same detector and the word-order rules' roles."""
    train = [
        e
        for e in data.events
        if (e.corpus == "team" and with_team) or (e.corpus == "gsr" and folds.get(e.group, fold) != fold)
    ]
    ranker = train_arguments(train)
    test = [(gold, text) for gold, text, group in data.spans if folds.get(group, -1) == fold]
    ranked = [(gold, code_text(text, lexicon=lexicon, detector=detector, arguments=ranker)) for gold, text in test]
    rules = [
        (gold, code_text(text, lexicon=lexicon, detector=detector, arguments=RulesRanker())) for gold, text in test
    ]
    return ranked, rules


def _pr_curve(items: Sequence[Item], gsr: Sequence[int], scores: dict[int, float]) -> list[dict[str, Any]]:
    """P/R per type at every fifth threshold of the grid, from the pooled out-of-fold scores."""
    curve: list[dict[str, Any]] = []
    for threshold in THRESHOLDS[::5]:
        found = tallies(items, gsr, scores, {"*": threshold})
        curve.append(
            {
                "threshold": threshold,
                **{t: {"precision": round(v.precision, 3), "recall": round(v.recall, 3)} for t, v in found.items()},
            }
        )
    return curve


def team_scores(
    items: Sequence[Item],
    batch: Sequence[Example],
    lexicon: Lexicon,
    choice: Choice,
    *,
    k: int = 5,
    bits: int = HASH_BITS,
) -> dict[int, dict[str, float]]:
    """Out-of-fold scores of the team's sentences (grouped k-fold over its documents, all gold in
    every training fold): item → event type → the highest confidence of a factual event."""
    team = [i for i, item in enumerate(items) if item.corpus == "team"]
    everything = set(range(len(items)))
    folds = assign_folds([items[i].group for i in team], k, SEED + 2)
    floors: dict[str, Thresholds] = {name: {"*": 0.0} for name in PRESET_BETA}
    scores: dict[int, dict[str, float]] = {}
    for fold in range(k):
        held = {i for i in team if folds[items[i].group] == fold}
        part = [e for e in weighted(items, batch, choice.team_weight) if e.item in everything - held]
        detector = as_detector(fit(part, choice.c, bits=bits), floors, bits)
        for i in sorted(held):
            item = items[i]
            found: dict[str, float] = {}
            for e in code_text(item.text, lexicon=lexicon, detector=detector, min_confidence=0.0,
                               relevance_gate=False):  # fmt: skip
                if e.factual:
                    found[e.event_type] = max(found.get(e.event_type, 0.0), e.confidence)
            scores[i] = found
    return scores


def other_type_thresholds(items: Sequence[Item], scores: dict[int, dict[str, float]]) -> dict[str, float]:
    """Per preset, the threshold of the types without public gold ("*"), chosen on the team's
    out-of-fold scores: the F-beta-best decision "is an event of this type reported here?" over
    every (sentence, type) that the annotation or the coder mentions."""
    pairs: list[tuple[float, bool]] = []
    for i, found in scores.items():
        item = items[i]
        mentioned = {e["type"] for e in item.events} | set(found)
        pairs.extend((found.get(t, 0.0), t in item.reported) for t in mentioned if t not in GOLD_TYPES)
    chosen: dict[str, float] = {}
    for preset, beta in PRESET_BETA.items():

        def quality(t: float, beta: float = beta) -> tuple[float, float]:
            tally = Counts()
            for p, gold in pairs:
                tally.add(p >= t, gold)
            return tally.f(beta), -abs(t - 0.5)

        chosen[preset] = max(THRESHOLDS, key=quality)
    return chosen


def team_heldout(items: Sequence[Item], scores: dict[int, dict[str, float]], floors: Thresholds) -> dict[str, Any]:
    """On the team's out-of-fold scores at `floors`: per status:class, how often the decision
    (reported or not, per annotated event) is right; per domain, how many sentences without any
    event get none."""
    by_class: dict[str, list[int]] = {}
    by_domain: dict[str, list[int]] = {}
    for i, found in scores.items():
        item = items[i]
        coded = {t for t, p in found.items() if p >= floors.get(t, floors["*"])}
        for gold in item.events:
            right = (gold["type"] in coded) == (gold["status"] == REPORTED)
            key = f"{gold['status']}:{gold.get('class') or 'other'}"
            by_class.setdefault(key, [0, 0])[0] += right
            by_class[key][1] += 1
        if not item.events:
            by_domain.setdefault(item.domain or "other", [0, 0])[0] += not coded
            by_domain[item.domain or "other"][1] += 1
    return {
        "classes": {key: {"right": r, "n": n, "accuracy": round(r / n, 3)} for key, (r, n) in sorted(by_class.items())},
        "no_event_sentences": {
            d: {"right": r, "n": n, "accuracy": round(r / n, 3)} for d, (r, n) in sorted(by_domain.items())
        },
    }
