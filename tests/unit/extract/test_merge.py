"""Merging the mentions of one sentence that tell the same event."""

from dataclasses import replace

import marsad
from marsad.extract.merge import compatible, merge_sentence_events
from marsad.model import Actor, Event, Evidence, Place, Quantity

EVIDENCE = Evidence("s", 0, 1, "t", 0, 1)


def _event(mode=None, source=None, place=None, negated=False, fatalities=None):
    return Event(None, "ASSAULT", mode, 4, source, None, EVIDENCE, negated, False, 0.7, "x",
                 location=place, fatalities=fatalities)  # fmt: skip


def _place(geonameid, iso3, precision):
    return Place("p", 0, 1, "p", "P", geonameid, None, iso3, None, 0.0, 0.0, precision, "city", "sentence")


ARMY_IRQ = Actor("الجيش", 0, 5, "IRQ", "MIL", None)
ARMY_TUR = Actor("الجيش", 0, 5, "TUR", "MIL", None)


def test_killing_and_attack_in_one_sentence_are_one_assault():
    text = "قتل مسلحون ثلاثة جنود في هجوم على حاجز أمني شمال بغداد مساء أمس."
    assaults = [e for e in marsad.code(text, date="2024-03-10") if e.event_type == "ASSAULT" and e.factual]
    assert len(assaults) == 1
    assert assaults[0].evidence.trigger.startswith("قتل")  # the first mention leads


def test_missing_fields_are_taken_from_the_other_mentions():
    toll = Quantity("ثلاثة", 0, 5, 3, 3)
    first = _event(source=ARMY_IRQ)
    second = _event(mode="aerial", fatalities=toll, place=_place(1, "IRQ", 1))
    (merged,) = merge_sentence_events([first, second])
    assert merged.mode == "aerial" and merged.fatalities == toll and merged.location.geonameid == 1
    assert merged.source == ARMY_IRQ


def test_the_source_is_never_borrowed():
    (merged,) = merge_sentence_events([_event(), _event(source=ARMY_IRQ)])
    assert merged.source is None


def test_different_places_countries_or_modality_keep_events_apart():
    assert not compatible(_event(place=_place(1, "IRQ", 1)), _event(place=_place(2, "IRQ", 1)))
    assert not compatible(_event(source=ARMY_IRQ), _event(source=ARMY_TUR))
    assert not compatible(_event(), _event(negated=True))
    assert not compatible(_event(mode="aerial"), _event(mode="firearms"))
    assert len(merge_sentence_events([_event(source=ARMY_IRQ), _event(source=ARMY_TUR)])) == 2


def test_a_city_and_its_country_are_one_scene():
    assert compatible(_event(place=_place(1, "IRQ", 1)), _event(place=_place(99, "IRQ", 3)))
    (merged,) = merge_sentence_events([_event(place=_place(99, "IRQ", 3)), _event(place=_place(1, "IRQ", 1))])
    assert merged.location.geonameid == 1  # the more precise place wins


def test_merging_is_idempotent():
    text = "قتل مسلحون ثلاثة جنود في هجوم على حاجز أمني شمال بغداد مساء أمس."
    events = marsad.code(text, date="2024-03-10")
    assert merge_sentence_events(events) == events
    assert merge_sentence_events([replace(e) for e in events]) == events
