"""Who carried an attack out, on team-written construction sentences no model is trained on.

`data/constructions/attack_agents.jsonl` (MIT, docs/annotation.md; a second annotator labelled 50 of
its events) holds 98 sentences where the agent of an attack is not a subject before a verb: a
relative clause with a verb of carrying out ("غارة شنتها طائرات التحالف")، a genitive or لـ agent
("قصف لقوات النظام")، a claim ("أعلنت ... مسؤوليتها عن")، a weapon of an actor ("دبابات إسرائيلية"),
and contrasts (a speaker or announcer who is not the agent, an attack no one claimed, a group that
denies its role). Training reads data/annotations and data/arguments only, so this measures the
shipped detector and ranker on constructions they never saw in training.

Per labelled event that the sentence reports (status `reported`):
- coded: a factual event of the labelled type whose trigger overlaps the labelled one (or, as the
  coder merges the mentions of one event in a sentence, any of the type in the sentence), at the
  production thresholds (what a user gets);
- source / target right: over the events coded with every threshold off (`min_confidence=0`, the
  ranker's view, so that detection misses do not hide its choices), the coder's span overlaps the
  annotator's, or both are empty. One mention coded as several records is right when one of them is.

    python bench/constructions.py        # prints and writes bench/results/constructions.json
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from snn import write_result

from marsad.model import Actor, Event
from marsad.pipeline import code_text

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "data" / "constructions").glob("*.jsonl"))
RESULT = ROOT / "bench" / "results" / "constructions.json"


def _span(text: str, phrase: str | None) -> tuple[int, int] | None:
    if phrase is None:
        return None
    start = text.find(phrase)  # the guideline: the first occurrence is meant
    return start, start + len(phrase)


def _right(actors: Sequence[Actor | None], gold: tuple[int, int] | None) -> bool:
    """An actor overlaps the annotator's span, or the annotator named none and one record has none."""
    if gold is None:
        return any(a is None for a in actors)
    return any(a is not None and a.start < gold[1] and gold[0] < a.end for a in actors)


def _at(events: Sequence[Event], event_type: str, trigger: tuple[int, int]) -> list[Event]:
    """The factual events of the type at the trigger, else (the coder merges the mentions of one
    attack in a sentence, "قتل ... في غارة": one record at the first trigger) all of the sentence's."""
    typed = [e for e in events if e.event_type == event_type and e.factual]
    at = [e for e in typed if e.evidence.trigger_start < trigger[1] and trigger[0] < e.evidence.trigger_end]
    return at or typed


def _outcome(text: str, event: dict[str, Any], shipped: Sequence[Event], everything: Sequence[Event]) -> Counter[str]:
    """One labelled reported event's counts (see the module's docstring)."""
    count: Counter[str] = Counter()
    trigger = _span(text, event["trigger"])
    assert trigger is not None
    count["reported events"] += 1
    count["coded at the production thresholds"] += bool(_at(shipped, event["type"], trigger))
    found = _at(everything, event["type"], trigger)
    if not found:
        count["no candidate of the type"] += 1
        return count
    count["candidates"] += 1
    gold_source, gold_target = _span(text, event["source"]), _span(text, event["target"])
    count["source named"] += gold_source is not None
    count["named source right"] += gold_source is not None and _right([e.source for e in found], gold_source)
    count["source right"] += _right([e.source for e in found], gold_source)
    count["target right"] += _right([e.target for e in found], gold_target)
    return count


def score(files: Sequence[Path] = FILES) -> dict[str, Any]:
    tally: dict[str, Counter[str]] = {}
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            text = record["text"]
            shipped = code_text(text)
            everything = code_text(text, min_confidence=0.0)
            for event in record["events"]:
                if event["status"] != "reported":
                    continue
                outcome = _outcome(text, event, shipped, everything)
                group = "ASSAULT" if event["type"] == "ASSAULT" else "other types"
                for key in (group, "all"):
                    tally.setdefault(key, Counter()).update(outcome)
    out: dict[str, Any] = {}
    for key, count in tally.items():
        n = count["candidates"] or 1
        out[key] = {
            "counts": dict(count),
            "coded": round(count["coded at the production thresholds"] / max(count["reported events"], 1), 3),
            "source_right": round(count["source right"] / n, 3),
            "named_source_right": round(count["named source right"] / max(count["source named"], 1), 3),
            "target_right": round(count["target right"] / n, 3),
        }
    return {"files": [str(p.relative_to(ROOT)) for p in files], **out}


if __name__ == "__main__":
    sys.exit(write_result(score(), RESULT))
