"""The behaviour suite: well-formed, scored correctly, and today's coder above the floors."""

from __future__ import annotations

import copy
from types import SimpleNamespace
from typing import Any

import pytest

from marsad.ontology import EVENT_TYPES
from tests.behaviour.report import markdown
from tests.behaviour.suite import (
    CAPABILITIES,
    VARIANTS_PER_CONSTRUCTION,
    load_cases,
    load_floors,
    run_suite,
    sentences,
    summarise,
    validate,
)

PLOVER = EVENT_TYPES


def event(event_type: str, factual: bool = True) -> SimpleNamespace:
    return SimpleNamespace(event_type=event_type, factual=factual)


def everything(text: str) -> list[SimpleNamespace]:
    return [event(t) for t in PLOVER]


def nothing(text: str) -> list[SimpleNamespace]:
    return []


def only_hypothetical(text: str) -> list[SimpleNamespace]:
    return [event(t, factual=False) for t in PLOVER]


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    return load_cases()


# ------------------------------------------------------------------ the suite is well-formed


def test_suite_is_well_formed(cases: list[dict[str, Any]]) -> None:
    assert validate(cases) == []
    assert len(cases) >= 44
    assert all(len(c["variants"]) == VARIANTS_PER_CONSTRUCTION for c in cases)
    by_cap = {cap: [c for c in cases if c["capability"] == cap] for cap in CAPABILITIES}
    assert all(by_cap.values()), "every capability has constructions"
    all_sentences = [s for c in cases for s in sentences(c)]
    assert len(all_sentences) == len(set(all_sentences)), "no sentence appears twice"
    types = {c["type"] for c in cases}
    assert {"PROTEST", "ASSAULT", "COERCE", "THREATEN", "REQUEST", "CONSULT", "AGREE"} <= types
    assert types <= set(PLOVER)


def test_validate_catches_broken_suites(cases: list[dict[str, Any]]) -> None:
    broken = copy.deepcopy(cases[:3])
    broken[0]["capability"] = "XYZ"
    broken[1]["variants"] = broken[1]["variants"][:4]
    broken[2]["variants"][1] = broken[2]["variants"][0]
    del broken[2]["expect"]
    problems = validate(broken)
    assert any("constructions <" in p for p in problems)
    assert any("capability 'XYZ'" in p for p in problems)
    assert any("exactly 5 variants" in p for p in problems)
    assert any("missing ['expect']" in p for p in problems)
    dup = copy.deepcopy(cases[:1])
    dup[0]["variants"][1] = dup[0]["variants"][0]
    assert any("sentence also in" in p for p in validate(dup, min_constructions=1))
    bad_dir = [{"construction": "d", "capability": "DIR", "type": "PROTEST", "expect": True, "variants": ["a"] * 5}]
    problems = validate(bad_dir, min_constructions=1)
    assert any("only expect false" in p for p in problems)
    assert any("pair" in p for p in problems)


# ------------------------------------------------------------------ the scorer cannot silently pass

MINI = [
    {"construction": "m+", "capability": "MFT", "type": "PROTEST", "expect": True, "variants": ["p1", "p2", "p3", "p4", "p5"]},
    {"construction": "m-", "capability": "MFT", "type": "ASSAULT", "expect": False, "variants": ["n1", "n2", "n3", "n4", "n5"]},
    {"construction": "i", "capability": "INV", "type": "PROTEST", "expect": True, "variants": ["i1", "i2", "i3", "i4", "i5"]},
    {"construction": "d", "capability": "DIR", "type": "PROTEST", "expect": False,
     "variants": [["b1", "t1"], ["b2", "t2"], ["b3", "t3"], ["b4", "t4"], ["b5", "t5"]]},
]  # fmt: skip


def test_scorer_on_a_mini_suite_exact_rates() -> None:
    assert validate(MINI, min_constructions=1) == []

    s = summarise(run_suite(everything, MINI))
    assert s["per_capability"]["MFT"]["passed"] == 5 and s["per_capability"]["MFT"]["variants"] == 10
    assert s["per_capability"]["INV"]["pass_rate"] == 1.0
    assert s["per_capability"]["DIR"]["pass_rate"] == 0.0  # the transformed sentences are reported too
    assert s["overall"]["passed"] == 10 and s["overall"]["variants"] == 20
    assert s["invariance"] == 1.0

    s = summarise(run_suite(nothing, MINI))
    assert s["per_capability"]["MFT"]["passed"] == 5  # the expect-false construction only
    assert s["per_capability"]["INV"]["pass_rate"] == 0.0
    assert s["per_capability"]["DIR"]["pass_rate"] == 0.0  # the base is not reported either
    assert s["overall"]["pass_rate"] == 0.25
    assert s["invariance"] == 1.0  # five identical (wrong) decisions are still invariant

    # non-factual events never count as reported
    assert summarise(run_suite(only_hypothetical, MINI))["overall"]["passed"] == 5

    # a coder that reports the base but not the transformed sentence passes DIR; one flip breaks INV
    def keyword(text: str) -> list[SimpleNamespace]:
        return [event("PROTEST")] if text[0] in "pbi" and text != "i3" else []

    results = run_suite(keyword, MINI)
    s = summarise(results)
    assert [r["passed"] for r in results] == [5, 5, 4, 5]
    assert s["per_capability"]["DIR"]["pass_rate"] == 1.0
    assert s["invariance"] == 0.0
    assert s["overall"]["passed"] == 19 and s["overall"]["all_pass"] == 3


def test_scorer_on_the_real_suite_with_fake_coders(cases: list[dict[str, Any]]) -> None:
    n_true = sum(c["capability"] != "DIR" and c["expect"] for c in cases) * VARIANTS_PER_CONSTRUCTION
    n_false = sum(c["capability"] != "DIR" and not c["expect"] for c in cases) * VARIANTS_PER_CONSTRUCTION
    total = len(cases) * VARIANTS_PER_CONSTRUCTION

    s = summarise(run_suite(everything, cases))
    assert s["overall"]["passed"] == n_true and s["overall"]["variants"] == total
    assert s["per_capability"]["DIR"]["passed"] == 0

    s = summarise(run_suite(nothing, cases))
    assert s["overall"]["passed"] == n_false
    assert s["per_capability"]["DIR"]["passed"] == 0

    # an oracle that knows the labels passes everything: the labels are consistent
    truth: dict[str, set[str]] = {}
    for c in cases:
        for v in c["variants"]:
            if c["capability"] == "DIR":
                truth[v[0]] = {c["type"]}
            elif c["expect"]:
                truth[v] = {c["type"]}

    def oracle(text: str) -> list[SimpleNamespace]:
        return [event(t) for t in truth.get(text, ())]

    s = summarise(run_suite(oracle, cases))
    assert s["overall"]["pass_rate"] == 1.0
    assert s["invariance"] == 1.0


def test_report_renders_every_construction() -> None:
    results = run_suite(everything, MINI)
    text = markdown(results, summarise(results), failures=True)
    table = text.split("\n\n")[0].splitlines()[2:]
    assert [row.split(" | ")[0] for row in table] == ["| m+", "| m-", "| i", "| d"]
    assert [row.rsplit(" | ", 1)[1] for row in table] == ["5/5 |", "0/5 |", "5/5 |", "0/5 |"]
    assert "| **all** | 4 | 10/20 | 50.0% | 2 |" in text
    assert "## Failures" in text and "«t1»" in text


# ------------------------------------------------------------------ today's coder against the floors


@pytest.fixture(scope="module")
def coder_results(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return run_suite(None, cases)


def test_pass_rates_at_least_the_floors(coder_results: list[dict[str, Any]]) -> None:
    floors = load_floors()
    s = summarise(coder_results)
    assert s["overall"]["pass_rate"] >= floors["overall"], f"overall {s['overall']['pass_rate']:.3f}"
    for cap, floor in floors.get("per_capability", {}).items():
        got = s["per_capability"][cap]["pass_rate"]
        assert got >= floor, f"{cap} pass rate {got:.3f} < floor {floor}"
