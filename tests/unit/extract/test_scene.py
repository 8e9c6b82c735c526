"""The event's place (marsad.extract.scene): one record per scene place, chosen by role."""

from __future__ import annotations

import marsad


def places(text: str, event_type: str = "PROTEST") -> list[tuple[str, str]]:
    return [
        (e.location.name_en, e.location.basis)
        for e in marsad.code(text, min_confidence=0)
        if e.event_type == event_type and e.location is not None
    ]


def test_one_protest_per_listed_city_with_the_same_evidence():
    events = [
        e for e in marsad.code("تظاهر المئات في برلين وميونيخ وهامبورغ احتجاجا على الحرب.") if e.event_type == "PROTEST"
    ]
    assert [e.location.name_en for e in events if e.location] == ["Berlin", "Munich", "Hamburg"]
    assert (
        len({(e.evidence.start, e.evidence.end, e.evidence.trigger_start, e.evidence.trigger_end) for e in events}) == 1
    )


def test_one_protest_per_listed_country():
    assert [p for p, _ in places("خرجت مظاهرات في تونس والجزائر والمغرب تضامنا مع غزة.")] == [
        "Tunisia",
        "Algeria",
        "Morocco",
    ]


def test_a_city_and_its_own_country_are_one_scene():
    assert [p for p, _ in places("تظاهر المئات في برلين بألمانيا احتجاجا على الحرب.")] == ["Berlin"]


def test_the_object_of_a_demand_is_not_the_scene():
    assert [p for p, _ in places("خرجت مسيرة حاشدة في برشلونة للمطالبة باستقلال كتالونيا.")] == ["Barcelona"]


def test_a_definite_demand_word_makes_its_place_an_object():
    """ "النظام" with the article is the context word "نظام": the regime "في إيران" is what is
    demanded, the protest is in Canada."""
    from marsad.extract.place_rules import context_kind

    assert context_kind("النظام") == context_kind("نظام") == "demand"
    text = "وتجمع المئات في أوتاوا، وطالب المشاركون بإسقاط النظام في إيران."
    found = [e.location for e in marsad.code(text, min_confidence=0, scenes="rules") if e.event_type == "REQUEST"]
    assert [(p.name_en, p.chosen_by) for p in found if p] == [("Ottawa", "not-object")]


def test_the_object_of_a_demand_is_the_place_when_there_is_no_other():
    assert [p for p, _ in places("خرجت مسيرة حاشدة للمطالبة باستقلال كتالونيا.")] == ["Catalunya"]


def test_a_road_between_two_towns_is_one_scene():
    assert len(places("قطع محتجون الطريق الرابط بين الناصرية والبصرة بالإطارات المحترقة.")) == 1


def test_the_record_says_why_a_place_is_the_scene():
    def why(text: str, event_type: str = "PROTEST") -> list[tuple[str, str, str | None]]:
        return [
            (e.location.name_en, e.location.basis, e.location.chosen_by)
            for e in marsad.code(text, min_confidence=0)
            if e.event_type == event_type and e.location is not None
        ]

    assert why("تظاهر المئات في برلين وميونيخ أمس.") == [
        ("Berlin", "sentence", "locative"),
        ("Munich", "sentence", "listed"),
    ]
    assert why("تظاهر المئات في بغداد.") == [("Baghdad", "sentence", "only")]
    assert why("خرجت مسيرة حاشدة في برشلونة للمطالبة باستقلال كتالونيا.") == [("Barcelona", "sentence", "not-object")]
    # a place inherited from the paragraph was not chosen among the sentence's places: no reason
    assert why("تظاهر المئات في بغداد أمس. وفي وقت لاحق تظاهر آخرون أمام مبنى البرلمان.") == [
        ("Baghdad", "sentence", "only"),
        ("Baghdad", "paragraph", None),
    ]
