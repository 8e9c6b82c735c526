"""Training data and fitting of the argument ranker (`learn/arguments.py`).

Labels come from two sources, both read at run time:
- the gold's span sentences (`*_spans.json` of openeventdata/arabic_event_gsr): each of 3–7
  annotators marked a verb, a source and a target; a candidate event whose trigger overlaps an
  annotator's verb gets, for each candidate actor, the share of those annotators whose source
  (target) span it overlaps — a soft label;
- the team's annotated sentences (`data/annotations`): each event names its trigger, source and
  target as strings of the sentence.
Each (event, candidate) pair is one example of the source scorer and one of the target scorer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.evaluate import GoldArguments, load_span_records, locate_tokens
from marsad.extract.proposals import Proposal, propose
from marsad.learn.arguments import ARGUMENT_BITS, ArgumentModel, all_features
from marsad.learn.cv import GOLD_TYPES, assign_folds
from marsad.learn.data_sources import Example, Item
from marsad.learn.features import hashed
from marsad.learn.train import SEED, fit
from marsad.lexicon.loader import Lexicon
from marsad.text.normalize import normalize
from marsad.text.segment import Segmented, segment

Span = tuple[int, int]
ARGUMENT_C = 0.3  # fixed before any evaluation, not tuned
# Even steps: a threshold is chosen on F1 smoothed over its neighbours (`_best_threshold`), so the
# first and last points only lend theirs.
THRESHOLD_GRID = tuple(round(0.05 * k, 2) for k in range(1, 13))  # 0.05 … 0.6
INNER_FOLDS = 3


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One annotation of an event: trigger, source and target spans (original offsets)."""

    event_type: str
    trigger: Span
    source: Span | None
    target: Span | None


@dataclass(frozen=True, slots=True)
class ArgumentSentence:
    """A sentence with annotated events, and its cross-validation group."""

    corpus: str
    group: str
    text: str
    events: tuple[GoldEvent, ...]


def _first(text: str, needle: str | None) -> Span | None:
    """A phrase's span: its first occurrence, as docs/annotation.md says."""
    at = text.find(needle) if needle else -1
    return (at, at + len(needle)) if needle and at >= 0 else None


def gsr_sentences(directory: Path, groups: dict[str, str]) -> list[ArgumentSentence]:
    """The gold's span sentences; `groups` maps a sentence's text to its gsr document."""
    out: list[ArgumentSentence] = []
    for path in sorted(directory.glob("*_spans.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            text = record["text"]
            events = []
            for s in record.get("spans", []):
                trigger = locate_tokens(text, s.get("verb") or [])
                if trigger is None:
                    continue
                events.append(GoldEvent(record["event_type"], trigger, locate_tokens(text, s.get("source_actor") or []),
                                        locate_tokens(text, s.get("target_actor") or [])))  # fmt: skip
            if events:
                out.append(ArgumentSentence("gsr", groups.get(text.strip(), f"spans:{text[:20]}"), text, tuple(events)))
    return out


def team_sentences(items: Iterable[Item]) -> list[ArgumentSentence]:
    """The team's annotated events that name their trigger in the sentence."""
    out: list[ArgumentSentence] = []
    for item in items:
        if item.corpus != "team":
            continue
        events = []
        for e in item.events:
            trigger = _first(item.text, e.get("trigger"))
            if trigger is None:
                continue
            events.append(GoldEvent(e["type"], trigger, _first(item.text, e.get("source")),
                                    _first(item.text, e.get("target"))))  # fmt: skip
        if events:
            out.append(ArgumentSentence("team", item.group, item.text, tuple(events)))
    return out


def _span(seg: Segmented, first: int, last: int) -> Span:
    return seg.norm.orig_span(seg.starts[first], seg.ends[last - 1])


def _overlap(a: Span, b: Span | None) -> bool:
    return b is not None and a[0] < b[1] and b[0] < a[1]


@dataclass(frozen=True, slots=True)
class LabelledEvent:
    """A proposed event matched to annotations: each candidate's features and soft labels."""

    corpus: str  # "gsr" or "team"
    group: str
    event_type: str
    names: tuple[tuple[str, ...], ...]
    source: tuple[float, ...]
    target: tuple[float, ...]


def labelled_events(sentences: Sequence[ArgumentSentence], lexicon: Lexicon) -> list[LabelledEvent]:
    """Every proposed event whose trigger overlaps an annotated trigger of its type, with the
    share of those annotations whose source (target) each candidate overlaps."""
    out: list[LabelledEvent] = []
    for sentence in sentences:
        seg = segment(normalize(sentence.text))
        for s in seg.sentences:
            _view, proposals = propose(lexicon, seg, s)
            for p in proposals:
                labelled = _label(seg, p, sentence)
                if labelled is not None:
                    out.append(labelled)
    return out


def _label(seg: Segmented, p: Proposal, sentence: ArgumentSentence) -> LabelledEvent | None:
    trig = p.candidate.trigger
    span = _span(seg, trig.first, trig.last)
    gold = [e for e in sentence.events if e.event_type == trig.payload.event_type and _overlap(span, e.trigger)]
    if not gold:
        return None
    pairs = all_features(p.frame, p.mentions)
    if not pairs:
        return None
    names, source, target = [], [], []
    for m, f in pairs:
        at = _span(seg, m.first, m.last)
        names.append(tuple(f))
        source.append(sum(_overlap(at, e.source) for e in gold) / len(gold))
        target.append(sum(_overlap(at, e.target) for e in gold) / len(gold))
    return LabelledEvent(sentence.corpus, sentence.group, trig.payload.event_type, tuple(names), tuple(source),
                         tuple(target))  # fmt: skip


def _fit_role(events: Sequence[LabelledEvent], role: int) -> tuple[npt.NDArray[np.float32], float]:
    """One role's weights and bias; with no example of both kinds (a tiny training set), zero
    weights and a bias that never chooses a candidate."""
    batch = [
        Example(0, "", True, tuple(hashed(list(n), ARGUMENT_BITS)), (e.source, e.target)[role][k], 1.0)
        for e in events
        for k, n in enumerate(e.names)
    ]
    if not any(x.target > 0 for x in batch) or not any(x.target < 1 for x in batch):
        return np.zeros(1 << ARGUMENT_BITS, dtype=np.float32), -20.0
    fitted = fit(batch, ARGUMENT_C, bits=ARGUMENT_BITS)
    return fitted.weights, fitted.bias


def fit_arguments(
    events: Sequence[LabelledEvent], thresholds: dict[str, tuple[float, float]], card: dict[str, Any] | None = None
) -> ArgumentModel:
    """Fit the source and target scorers on `events` (fixed C, fixed seed)."""
    (ws, bs), (wt, bt) = _fit_role(events, 0), _fit_role(events, 1)
    full = {"hash_bits": ARGUMENT_BITS, "C": ARGUMENT_C, "events": len(events), **(card or {})}
    return ArgumentModel(np.stack([ws, wt]).astype(np.float32), (bs, bt), thresholds, full)


def _probability(w: npt.NDArray[np.float32], b: float, names: Sequence[str]) -> float:
    return 1.0 / (1.0 + math.exp(-(b + float(w[hashed(list(names), ARGUMENT_BITS)].sum()))))


def _f1(events: Sequence[LabelledEvent], scores: Sequence[Sequence[float]], role: int, threshold: float) -> float:
    """Event-level F1 of the role: the best candidate at or above `threshold` is right when most
    of its annotators marked it; an event has a gold argument when some candidate is so marked."""
    chosen = right = present = 0
    for e, s in zip(events, scores, strict=True):
        if not s:
            continue  # not scored: its inner fold had nothing to train on
        labels = (e.source, e.target)[role]
        present += max(labels) >= 0.5
        best = max(range(len(s)), key=lambda k: (s[k], -k))
        if s[best] >= threshold:
            chosen += 1
            right += labels[best] >= 0.5
    p, r = (right / chosen if chosen else 0.0), (right / present if present else 0.0)
    return 2 * p * r / (p + r) if p + r else 0.0


def _best_threshold(events: Sequence[LabelledEvent], scores: Sequence[Sequence[float]], role: int) -> float:
    """The inner grid point whose F1, averaged with its two neighbours', is best (ties: the higher).
    Neighbouring thresholds' F1 differ by a few thousandths — one event — so the plain maximum
    flipped with any change of the training data; the smoothed curve moves less. The grid's ends
    are not candidates: their average would lean on one neighbour only."""
    f1 = [_f1(events, scores, role, t) for t in THRESHOLD_GRID]
    inner = range(1, len(f1) - 1)
    return max((sum(f1[i - 1 : i + 2]) / 3, THRESHOLD_GRID[i]) for i in inner)[1]


def choose_thresholds(events: Sequence[LabelledEvent], k: int = INNER_FOLDS) -> dict[str, tuple[float, float]]:
    """Each role's "none" threshold per gold type (PROTEST, ASSAULT) and for the other types
    ("*"): the best of `THRESHOLD_GRID` by smoothed F1 (`_best_threshold`) on grouped k-fold
    out-of-fold scores of `events`."""
    folds = assign_folds([e.group for e in events], k, SEED + 5)
    scores: list[list[list[float]]] = [[[] for _ in events], [[] for _ in events]]
    for role in (0, 1):
        for fold in range(k):
            w, b = _fit_role([e for e in events if folds[e.group] != fold], role)
            for n, e in enumerate(events):
                if folds[e.group] == fold:
                    scores[role][n] = [_probability(w, b, x) for x in e.names]
    out: dict[str, tuple[float, float]] = {}
    for kind in (*GOLD_TYPES, "*"):
        which = [
            n for n, e in enumerate(events) if e.event_type == kind or (kind == "*" and e.event_type not in GOLD_TYPES)
        ]
        part = [events[n] for n in which]
        best = [_best_threshold(part, [scores[role][n] for n in which], role) for role in (0, 1)]
        out[kind] = (best[0], best[1])
    return out


def train_arguments(events: Sequence[LabelledEvent], card: dict[str, Any] | None = None) -> ArgumentModel:
    """Thresholds by inner grouped CV on `events`, then a fit on all of them."""
    return fit_arguments(events, choose_thresholds(events), card)


@dataclass(frozen=True, slots=True)
class ArgumentData:
    """Everything the argument model is trained and measured on."""

    events: tuple[LabelledEvent, ...]
    spans: tuple[tuple[GoldArguments, str, str], ...]  # gold, text, gsr document


def argument_data(gold: Path, items: Sequence[Item], lexicon: Lexicon, extra: Sequence[Item] = ()) -> ArgumentData:
    """The labelled events of the gold's span sentences, of the team's sentences in `items` and of
    the team's argument-only sentences `extra` (data/arguments: written for this model, not read by
    the detector), and the span sentences for scoring, each with its gsr document (the CV group)."""
    groups = {i.text.strip(): i.group for i in items if i.corpus == "gsr"}
    sentences = gsr_sentences(gold, groups) + team_sentences([*items, *extra])
    spans = tuple((g, text, groups.get(text.strip(), g.id)) for g, text in load_span_records(gold))
    return ArgumentData(tuple(labelled_events(sentences, lexicon)), spans)
