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
    assert protest and all(e.factual for e in protest)
    # "شارك المئات من الفرنسيين والمعارضين الإيرانيين": one event per actor of another country (issue 13)
    assert {e.source.country for e in protest if e.source is not None} == {"FRA", "IRN"}
    assert {e.location.country_iso3 for e in protest if e.location is not None} == {"FRA"}


_SUMMARY_SENTENCE = pytest.mark.xfail(
    strict=False,
    reason="the detector scores the events of the summary sentence 'وتميزت الاحتجاجات ... حيث تعرضت مراكز "
    "أمنية لهجمات، ... وظهور عناصر من الباسيج يحرقون بطاقاتهم' under their thresholds (the lexicon proposes "
    "both: ASSAULT لهجمات p=0.12 < 0.58, PROTEST يحرقون بطاقاتهم p=0.24 < 0.48): it learnt from the gold that "
    "sentences describing how protests went are rarely reported events. Known failure, README and docs/model.md.",
)


@_SUMMARY_SENTENCE
def test_attacks_on_security_posts(coded):
    _, events = coded
    attacks = [e for e in events if e.event_type == "ASSAULT" and e.evidence.trigger == "لهجمات"]
    assert attacks and attacks[0].factual


def test_death_penalty_calls_are_not_executions(coded):
    _, events = coded
    executions = [e for e in events if e.event_type == "ASSAULT" and "الإعدام" in e.evidence.trigger]
    assert executions and all(not e.factual for e in executions)


def _protest_at(text, events, phrase):
    at = text.index(phrase)
    found = [e for e in events if e.event_type == "PROTEST" and e.factual and e.evidence.start <= at < e.evidence.end]
    assert found, phrase
    return found[0]


def _km(lat1, lon1, lat2, lon2):
    from math import asin, cos, radians, sin, sqrt

    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * 6371 * asin(sqrt(a))


def test_berlin_protest_is_placed_at_the_brandenburg_gate(coded):
    text, events = coded
    protest = _protest_at(text, events, "بوابة براندنبورغ تظاهر المئات")
    place = protest.location
    assert place is not None and place.country_iso3 == "DEU" and place.precision == 1
    assert _km(place.lat, place.lon, 52.5163, 13.3777) < 10  # the Gate
    assert text[place.start : place.end] == place.text
    assert protest.size is not None and (protest.size.min, protest.size.max) == (200, 999)


def test_french_protest_at_country_precision(coded):
    text, events = coded
    protest = _protest_at(text, events, "أمام السفارة الإيرانية في فرنسا")
    assert protest.location is not None and protest.location.country_iso3 == "FRA"
    assert protest.location.precision == 3
    assert protest.size is not None and protest.size.text == "المئات"


def test_protests_in_north_america_at_country_precision(coded):
    text, events = coded
    protest = _protest_at(text, events, "وانطلقت #تظاهرات")
    assert protest.location is not None and protest.location.precision == 3
    at = text.index("وانطلقت #تظاهرات")
    sentence_places = {
        r["country_iso3"] for r in marsad_places(text) if at <= r["start"] < at + 120 and r["feature"] == "country"
    }
    assert {"USA", "CAN"} <= sentence_places


def test_tehran_is_resolved(coded):
    text, _ = coded
    tehran = [r for r in marsad_places(text) if r["name_en"] == "Tehran"]
    assert tehran and all(text[r["start"] : r["end"]] == r["text"] for r in tehran)


def test_dates_resolve_against_the_record_date():
    text = SAMPLE.read_text(encoding="utf-8")
    events = marsad.code(text, article_id="iran", date="2018-01-07")
    dated = [e for e in events if e.when is not None]
    assert dated and all(e.when.date <= "2018-01-07" for e in dated)
    assert all(e.when.time_precision in (1, 2, 3) for e in dated)


def marsad_places(text):
    from marsad.extract.places import place_records

    return place_records(text, "iran")


@_SUMMARY_SENTENCE
def test_basij_burning_their_ids_is_a_protest(coded):
    text, events = coded
    at = text.index("الباسيج يحرقون")
    burning = [e for e in events if e.event_type == "PROTEST" and e.evidence.start <= at < e.evidence.end]
    assert burning and burning[0].factual and "بطاقاتهم" in burning[0].evidence.trigger


def test_one_protest_record_per_place_in_north_america(coded):
    """ACLED codes one event per location: the protests "في عدد من الدول الأوروبية والولايات المتحدة
    وكندا" are one record in the United States and one in Canada, with the same evidence."""
    text, events = coded
    at = text.index("وانطلقت #تظاهرات")
    protests = [
        e for e in events if e.event_type == "PROTEST" and e.factual and e.evidence.start <= at < e.evidence.end
    ]
    assert {e.location.country_iso3 for e in protests if e.location} >= {"USA", "CAN"}
    assert len({(e.evidence.start, e.evidence.end, e.evidence.trigger_start) for e in protests}) == 1
    assert all(text[e.location.start : e.location.end] == e.location.text for e in protests if e.location)
