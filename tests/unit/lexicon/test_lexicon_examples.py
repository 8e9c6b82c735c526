"""Every lexicon row carries an example; coding the example must make the row fire."""

from collections import Counter

import pytest

from marsad.lexicon.loader import default_lexicon
from marsad.lexicon.matcher import compile_pattern
from marsad.ontology import EVENT_TYPES, NO_EVENT
from marsad.text.normalize import normalize
from marsad.text.segment import segment

LEX = default_lexicon()


def _fires(matcher, example: str, payload) -> bool:
    seg = segment(normalize(example))
    return any(m.payload is payload for m in matcher.find(seg.tokens, 0, len(seg.tokens)))


@pytest.mark.parametrize("entry", LEX.triggers, ids=lambda e: e.where)
def test_trigger_example_contains_its_pattern(entry):
    assert _fires(LEX.trigger_matcher, entry.example, entry), f"{entry.where}: {entry.pattern!r} not in its example"


@pytest.mark.parametrize("entry", LEX.actors, ids=lambda e: f"{e.where}:{e.pattern}")
def test_actor_example_contains_its_pattern(entry):
    # A country row has one example for all its forms; nisbas and capitals must at least match
    # their own written form inside a sentence.
    example = (
        entry.example if entry.kind not in ("nisba", "demonym", "capital") else f"قال المسؤول {entry.pattern} أمس."
    )
    assert _fires(LEX.actor_matcher, example, entry), f"{entry.where}: {entry.pattern!r} not in {example!r}"


@pytest.mark.parametrize("entry", LEX.cues, ids=lambda e: e.where)
def test_modality_cue_example_contains_its_cue(entry):
    assert _fires(LEX.cue_matcher, entry.example, entry)


def test_coverage_floor_of_the_issue():
    by_type = Counter(t.event_type for t in LEX.triggers if t.event_type != NO_EVENT)
    assert sum(by_type.values()) >= 400
    assert set(by_type) == set(EVENT_TYPES)
    agents = [a for a in LEX.actors if a.kind == "agent"]
    assert len({a.pattern for a in agents}) >= 250
    named = {a.name_en for a in LEX.actors if a.kind in ("person", "org")}
    assert len(named) >= 400


def test_every_un_member_and_the_four_extra_territories_are_countries():
    countries = {a.country for a in LEX.actors if a.kind == "country"}
    assert {"PSE", "XKX", "TWN", "ESH"} <= countries
    assert len(countries) >= 197


def test_every_country_has_name_and_nisba_forms():
    kinds: dict[str, set[str]] = {}
    for a in LEX.actors:
        if a.kind in ("country", "nisba", "demonym"):
            kind = "nisba" if a.kind == "demonym" else a.kind
            kinds.setdefault(a.country, set()).add(kind)
    missing = sorted(c for c, k in kinds.items() if k != {"country", "nisba"})
    assert missing == []


def test_every_lexicon_actor_has_an_english_name():
    assert all(a.name_en for a in LEX.actors)


def test_patterns_compile_to_at_least_one_word():
    for t in LEX.triggers:
        assert compile_pattern(t.pattern)


def test_every_plover_mode_of_protest_assault_and_coerce_has_a_trigger():
    from marsad.ontology import MODES

    for etype in ("PROTEST", "ASSAULT", "COERCE"):
        covered = {t.mode for t in LEX.triggers if t.event_type == etype}
        assert MODES[etype] <= covered, f"{etype} modes without a trigger: {sorted(MODES[etype] - covered)}"
