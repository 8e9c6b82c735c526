"""The scraped sample in ../shared/examples (read in place, never copied into the repo)."""

from pathlib import Path

import pytest

import marsad

CANDIDATES = [Path(__file__).parents[2] / ".." / "shared" / "examples", Path("/work/shared/examples")]
SAMPLE = next(
    (p / "iran_solidarity_protests.txt" for p in CANDIDATES if (p / "iran_solidarity_protests.txt").is_file()), None
)
pytestmark = pytest.mark.skipif(SAMPLE is None, reason="../shared/examples is not on this machine")


@pytest.fixture(scope="module")
def coded():
    text = SAMPLE.read_text(encoding="utf-8")
    return text, marsad.code(text, article_id="iran")


def test_berlin_protest_by_the_hundreds(coded):
    text, events = coded
    berlin = text.index("بوابة براندنبورغ تظاهر المئات")
    protest = [e for e in events if e.event_type == "PROTEST" and e.evidence.start <= berlin < e.evidence.end]
    assert protest and protest[0].factual
    assert protest[0].source is not None and protest[0].source.text == "المئات" and protest[0].source.role == "CVL"


def test_demands_to_topple_the_regime_are_requests(coded):
    _, events = coded
    assert any(e.event_type == "REQUEST" and "بإسقاط" in e.evidence.trigger for e in events)


def test_every_span_slices_the_scraped_text(coded):
    text, events = coded
    for e in events:
        assert text[e.evidence.start : e.evidence.end] == e.evidence.sentence
        assert text[e.evidence.trigger_start : e.evidence.trigger_end] == e.evidence.trigger


def test_paris_protest_in_front_of_the_embassy(coded):
    text, events = coded
    paris = text.index("أمام السفارة الإيرانية في فرنسا")
    protest = [e for e in events if e.event_type == "PROTEST" and e.evidence.start <= paris < e.evidence.end]
    assert protest and protest[0].factual
    assert protest[0].source is not None and protest[0].source.country == "IRN"


def test_attacks_on_security_posts(coded):
    _, events = coded
    attacks = [e for e in events if e.event_type == "ASSAULT" and e.evidence.trigger == "لهجمات"]
    assert attacks and attacks[0].factual


def test_death_penalty_calls_are_not_executions(coded):
    _, events = coded
    executions = [e for e in events if e.event_type == "ASSAULT" and "الإعدام" in e.evidence.trigger]
    assert executions and all(not e.factual for e in executions)
