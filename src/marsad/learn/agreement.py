"""Inter-annotator agreement on the team's annotated sentences (docs/annotation.md).

`python -m marsad.learn.agreement sample` draws 200 (sentence, event) pairs with a fixed seed and
writes them without their labels (data/agreement/sample.jsonl); a second annotator who has not
seen the first labels fills data/agreement/second.jsonl; `python -m marsad.learn.agreement`
prints Cohen's kappa on `status` (five classes, and reported vs not) and source-span agreement;
`python -m marsad.learn.agreement arguments` the same for the argument-structure sets: the
80-event sample of data/arguments/argument_structures.jsonl (data/agreement/arguments_sample.jsonl,
arguments_second.jsonl), the 50-event sample of svo_state_agents.jsonl (svo_sample.jsonl,
svo_second.jsonl, seed 2028), the 50-event sample of reporters_and_objects.jsonl (ro_sample.jsonl,
ro_second.jsonl, seed 2034) and the 50-event sample of data/constructions/attack_agents.jsonl
(aa_sample.jsonl, aa_second.jsonl, seed 2042), each and together; `python -m marsad.learn.agreement scenes` the
scene labels of data/places/scene_sentences.jsonl on a 60-event sample (seed 2029,
data/agreement/scene_sample.jsonl and scene_second.jsonl; `scenes sample` draws it) and of
scene_none.jsonl and scene_visits.jsonl on a second 60-event sample (seed 2030, scene_sample_later /
scene_second_later; `scenes sample-later`); `python -m marsad.learn.agreement protest-targets` the
targets of 60 PROTEST events of all the team's files (seed 2035, data/agreement/pt_sample.jsonl and
pt_second.jsonl; `protest-targets sample` draws it), labelled by docs/annotation.md's "The target
of a PROTEST".
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from marsad.errors import InputError

ROOT = Path(__file__).resolve().parents[3] / "data"
SAMPLE = ROOT / "agreement" / "sample.jsonl"
SECOND = ROOT / "agreement" / "second.jsonl"
SEED = 2026
SIZE = 200


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def draw(
    files: Sequence[Path], size: int = SIZE, seed: int = SEED, event_type: str | None = None
) -> list[dict[str, Any]]:
    """`size` random (sentence, event) pairs (of `event_type` only, when given), with text, type
    and trigger only."""
    pairs = [
        {"id": r["id"], "event": n, "text": r["text"], "type": e["type"], "trigger": e["trigger"]}
        for path in sorted(files)
        for r in _read(path)
        for n, e in enumerate(r["events"])
        if event_type is None or e["type"] == event_type
    ]
    return random.Random(seed).sample(pairs, size)


Labelled = dict[tuple[str, int], tuple[str, dict[str, Any]]]


def _labelled(files: Sequence[Path]) -> Labelled:
    """The first annotator's events: (sentence id, event index) → (text, event)."""
    return {(r["id"], n): (r["text"], e) for p in files for r in _read(p) for n, e in enumerate(r["events"])}


def _first(labels: Labelled, row: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The first annotator's event a second-annotator row is about; a row naming no such event is an
    error that says which (the sample and the files have drifted apart)."""
    try:
        return labels[(row["id"], row["event"])]
    except KeyError:
        raise InputError(f"second annotation {row.get('id')!r} event {row.get('event')!r}: no such event "
                         "in the annotated files (were they edited after the sample was drawn?)") from None  # fmt: skip


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two label sequences of equal length."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def _overlap(x: str | None, y: str | None, text: str) -> bool:
    if not x or not y:
        return x == y or (not x and not y)
    sx, sy = text.find(x), text.find(y)
    return sx >= 0 and sy >= 0 and sx < sy + len(y) and sy < sx + len(x)


# The argument-structure files and the second annotator's labels of a sample of each.
ARGUMENT_SECONDS = {  # file under data/ → its second annotation under data/agreement/
    "arguments/argument_structures.jsonl": "arguments_second.jsonl",
    "arguments/svo_state_agents.jsonl": "svo_second.jsonl",
    "arguments/reporters_and_objects.jsonl": "ro_second.jsonl",
    "constructions/attack_agents.jsonl": "aa_second.jsonl",
}


def agreement(first_files: Sequence[Path], second: Path | Sequence[Path] = SECOND) -> dict[str, Any]:
    """Kappa on status (5 classes and binary reported/not) and source/target span agreement."""
    first = _labelled(first_files)
    a: list[str] = []
    b: list[str] = []
    spans = {"source": 0, "target": 0}
    for row in (r for path in ([second] if isinstance(second, Path) else second) for r in _read(path)):
        text, gold = _first(first, row)
        a.append(gold["status"])
        b.append(row["status"])
        for role in spans:
            spans[role] += _overlap(gold.get(role), row.get(role), text)
    n = len(a)
    binary = (
        ["reported" if s == "reported" else "not" for s in a],
        ["reported" if s == "reported" else "not" for s in b],
    )
    return {"pairs": n, "kappa_status": round(cohen_kappa(a, b), 3), "kappa_reported": round(cohen_kappa(*binary), 3),
            "raw_status": round(sum(x == y for x, y in zip(a, b, strict=True)) / n, 3),
            "source_span_agreement": round(spans["source"] / n, 3), "target_span_agreement": round(spans["target"] / n, 3),
            "confusion": Counter(f"{x}->{y}" for x, y in zip(a, b, strict=True) if x != y).most_common()}  # fmt: skip


SCENES = ROOT / "places" / "scene_sentences.jsonl"
SCENE_SAMPLE = ROOT / "agreement" / "scene_sample.jsonl"
SCENE_SECOND = ROOT / "agreement" / "scene_second.jsonl"
SCENE_SEED, SCENE_SIZE = 2029, 60
# The second scene sample: the "none of them" and visit/destination files, written later.
SCENES_LATER = (ROOT / "places" / "scene_none.jsonl", ROOT / "places" / "scene_visits.jsonl")
SCENE_SAMPLE_LATER = ROOT / "agreement" / "scene_sample_later.jsonl"
SCENE_SECOND_LATER = ROOT / "agreement" / "scene_second_later.jsonl"
SCENE_SEED_LATER, SCENE_SIZE_LATER = 2030, 60


def scene_agreement(first: Path | Sequence[Path] = SCENES, second: Path = SCENE_SECOND) -> dict[str, Any]:
    """Share of sampled events where both annotators name the same scene (overlapping spans, or
    both none), and the disagreements as (id, first, second)."""
    labels = _labelled([first] if isinstance(first, Path) else list(first))
    rows = _read(second)
    same, differ = 0, []
    for row in rows:
        text, event = _first(labels, row)
        gold = event.get("scene")
        if _overlap(gold, row.get("scene"), text):
            same += 1
        else:
            differ.append((f"{row['id']}#{row['event']}", gold, row.get("scene")))
    return {"events": len(rows), "scene_agreement": round(same / len(rows), 3), "disagreements": differ}


PROTEST_TARGET_SAMPLE = ROOT / "agreement" / "pt_sample.jsonl"
PROTEST_TARGET_SECOND = ROOT / "agreement" / "pt_second.jsonl"
PROTEST_TARGET_SEED, PROTEST_TARGET_SIZE = 2035, 60


def team_files() -> list[Path]:
    """Every file of the team's annotated sentences: the detector's and the argument ranker's."""
    return sorted((ROOT / "annotations").glob("*.jsonl")) + sorted((ROOT / "arguments").glob("*.jsonl"))


def target_agreement(first_files: Sequence[Path], second: Path) -> dict[str, Any]:
    """Agreement on the target of each sampled event (overlapping spans, or both none)."""
    first = _labelled(first_files)
    rows = _read(second)
    pairs = [(_first(first, row), row.get("target")) for row in rows]
    agree = sum(_overlap(gold.get("target"), theirs, text) for (text, gold), theirs in pairs)
    return {"pairs": len(rows), "target_agreement": round(agree / len(rows), 3),
            "named_first": sum(gold.get("target") is not None for (_, gold), _ in pairs),
            "named_second": sum(theirs is not None for _, theirs in pairs)}  # fmt: skip


def _write_sample(path: Path, pairs: list[dict[str, Any]]) -> int:
    """Write a sample for the second annotator, one (sentence, event) pair a line, without labels."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs), encoding="utf-8")
    print(f"wrote {len(pairs)} pairs to {path}")
    return 0


def main(argv: Sequence[str]) -> int:
    if argv[:2] == ["scenes", "sample"]:
        return _write_sample(SCENE_SAMPLE, draw([SCENES], SCENE_SIZE, SCENE_SEED))
    if argv[:2] == ["scenes", "sample-later"]:
        return _write_sample(SCENE_SAMPLE_LATER, draw(SCENES_LATER, SCENE_SIZE_LATER, SCENE_SEED_LATER))
    if argv[:1] == ["scenes"]:
        report = {
            "scene_sentences": scene_agreement(),
            "none_and_visits": scene_agreement(SCENES_LATER, SCENE_SECOND_LATER),
        }
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    if argv[:2] == ["protest-targets", "sample"]:
        sample = draw(team_files(), PROTEST_TARGET_SIZE, PROTEST_TARGET_SEED, "PROTEST")
        return _write_sample(PROTEST_TARGET_SAMPLE, sample)
    if argv[:1] == ["protest-targets"]:
        print(json.dumps(target_agreement(team_files(), PROTEST_TARGET_SECOND), ensure_ascii=False, indent=1))
        return 0
    files = sorted((ROOT / "annotations").glob("*.jsonl"))
    if argv[:1] == ["sample"]:
        return _write_sample(SAMPLE, draw([Path(f) for f in argv[1:]] or files))
    if argv[:1] == ["arguments"]:
        # The source/target samples: argument_structures.jsonl (80 events, seed 2027), svo (50, seed
        # 2028), reporters_and_objects (50, seed 2034), attack_agents (50, seed 2042; drawn with `draw`).
        first = [ROOT / name for name in ARGUMENT_SECONDS]
        seconds = [ROOT / "agreement" / name for name in ARGUMENT_SECONDS.values()]
        report = {name: agreement([f], s) for f, s, name in zip(first, seconds, ARGUMENT_SECONDS, strict=True)}
        print(json.dumps({**report, "together": agreement(first, seconds)}, ensure_ascii=False, indent=1))
        return 0
    print(json.dumps(agreement(files), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except InputError as error:
        sys.exit(f"agreement: {error}")
