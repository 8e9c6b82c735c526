"""The bundled samples against expectations written by hand (tests/golden/README.md), not against
the coder's own earlier output: recall of the events a reader finds in them, and the share of
denied, future, background, metaphorical and sports events coded as factual."""

import re

import pytest

from marsad.cli import samples_dir
from marsad.ontology import EVENT_TYPES
from tests.golden.expectations import Score, load_expectations, marsad_coder, score

# Floors from hand judgement of what a usable coder must do on clear news reports (README), not
# from any run of the coder.
MIN_RECALL = 0.75
MIN_HEADLINE_RECALL = 0.90
MAX_FALSE_EVENT_RATE = 0.15
EXPECTATIONS = load_expectations()
KNOWN = ("source_country", "place_country", "date")


@pytest.fixture(scope="module")
def result() -> Score:
    scored = score(marsad_coder, EXPECTATIONS)
    print(f"\nhand expectations: {scored.summary()}")
    return scored


def test_every_sample_has_expectations_and_each_trap_is_found_once_in_its_article():
    assert set(EXPECTATIONS) == {p.stem for p in samples_dir().glob("*.txt")}
    for stem, expected in EXPECTATIONS.items():
        text = (samples_dir() / f"{stem}.txt").read_text(encoding="utf-8")
        assert expected["events"] and expected["not_events"], stem
        for trap in expected["not_events"]:
            assert text.count(trap["sentence"]) == 1, (stem, trap["sentence"])
            assert trap["event_type"] in EVENT_TYPES and trap["description"], (stem, trap)


def test_expected_events_are_well_formed_and_none_is_implied_by_another():
    for stem, expected in EXPECTATIONS.items():
        for event in expected["events"]:
            assert event["event_type"] in EVENT_TYPES and event["what"], (stem, event)
            for name in ("source_country", "place_country"):
                assert event[name] is None or re.fullmatch(r"[A-Z]{3}", event[name]), (stem, event)
            assert event["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", event["date"]), (stem, event)
        constraints = [(e["event_type"], {(k, e[k]) for k in KNOWN if e[k]}) for e in expected["events"]]
        for i, (kind, known) in enumerate(constraints):
            for j, (other, more) in enumerate(constraints):
                assert i == j or kind != other or not known <= more, f"{stem}: event {i} is implied by event {j}"


@pytest.mark.xfail(
    strict=False,
    reason="the coder finds too few of the hand-expected events with all their fields right: recall 0.503 "
    "(72/143), headline recall 0.690 (20/29), false-event rate 0.000; 0.895 when only the event type is checked "
    "(the rule coder before learn/: 0.455, 0.586, 0.087, 0.846). Mostly a missing or wrong source or place "
    "country: the actor and place issues (13, 14), not detection.",
)
def test_the_events_a_reader_finds_in_the_samples_are_coded(result: Score):
    assert result.headline_recall >= MIN_HEADLINE_RECALL, result.summary()
    assert result.recall >= MIN_RECALL, result.summary()


def test_denied_future_background_and_figurative_events_are_not_coded_as_factual(result: Score):
    assert result.false_event_rate <= MAX_FALSE_EVENT_RATE, (result.summary(), result.false_events)
