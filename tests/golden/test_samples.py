"""Whole articles: the bundled samples against their golden files and hand annotations."""

import json
from pathlib import Path

import pytest

from marsad.cli import samples_dir
from tests.golden.regenerate import HERE, golden_events

SAMPLES = sorted(samples_dir().glob("*.txt"))
EXPECTED = json.loads((samples_dir() / "expected.json").read_text(encoding="utf-8"))
# Floors measured on the hand annotations (see README); a drop below them fails the build.
MIN_EXPECTED_RECALL = 0.65
MAX_NOT_EVENT_RATE = 0.10


def test_there_are_at_least_twenty_samples_with_annotations():
    assert len(SAMPLES) >= 20
    assert {p.stem for p in SAMPLES} == set(EXPECTED)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_matches_its_golden_file(path):
    golden = json.loads((HERE / f"{path.stem}.json").read_text(encoding="utf-8"))
    assert golden_events(path) == golden, "coder output changed: run `make golden` and review the diff"


def _hits(path: Path, item: dict, events: list[dict]) -> bool:
    text = path.read_text(encoding="utf-8")
    start = text.find(item["trigger"])
    end = start + len(item["trigger"])
    return any(
        e["event_type"] == item["event_type"]
        and e["evidence"]["trigger_start"] < end
        and start < e["evidence"]["trigger_end"]
        and not e["negated"]
        and not e["hypothetical"]
        for e in events
    )


def _score():
    found = total = bad = negatives = 0
    for path in SAMPLES:
        events = golden_events(path)
        for item in EXPECTED[path.stem]["events"]:
            total += 1
            found += _hits(path, item, events)
        for item in EXPECTED[path.stem]["not_events"]:
            negatives += 1
            bad += _hits(path, item, events)
    return found / total, bad / negatives


def test_hand_annotated_events_are_found_and_hard_negatives_are_not():
    recall, false_rate = _score()
    assert recall >= MIN_EXPECTED_RECALL, f"recall of annotated events {recall:.2f}"
    assert false_rate <= MAX_NOT_EVENT_RATE, f"share of hard negatives coded as factual {false_rate:.2f}"
