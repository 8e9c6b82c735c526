"""Where, when and how many on whole events: the pipeline's choice among the stage outputs."""

import pytest

import marsad


def _first(events, event_type):
    found = [e for e in events if e.event_type == event_type and e.factual]
    assert found, event_type
    return found[0]


def test_place_in_the_sentence_wins_and_slices_the_text():
    text = "تظاهر مئات الطلاب أمس في الرباط احتجاجا على رفع الرسوم."
    event = _first(marsad.code(text, date="2024-03-10"), "PROTEST")
    assert event.location is not None and event.location.name_en == "Rabat"
    assert event.location.basis == "sentence"
    assert text[event.location.start : event.location.end] == event.location.text


def test_place_is_inherited_from_the_paragraph_and_says_so():
    text = "شهدت مدينة البصرة توترا كبيرا صباح أمس. وأحرق المحتجون الإطارات وقطعوا الطريق الرئيسي."
    events = [e for e in marsad.code(text, date="2024-03-10") if e.event_type == "PROTEST" and e.factual]
    assert events
    place = events[-1].location
    assert place is not None and place.country_iso3 == "IRQ" and place.basis == "paragraph"


def test_no_place_across_paragraphs():
    text = "اجتمع الوزراء في عمان لبحث الأزمة.\nوأحرق المحتجون الإطارات وقطعوا الطريق الرئيسي مساء أمس."
    event = _first(marsad.code(text, date="2024-03-10"), "PROTEST")
    assert event.location is None


def test_relative_date_resolves_against_the_record_date():
    event = _first(marsad.code("تظاهر مئات العمال أمس أمام مقر الشركة.", date="2024-03-10"), "PROTEST")
    assert event.when is not None
    assert (event.when.date, event.when.time_precision, event.when.basis) == ("2024-03-09", 1, "text")
    assert event.when.text == "أمس"


def test_without_a_date_in_the_sentence_the_article_week_is_used():
    event = _first(marsad.code("تظاهر مئات العمال أمام مقر الشركة.", date="2024-03-10"), "PROTEST")
    assert event.when is not None
    assert (event.when.date, event.when.time_precision, event.when.basis) == ("2024-03-10", 2, "article_date")


def test_a_date_inside_a_relative_clause_dates_something_else():
    text = "تظاهر المئات تضامنا مع العمال الذين يضربون عن العمل منذ أسبوعين."
    event = _first(marsad.code(text, date="2024-03-10"), "PROTEST")
    assert event.when is not None and event.when.basis == "article_date"


def test_no_date_at_all_without_record_date_or_dateline():
    event = _first(marsad.code("تظاهر مئات العمال أمس أمام مقر الشركة."), "PROTEST")
    assert event.when is None


def test_dateline_date_is_the_anchor():
    text = "بغداد - 12 مارس 2024: تظاهر مئات العمال أمس أمام مقر الشركة."
    event = _first(marsad.code(text), "PROTEST")
    assert event.when is not None and event.when.date == "2024-03-11"


def test_crowd_size_on_protests_and_casualties_on_attacks():
    text = "قتل خمسة أشخاص وأصيب عشرات آخرون في انفجار سيارة مفخخة وسط بغداد مساء أمس."
    attack = _first(marsad.code(text, date="2024-03-10"), "ASSAULT")
    assert attack.fatalities is not None and (attack.fatalities.min, attack.fatalities.max) == (5, 5)
    assert attack.injuries is not None and (attack.injuries.min, attack.injuries.max) == (20, 99)
    assert attack.size is None
    protest = _first(marsad.code("تظاهر نحو ألفي شخص في تونس أمس.", date="2024-03-10"), "PROTEST")
    assert protest.size is not None and protest.size.min == 2000


@pytest.mark.parametrize("bad", ["yesterday", "2024-13-45", "9999-01-01"])
def test_unreadable_record_date_is_an_input_error(bad):
    with pytest.raises(marsad.InputError):
        marsad.code("تظاهر مئات العمال أمس.", date=bad)


def test_json_record_carries_every_new_field():
    (record,) = [e.to_dict() for e in marsad.code("تظاهر مئات العمال أمس في القاهرة.", date="2024-03-10")]
    for key in ("location", "date", "time_precision", "date_source", "size", "fatalities", "injuries"):
        assert key in record
    assert record["date"] == "2024-03-09" and record["location"]["country_iso3"] == "EGY"


def test_dateline_place_is_inherited_and_says_so():
    text = "الخرطوم - قال مسؤول إن الوضع هادئ.\nوأحرق المحتجون الإطارات وقطعوا الطريق الرئيسي مساء أمس."
    event = _first(marsad.code(text, date="2024-03-10"), "PROTEST")
    assert event.location is not None and event.location.country_iso3 == "SDN"
    assert event.location.basis == "dateline"


def test_a_dateline_after_a_headline_line_is_the_dateline():
    # Scraped articles open with their headline on a line of its own, then "الخرطوم - ...".
    body = "الخرطوم - قال مسؤول إن الوضع هادئ.\nوأحرق المحتجون الإطارات وقطعوا الطريق الرئيسي مساء أمس."
    event = _first(marsad.code("احتجاجات على الغلاء\n\n" + body, date="2024-03-10"), "PROTEST")
    assert event.location is not None and event.location.country_iso3 == "SDN"
    assert event.location.basis == "dateline"
    # The headline's own sentence continuing on the same line is not a headline: no dateline there.
    text = "وقال مسؤول إن الوضع هادئ، الخرطوم - تغيرت الأمور.\nوأحرق المحتجون الإطارات مساء أمس."
    event = _first(marsad.code(text, date="2024-03-10"), "PROTEST")
    assert event.location is None or event.location.basis != "dateline"


def test_a_headline_above_the_dateline_is_placed_by_it():
    """The headline tells the story the dateline below it locates; the place it names after
    "تضامناً مع" is what the protesters stand with, not where they stand."""
    text = (
        "آلاف الأردنيين يتظاهرون تضامناً مع غزة\n\nعمّان - 20 تشرين الأول/أكتوبر 2023 (مراسلنا): قال مسؤول إن الوضع هادئ."
    )
    event = _first(marsad.code(text, date="2023-10-20"), "PROTEST")
    assert event.location is not None and event.location.name_en == "Amman"
    assert event.location.basis == "dateline" and event.evidence.trigger == "يتظاهرون"


def test_the_place_a_protest_stands_with_is_not_its_scene():
    text = "تظاهر المئات في إربد أمس. وخرجت مسيرة أخرى في المساء تضامناً مع غزة."
    events = [e for e in marsad.code(text, date="2024-03-10") if e.event_type == "PROTEST" and e.factual]
    assert len(events) == 2
    assert events[-1].location is not None and events[-1].location.name_en == "Irbid"
    assert events[-1].location.basis == "paragraph"


def test_a_byline_ending_in_a_place_is_a_dateline():
    # Saudi outlets sign "author- outlet- city:" before the text.
    text = "عوض الفهمي- سبق- مكة المكرمة: عقد أطباء اجتماعا في المستشفى.\nواعتصم العشرات من الموظفين مطالبين برواتبهم."
    event = _first(marsad.code(text, date="2015-08-01"), "PROTEST")
    assert event.location is not None and event.location.name_en == "Makkah" and event.location.basis == "dateline"
    # A place after a dash but far into the sentence, or not before a colon, is no byline.
    text = "قال مدير الإدارة إن العمل جار في عدة مدن ومنها - مكة المكرمة: وغيرها.\nواعتصم العشرات مطالبين برواتبهم."
    event = _first(marsad.code(text, date="2015-08-01"), "PROTEST")
    assert event.location is None or event.location.basis != "dateline"


def test_a_place_opening_the_article_with_its_date_is_a_dateline():
    # The Saudi Press Agency's header: "city day month year ... واس".
    text = "جيزان 25 شوال 1436هـ الموافق 10 اغسطس 2015م واس\nأوضح أمين المنطقة أن العمل جار.\nواعتصم العشرات مطالبين برواتبهم."
    event = _first(marsad.code(text), "PROTEST")
    assert event.location is not None and event.location.country_iso3 == "SAU" and event.location.basis == "dateline"
    # A place followed by a number that is no date is not a dateline.
    text = "جيزان 25 مدرسة افتتحت هذا العام في المنطقة.\nواعتصم العشرات مطالبين برواتبهم."
    event = _first(marsad.code(text, date="2015-08-01"), "PROTEST")
    assert event.location is None or event.location.basis != "dateline"


def test_a_name_beginning_with_ba_is_not_the_preposition():
    # برلين and بغداد begin with ب; "في" makes طهران the scene only when it is one.
    event = _first(marsad.code("تظاهر المئات في برلين تضامنا مع المحتجين في طهران.", date="2024-01-01"), "PROTEST")
    assert event.location is not None and event.location.name_en == "Berlin"
    event = _first(marsad.code("تظاهر المئات تضامنا مع طهران ببرلين.", date="2024-01-01"), "PROTEST")
    assert event.location is not None and event.location.name_en == "Berlin"


def test_a_finer_place_of_the_same_country_refines_the_scene():
    text = "وفي فرنسا، تظاهر المئات في باريس مساء أمس."
    event = _first(marsad.code(text, date="2024-01-01"), "PROTEST")
    assert event.location is not None and event.location.precision == 1 and event.location.country_iso3 == "FRA"
    text = "تظاهر المئات في ألمانيا تضامنا مع المحتجين في طهران."
    event = _first(marsad.code(text, date="2024-01-01"), "PROTEST")
    assert event.location is not None and event.location.country_iso3 == "DEU"  # Tehran is not in Germany
