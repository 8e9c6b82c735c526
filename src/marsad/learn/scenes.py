"""Which of a sentence's places is the event's scene: a learned choice among the rules' candidates.

`extract/scene.py` proposes the candidates (the sentence's places, minus those in a relative clause
after the trigger and, when others remain, the objects of a demand or a talk) and ranks them by
rule: object of a demand last, a region only when nothing finer will do, a locative or a dateline
first, then the nearest to the trigger. Those cues become features here, together with what the
rules cannot weigh: the word before the place (من، إلى، عن، لدى ...), a clitic on the name
("ببغداد"، "لطهران"), the side of the trigger and the distance, a speech verb or a comma between
them, a word opening the object of a protest or statement (تضامنا مع، ضد ...) between them, the event
type, and the rules' own order (not the place's precision or kind). One more candidate stands
for "none of them is the scene" (actors such as "أعلنت إيران التوصل إلى اتفاق مع الولايات المتحدة",
places in titles, recipients, topics), with features of how the places stand. A conditional logit
(one softmax over the candidates of one event) is trained on the team's scene sentences
(`data/places`, MIT, docs/annotation.md); the pipeline consults it only where the rules' cues tie
(`extract.scene.undecided`), and the highest-scored tied candidate, or none, wins. Weights are a
data file (`learn/data/scenes.npz`, read with `allow_pickle=False`) with its card.

    python -m marsad.learn.scenes cv      # grouped 5-fold CV: rules vs model on the team set
    python -m marsad.learn.scenes train   # writes learn/data/scenes.npz (`make model`)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.errors import InputError, ModelError, UsageError
from marsad.extract.actors import relative_between
from marsad.extract.place_rules import context_kind
from marsad.extract.scene import (
    Setting,
    coordinated,
    is_locative,
    is_object,
    locative_list,
    opens_sentence,
    rule_choice,
    rule_order,
    undecided,
)
from marsad.learn import npz
from marsad.learn.features import index_set
from marsad.memo import PerKey
from marsad.text.normalize import normalize
from marsad.text.segment import PUNCT, Segmented

__all__ = [
    "SCENE_BITS",
    "SCENE_VERSION",
    "SceneExample",
    "SceneModel",
    "cross_validate",
    "default_path",
    "examples",
    "load",
    "load_scenes",
    "save",
    "scene_choice",
    "scene_features",
    "train",
]

SCENE_VERSION = 3
SCENE_BITS = 12
SEED = 2029
FOLDS = 5
L2_GRID = (0.3, 1.0, 3.0, 10.0)
_FIX = "rebuild it with `make model`, or reinstall Marsad"
_SPEECH = frozenset({"قال", "قالت", "وقال", "وقالت", "اعلن", "اعلنت", "واعلن", "واعلنت", "ذكر", "ذكرت", "افاد",
                     "افادت", "اكد", "اكدت", "واكد", "واكدت", "اضاف", "اضافت", "صرح", "وصرح", "بحسب", "وفق", "وفقا"})  # fmt: skip
_THAT = frozenset({"ان", "انه", "انها", "انهم", "بان", "بانه", "بانها"})  # a reported clause begins
_RELATORS = frozenset(
    {"في", "فى", "من", "الي", "علي", "عن", "لدي", "مع", "ضد", "بين", "نحو", "عبر", "قرب", "امام", "داخل", "خارج",
     "وسط", "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "مدينه", "بمدينه", "ولايه", "محافظه",
     "العاصمه", "عاصمه", "بلده", "منطقه", "حيث", "و", "او", "حتي", "باتجاه", "تجاه", "بحق", "لصالح", "^", "$"}
)  # fmt: skip
# Words that open the object of a protest or a statement ("تضامنا مع المحتجين في طهران"، "احتجاجا على
# الحرب في اليمن"): a place after them is what the event is about, rarely where it happened.
_TOPIC = frozenset({"تضامنا", "تضامن", "احتجاجا", "تنديدا", "رفضا", "دعما", "ضد", "للمطالبه", "المطالبه", "بشان"})
_CLITICS = ("وب", "ول", "ب", "ل", "و", "ف")


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _function_word(word: str) -> str:
    """The word itself when it is one of the closed class that relates a place to an event
    (prepositions, locatives, "capital", "city" ...), else "w": content words would teach the model
    the vocabulary of the team's sentences, not how a place relates to an event."""
    return word if word in _RELATORS else "w"


def _clitic(seg: Segmented, p: Any) -> str:
    """The prefix written on the place's first token before its name ("ب" in "ببغداد")."""
    token = seg.tokens.bare[p.first_token]
    first = normalize(p.place.name_ar).text.split(" ", 1)[0]
    for prefix in _CLITICS:
        if token.startswith(prefix) and token[len(prefix) :].startswith(first[:3]) and not token.startswith(first):
            return prefix
    return ""


def scene_features(
    seg: Segmented, setting: Setting, trigger: int, here: Sequence[Any], event_type: str = ""
) -> list[list[str]]:
    """The named features of each candidate place (`here`, the rules' candidates) of one event of
    type `event_type`, and last those of "none of them is the scene"."""
    order = rule_order(seg, here, trigger)
    nearest = min(range(len(here)), key=lambda i: (abs(here[i].first_token - trigger), here[i].first_token))
    out: list[list[str]] = []
    for i, p in enumerate(here):
        side = "before" if p.first_token < trigger else "after"
        lo, hi = (p.last_token, trigger) if side == "before" else (trigger + 1, p.first_token)
        between = seg.tokens[lo:hi]
        between_bare = seg.tokens.bare[lo:hi]
        prev = seg.tokens.bare[p.first_token - 1] if p.first_token > 0 else "^"
        prev2 = seg.tokens.bare[p.first_token - 2] if p.first_token > 1 else "^"
        nxt = seg.tokens[p.last_token] if p.last_token < len(seg.tokens) else "$"
        nxt_bare = seg.tokens.bare[p.last_token] if p.last_token < len(seg.tokens) else "$"
        names = [
            f"rule={min(order.index(i), 2)}",
            f"side={side}",
            f"dist={side}:{_bucket(abs(p.first_token - trigger), (1, 3, 6, 10, 15))}",
            f"prev={_function_word(prev)}",
            f"prev2={_function_word(prev2)}_{_function_word(prev)}",
            f"clitic={_clitic(seg, p)}",
            f"next={nxt if nxt in PUNCT else _function_word(nxt_bare)}",
        ]
        flags = {
            "object": is_object(seg, p),
            "locative": is_locative(seg, p),
            "opening": opens_sentence(seg, p),
            "dateline": setting.dateline is not None
            and (setting.dateline.sentence, setting.dateline.first_token) == (p.sentence, p.first_token),
            "nearest": i == nearest,
            "punct-between": any(t in PUNCT for t in between),
            "speech-between": any(w in _SPEECH for w in between_bare),
            "that-between": any(w in _THAT for w in between_bare),
            "topic-between": any(
                w in _TOPIC or context_kind(t) in ("demand", "topic")
                for t, w in zip(between, between_bare, strict=True)
            ),
            "relative-between": relative_between(seg.tokens, lo, hi) if side == "after" else False,
        }
        names.extend(name for name, on in flags.items() if on)
        names.extend(f"{name}:{side}" for name, on in flags.items() if on)
        names.extend((f"T={event_type}|side={side}", f"T={event_type}|prev={_function_word(prev)}"))
        out.append(names)
    out.append(_none_features(seg, setting, trigger, here, event_type))
    return out


def _none_features(seg: Segmented, setting: Setting, trigger: int, here: Sequence[Any], event_type: str) -> list[str]:
    """What speaks for "the scene is not named in the sentence": how the places stand (all bare
    names, one next to the trigger as its subject or object, a list), how many, whether the
    paragraph or the dateline offers a place instead, and the event type."""
    bare_names = [p for p in here if not is_locative(seg, p) and not opens_sentence(seg, p)]
    adjacent = any(p.last_token == trigger or p.first_token == trigger + 1 for p in bare_names if not _clitic(seg, p))
    nearest = min(here, key=lambda p: (abs(p.first_token - trigger), p.first_token))
    inherits = setting.inherited[nearest.sentence] is not None or setting.dateline is not None
    flags = {
        "all-bare": len(bare_names) == len(here),
        "adjacent-bare": adjacent,
        "list": len(coordinated(seg, here, nearest)) > 1,
        "inherits": inherits,
    }
    names = ["none", f"none:n={min(len(here), 4)}", f"none:T={event_type}"]
    names.extend(f"none:{name}" for name, on in flags.items() if on)
    names.extend(f"none:T={event_type}|{name}" for name, on in flags.items() if on)
    return names


@dataclass(frozen=True, slots=True)
class SceneModel:
    """Weights of the conditional logit over hashed candidate features, and the model card."""

    weights: npt.NDArray[np.float32]
    card: dict[str, Any]

    @property
    def bits(self) -> int:
        return int(self.card["hash_bits"])

    def scores(self, names: Sequence[Sequence[str]]) -> list[float]:
        w = self.weights
        return [float(w[list(index_set(n, self.bits))].sum()) for n in names]

    def score(
        self, seg: Segmented, setting: Setting, trigger: int, here: Sequence[Any], event_type: str
    ) -> list[float]:
        """The score of each candidate place of one event and, last, of "none of them" (the
        pipeline's `extract.scene.Chooser`)."""
        return self.scores(scene_features(seg, setting, trigger, here, event_type))


# --- data -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SceneExample:
    """One labelled event with at least two candidate places: their features and the scene's index."""

    id: str
    group: str
    names: tuple[tuple[str, ...], ...]
    gold: int  # the scene's index; len(candidates) (the last features) when none of them is
    order: tuple[int, ...]  # the candidates in the rules' order: order[0] is the rules' choice
    klass: str
    tied: tuple[int, ...] = ()  # the candidates the rules' cues cannot tell apart (`undecided`)
    listed: tuple[int, ...] = ()  # candidates in a list a locative word governs: never "none"

    @property
    def rules(self) -> int:
        return self.order[0]


def default_data() -> Path:
    """data/places of the source checkout: the team's scene sentences."""
    return Path(__file__).resolve().parents[3] / "data" / "places"


def examples(directory: Path | None = None) -> tuple[list[SceneExample], dict[str, int]]:
    """Every labelled event with two or more candidates that include its scene, or with a null
    scene ("none of them", index `len(candidates)`), and counts of what was set aside (the scene
    not found by the gazetteer, a single candidate, a trigger not in the text)."""
    from marsad.extract.scene import candidates, setting
    from marsad.geo.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    out: list[SceneExample] = []
    skipped = {"not-found": 0, "single": 0, "no-trigger": 0}
    for record in _records(directory or default_data()):
        text = record["text"]
        seg = _segmented(text)
        here_setting = setting(seg, None, gaz)
        for n, event in enumerate(record.get("events", [])):
            at = text.find(event["trigger"])
            trigger = seg.token_at(at) if at >= 0 else None
            if trigger is None:
                skipped["no-trigger"] += 1
                continue
            here = candidates(seg, here_setting, seg.sentence_of(trigger), trigger)
            scene = event.get("scene")
            if scene is None:
                gold = [len(here)]  # "none of them": the features' last entry
            else:
                start = text.find(scene)
                gold = [
                    i
                    for i, p in enumerate(here)
                    if _overlaps(
                        seg.norm.orig_span(seg.starts[p.first_token], seg.ends[p.last_token - 1]),
                        start,
                        start + len(scene),
                    )
                ]
            if not gold:
                skipped["not-found"] += 1
                continue
            if len(here) < 2:
                skipped["single"] += 1
                continue
            names = scene_features(seg, here_setting, trigger, here, str(event.get("type", "")))
            order = tuple(rule_order(seg, here, trigger))
            ruled = rule_choice(seg, here, trigger)[0]
            order = (ruled, *(i for i in order if i != ruled))
            out.append(SceneExample(f"{record['id']}#{n}", str(record["doc"]), tuple(map(tuple, names)), gold[0],
                                    order, str(event.get("class", "")), tuple(undecided(seg, here, trigger)),
                                    tuple(i for i, p in enumerate(here) if locative_list(seg, here, p))))  # fmt: skip
    return out, skipped


def _overlaps(span: tuple[int, int], start: int, end: int) -> bool:
    return span[0] < end and start < span[1]


def _segmented(text: str) -> Segmented:
    from marsad.text.segment import segment

    return segment(normalize(text))


def _records(directory: Path) -> Iterator[dict[str, Any]]:
    files = sorted(directory.glob("*.jsonl"))
    if not files:
        raise InputError(f"{directory}: no *.jsonl scene sentences")
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                record["text"], record["doc"], record["id"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(f"{file}:{number}: not a scene sentence ({exc})") from None
            yield record


# --- training ---------------------------------------------------------------------------------


def _matrix(data: Sequence[SceneExample], bits: int) -> list[list[list[int]]]:
    return [[sorted(index_set(n, bits)) for n in e.names] for e in data]


def _fit(rows: list[list[list[int]]], golds: Sequence[int], l2: float, bits: int) -> npt.NDArray[np.float64]:
    """Conditional-logit weights minimising the mean negative log-likelihood plus l2/2·|w|²/n."""
    try:
        from scipy.optimize import minimize  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise UsageError('training the scene model needs scipy: pip install "marsad[train]"') from None

    size = 1 << bits
    n = max(len(rows), 1)

    def loss(w: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        grad = l2 * w / n
        total = 0.5 * l2 * float(w @ w) / n
        for cands, gold in zip(rows, golds, strict=True):
            z = np.array([w[idx].sum() for idx in cands])
            z -= z.max()
            p = np.exp(z) / np.exp(z).sum()
            total -= float(np.log(p[gold])) / n
            for k, idx in enumerate(cands):
                grad[idx] += (p[k] - (k == gold)) / n
        return total, grad

    result = minimize(loss, np.zeros(size), jac=True, method="L-BFGS-B", options={"maxiter": 300})
    return np.asarray(result.x)


def _best(scores: Sequence[float], order: Sequence[int]) -> int:
    """The highest-scored candidate; among equal scores the one the rules put first."""
    return max(order, key=lambda i: (scores[i], -order.index(i)))


def _picks(
    w: npt.NDArray[np.float64], rows: list[list[list[int]]], data: Sequence[SceneExample]
) -> list[tuple[int, int]]:
    """(the model's choice among all candidates, its choice among the undecided ones — the rules'
    choice when the cues decided) of each example; ties go to the rules' order."""
    out = []
    for cands, e in zip(rows, data, strict=True):
        z = [float(w[idx].sum()) for idx in cands]
        none = len(cands) - 1
        tied = max(e.tied, key=lambda i: (z[i], i == e.rules)) if len(e.tied) > 1 else e.rules
        if len(e.tied) > 1 and z[none] > z[tied] and tied not in e.listed:
            tied = none  # as `extract.scene._scene`: none only when the pick is not in a list
        out.append((_best(z, (*e.order, none)), tied))
    return out


def _accuracy(w: npt.NDArray[np.float64], rows: list[list[list[int]]], data: Sequence[SceneExample]) -> list[bool]:
    return [full == e.gold for (full, _), e in zip(_picks(w, rows, data), data, strict=True)]


def _folds(data: Sequence[SceneExample], k: int) -> list[int]:
    """Fold of each example: documents dealt to folds in a seeded shuffle (a doc in one fold)."""
    groups = sorted({e.group for e in data})
    rng = np.random.default_rng(SEED)
    rng.shuffle(groups)
    fold_of = {g: i % k for i, g in enumerate(groups)}
    return [fold_of[e.group] for e in data]


def _choose_l2(data: Sequence[SceneExample], bits: int) -> float:
    """The L2 strength of `L2_GRID` with the best grouped inner-CV accuracy (ties: the stronger)."""
    folds = _folds(data, 3)
    rows = _matrix(data, bits)
    best = (-1.0, 0.0)
    for l2 in L2_GRID:
        right = 0
        for f in range(3):
            train_i = [i for i, g in enumerate(folds) if g != f]
            test_i = [i for i, g in enumerate(folds) if g == f]
            w = _fit([rows[i] for i in train_i], [data[i].gold for i in train_i], l2, bits)
            right += sum(_accuracy(w, [rows[i] for i in test_i], [data[i] for i in test_i]))
        best = max(best, (right / len(data), l2))
    return best[1]


def cross_validate(data: Sequence[SceneExample], *, k: int = FOLDS, bits: int = SCENE_BITS) -> dict[str, Any]:
    """Grouped k-fold accuracy of the rules, of the model choosing among all candidates, and of
    the model deciding only where the rules' cues cannot (`undecided`, what the pipeline does);
    the L2 strength is chosen inside each training fold."""
    folds = _folds(data, k)
    rows = _matrix(data, bits)
    picks: list[tuple[int, int]] = [(0, 0)] * len(data)
    chosen = []
    for f in range(k):
        train_i = [i for i, g in enumerate(folds) if g != f]
        test_i = [i for i, g in enumerate(folds) if g == f]
        l2 = _choose_l2([data[i] for i in train_i], bits)
        chosen.append(l2)
        w = _fit([rows[i] for i in train_i], [data[i].gold for i in train_i], l2, bits)
        for i, pick in zip(test_i, _picks(w, [rows[i] for i in test_i], [data[i] for i in test_i]), strict=True):
            picks[i] = pick
    right = {
        "rules": [e.rules == e.gold for e in data],
        "model": [full == e.gold for (full, _), e in zip(picks, data, strict=True)],
        "undecided_only": [tied == e.gold for (_, tied), e in zip(picks, data, strict=True)],
    }
    by_class: dict[str, dict[str, int]] = {}
    for n, e in enumerate(data):
        c = by_class.setdefault(e.klass, {"events": 0, **{name: 0 for name in right}})
        c["events"] += 1
        for name, marks in right.items():
            c[name] += marks[n]
    undecided_events = [n for n, e in enumerate(data) if len(e.tied) > 1]
    return {
        "events": len(data),
        **{name: round(sum(marks) / len(data), 3) for name, marks in right.items()},
        **{f"{name}_right": sum(marks) for name, marks in right.items()},
        "undecided_events": len(undecided_events),
        "undecided_rules_right": sum(right["rules"][n] for n in undecided_events),
        "undecided_model_right": sum(right["undecided_only"][n] for n in undecided_events),
        "l2_per_fold": chosen,
        "by_class": by_class,
    }


def train(data: Sequence[SceneExample], card: dict[str, Any], *, bits: int = SCENE_BITS) -> SceneModel:
    l2 = _choose_l2(data, bits)
    w = _fit(_matrix(data, bits), [e.gold for e in data], l2, bits)
    return SceneModel(w.astype(np.float32), {**card, "hash_bits": bits, "l2": l2})


# --- the model file ---------------------------------------------------------------------------


def default_path() -> Path:
    return Path(str(resources.files("marsad.learn") / "data" / "scenes.npz"))


def save(path: Path, model: SceneModel) -> None:
    npz.write(path, {"weights": model.weights}, {**model.card, "scene_version": SCENE_VERSION})


def load(path: Path) -> SceneModel:
    """Read a scene model; any problem is a `ModelError` naming the file and the fix."""
    arrays, card = npz.read(path, "scene model file", _FIX)
    weights = arrays.get("weights", np.zeros(0, np.float32))
    if card.get("scene_version") != SCENE_VERSION:
        raise ModelError(
            f"{path}: scene_version {card.get('scene_version')!r}, this Marsad needs {SCENE_VERSION}; {_FIX}"
        )
    bits = card.get("hash_bits")
    if not isinstance(bits, int) or weights.shape != (1 << bits,):
        raise ModelError(f"{path}: weights of shape {weights.shape} do not match hash_bits {bits!r}; {_FIX}")
    weights.setflags(write=False)
    return SceneModel(weights, card)


_loaded: PerKey[Path, SceneModel] = PerKey()


def load_scenes(path: Path | None = None) -> SceneModel:
    """The scene model at `path` (default: the shipped one), read once per process."""
    return _loaded.get(path or default_path(), load)


SCENE_CHOICES = ("learned", "rules", "cautious")


def scene_choice(name: str | None) -> tuple[SceneModel | None, str]:
    """(scene model, `extract.scene.TIES` value) for a `--scenes` setting: "learned" the shipped
    model where the rules' cues tie (it may say none of them); "rules" (or None) the rules alone;
    "cautious" the rules, but a tie among bare place names gives no place of the sentence
    (`extract.scene.bare_tie`). Anything else is a `UsageError`."""
    if name in (None, "rules"):
        return None, "nearest"
    if name == "learned":
        return load_scenes(), "nearest"
    if name == "cautious":
        return None, "inherit"
    raise UsageError(f"scenes {name!r}: choose {', '.join(SCENE_CHOICES)}")


def main(argv: Sequence[str] | None = None, say: Callable[[str], None] = print) -> int:
    p = argparse.ArgumentParser(prog="python -m marsad.learn.scenes", description=(__doc__ or "").splitlines()[0])
    p.add_argument("command", choices=("cv", "train"))
    p.add_argument("--data", type=Path, default=None, help="directory of scene sentences (default: data/places)")
    p.add_argument("--out", type=Path, default=None, help="model file (default: the shipped scenes.npz)")
    args = p.parse_args(argv)
    data, skipped = examples(args.data)
    say(f"scenes: {len(data)} events with two or more candidate places; set aside {skipped}")
    figures = cross_validate(data)
    say(json.dumps(figures, ensure_ascii=False))
    if args.command == "train":
        card = {"what": "scene choice among a sentence's places (conditional logit)", "seed": SEED,
                "data": "data/places (team-written, MIT)", "events": len(data), "set_aside": skipped,
                "cv": figures}  # fmt: skip
        model = train(data, card)
        out = args.out or default_path()
        save(out, model)
        say(f"scenes: wrote {out} (l2 {model.card['l2']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
