"""Places in real text (issue 14): hashtags, glued tokens, names without their space, small towns."""

from __future__ import annotations

from marsad.extract.places import find_places
from marsad.geo.gazetteer import Gazetteer
from marsad.text.normalize import normalize
from marsad.text.segment import segment


def found(text: str, gaz: Gazetteer) -> list[tuple[str, str | None]]:
    return [(m.place.text, m.place.country_iso3) for m in find_places(segment(normalize(text)), gaz)]


def test_digits_glued_to_a_name_are_another_token():
    assert segment(normalize("2الكويت")).tokens == ("2", "الكويت")
    assert segment(normalize("الكويت2020")).tokens == ("الكويت", "2020")
    assert segment(normalize("طائرات F16")).tokens == ("طائرات", "F16")


def test_a_name_after_digits_a_bar_or_a_flag_is_found(gaz: Gazetteer):
    assert found("سيول 2الكويت", gaz) == [("الكويت", "KWT")]
    assert found("عاجل|الكويت تعلن تعطيل الدراسة", gaz) == [("الكويت", "KWT")]
    assert found("🇸🇦السعودية تعلن", gaz) == [("السعودية", "SAU")]


def test_a_name_written_without_its_space(gaz: Gazetteer):
    assert found("أمطار غزيرة في حفرالباطن", gaz) == [("حفرالباطن", "SAU")]
    assert found("أمطار غزيرة في حفر الباطن", gaz) == [("حفر الباطن", "SAU")]


def test_small_towns_of_the_core_countries(gaz: Gazetteer):
    assert found("تجمعت المياه في الجهراء", gaz) == [("الجهراء", "KWT")]
    assert found("جرفت السيول سيارة في الوفرة", gaz) == [("الوفرة", "KWT")]


def test_villages_and_qada_seats_of_the_second_gulf_and_jordan_list(gaz: Gazetteer):
    assert found("فرقت قوات الأمن تجمعا في قرية عكر", gaz) == [("قرية عكر", "BHR")]
    assert found("اعتصم عشرات المعلمين في ذيبان جنوب عمّان", gaz)[0] == ("ذيبان", "JOR")
    assert found("تعطلت الدراسة في بلدة الأزرق بسبب السيول", gaz) == [("بلدة الأزرق", "JOR")]
    # written with its head noun only: "the crusades" stays a word, "the liver" too
    assert found("تحدث الخطيب عن الحروب الصليبية", gaz) == []
    assert found("أصيب المريض بتليف في الكبد", gaz) == []


def test_sayyida_zaynab_is_placed_by_its_article_and_is_a_woman_after_a_speech_verb(gaz: Gazetteer):
    assert found("قتل عشرات في تفجير استهدف منطقة السيدة زينب جنوب دمشق", gaz)[0] == ("السيدة زينب", "SYR")
    assert found("اندلع حريق في عقار قديم في السيدة زينب وسط القاهرة", gaz)[0] == ("السيدة زينب", "EGY")
    assert found("قالت السيدة زينب إن ابنها اعتقل منذ شهرين", gaz) == []


def test_a_small_town_named_like_a_common_word_is_not_read(gaz: Gazetteer):
    assert found("قصف مواقع قرب بلدة مورك", gaz) == [("مورك", "SYR")]
    assert found("عانقت الأم ابنها بعد خروجه من السجن", gaz) == []


def test_a_village_does_not_take_the_spelling_of_a_capital(gaz: Gazetteer):
    assert found("فرقت الحركة تجمعا في كابول", gaz) == [("كابول", "AFG")]


def test_torrents_are_not_seoul(gaz: Gazetteer):
    assert found("جرفت سيول جارفة عشرات السيارات", gaz) == []
    assert found("وصل الرئيس إلى سيول", gaz) == [("سيول", "KOR")]


def test_regions_continents_seas_and_historical_states_are_places(gaz: Gazetteer):
    for text, name in [
        ("تشهد منطقة الشرق الأوسط موجة احتجاجات", "Middle East"),
        ("خرجت مظاهرات في مدن أوروبا", "Europe"),
        ("غرق قارب في البحر الأبيض المتوسط", "Mediterranean Sea"),
        ("اندلعت اشتباكات في كشمير", "Kashmir"),
        ("حروب يوغسلافيا السابقة", "Yugoslavia"),
    ]:
        places = [m.place for m in find_places(segment(normalize(text)), gaz)]
        assert [(p.name_en, p.feature, p.precision) for p in places] == [(name, "region", 3)], text
    assert found("للمطالبة باستقلال إقليم كتالونيا", gaz) == [("كتالونيا", "ESP")]


def test_a_facility_names_its_town(gaz: Gazetteer):
    places = [m.place for m in find_places(segment(normalize("هبطت الطائرة في مطار الكويت الدولي")), gaz)]
    # a listed landmark is the site itself (at its coordinates); an unlisted facility names its town
    assert [(p.text, p.name_en, p.feature) for p in places] == [("مطار الكويت الدولي", "Kuwait City", "landmark")]
    assert found("رست السفينة في ميناء العقبة", gaz) == [("العقبة", "JOR")]
    assert found("نقل المصابون إلى مستشفى الخفجي", gaz) == [("الخفجي", "SAU")]


def test_a_club_named_after_its_city_is_not_the_city(gaz: Gazetteer):
    assert found("فاز نادي الكويت على منافسه", gaz) == []
    assert found("فاز ريال مدريد بالكأس", gaz) == []


def test_diacritics_are_evidence(gaz: Gazetteer):
    assert found("تظاهر المئات في عمّان", gaz) == [("عمّان", "JOR")]
    assert found("وصل الوزير إلى عُمان", gaz) == [("عُمان", "OMN")]
    assert found("وصل الوزير إلى عمان", gaz) == [("عمان", "OMN")]  # no mark: the country, as before


def test_the_kingdom_is_saudi_arabia_unless_the_article_says_jordan(gaz: Gazetteer):
    assert found("أعلنت المملكة تعليق الدراسة", gaz) == [("المملكة", "SAU")]
    assert found("قالت الحكومة الأردنية إن المملكة ستتأثر بمنخفض جوي", gaz) == [("المملكة", "JOR")]
    assert found("زار الوفد المملكة المتحدة", gaz) == [("المملكة المتحدة", "GBR")]


def test_an_admin_unit_named_next_to_a_town_chooses_its_country(gaz: Gazetteer):
    assert found("سيول في الجفر في محافظة معان", gaz)[0] == ("الجفر", "JOR")


def test_a_whole_hashtag_is_no_phrase_of_the_sentence(gaz: Gazetteer):
    assert found("البروق تنشط على #حفرالباطن الان", gaz) == [("حفرالباطن", "SAU")]
    assert found("محافظ #حفرالباطن الأمير", gaz) == [("حفرالباطن", "SAU")]
    assert found("#صور من الحدث", gaz) == []  # a stoplist word stays a word in a tag


def test_a_common_word_name_listed_after_a_place_is_a_place(gaz: Gazetteer):
    # حائل is a `cue` row (a barrier, "لا يوجد حائل"): joined to a place by a و written apart, or
    # tagged right after a place tag, it is listed with it.
    assert [t for t, _ in found("أمطار على القصيم و الجوف و حائل.", gaz)] == ["القصيم", "الجوف", "حائل"]
    assert [t for t, _ in found("أمطار على #الجوف #حائل.", gaz)] == ["الجوف", "حائل"]
    assert found("أمطار على شمال #السعودية #حائل.", gaz)[-1] == ("حائل", "SAU")
    assert found("نشر ناشطون من #غزة #صور المعتقلين.", gaz) == [("غزة", "PSE")]  # a phrase heads it
    assert found("لا يوجد حائل يمنع الاجتماع.", gaz) == []


def test_district_words_of_iraq_jordan_and_yemen_are_locative_cues(gaz: Gazetteer):
    assert found("قصف أهداف في قضاء عنه غرب الأنبار", gaz)[0] == ("قضاء عنه", "IRQ")
    assert found("اشتباكات في مديرية قعطبة شمال الضالع", gaz)[0] == ("قعطبة", "YEM")
    assert found("وقال إن قضاء العطلة في المنزل أفضل", gaz) == []


def test_a_tag_after_a_name_does_not_continue_its_phrase(gaz: Gazetteer):
    # "في بورصة اسطنبول" is a phrase (a cue name before a big city); a tag of its own is not.
    assert [t for t, _ in found("ضحايا الحالة المطرية بالشرقية #حفرالباطن", gaz)] == ["الشرقية", "حفرالباطن"]
    assert found("نشر ناشطون #صور_المعتقلين", gaz) == []  # inside one tag it still is a phrase


def test_a_time_word_after_a_common_word_name_continues_no_phrase(gaz: Gazetteer):
    assert found("اشتباكات في حماة اليوم.", gaz) == [("حماة", "SYR")]
    assert found("نفت الشؤون الصحية بحائل الأحد ما تردد.", gaz)[0][1] == "SAU"
    assert found("اشتباكات في مشهد المعارك.", gaz) == []  # a noun after it still does


def test_the_record_says_why_a_reading_won(gaz: Gazetteer):
    from marsad.extract.places import find_places
    from marsad.text.normalize import normalize
    from marsad.text.segment import segment

    def why(text: str) -> list[tuple[str, str | None]]:
        return [(m.place.name_en, m.place.resolved_by) for m in find_places(segment(normalize(text)), gaz)]

    assert why("تظاهر المئات في عمّان") == [("Amman", "diacritics")]  # the shadda, not Oman's size
    assert why("تظاهر المئات في الإسكندرية المصرية") == [("Alexandria", "qualifier")]
    assert why("التقى الوزير الأردني نظيره في عمان") == [("Amman", "sentence")]  # a Jordanian in the sentence
    assert why("وصل الوزير إلى عمان") == [("Oman", "prominence")]  # nothing but size and kind
    assert why("تظاهر المئات في بغداد") == [("Baghdad", "unique")]


def test_resolution_names_the_largest_lead():
    from marsad.extract.places import resolution

    assert resolution({"prominence": 1.0}, None) == "unique"
    assert resolution({"prominence": 1.0, "qualifier": 6.0}, {"prominence": 3.0}) == "qualifier"
    assert resolution({"prominence": 3.0, "article": 0.5}, {"prominence": 1.0, "article": 1.0}) == "prominence"
    assert resolution({"prominence": 1.0, "whole-word": 0.0}, {"prominence": 1.0, "whole-word": -2.0}) == "whole-word"
    assert resolution({"prominence": 2.0}, {"prominence": 2.0}) == "prominence"  # a tie: nothing else to say


def test_a_capital_named_by_its_country(gaz: Gazetteer):
    assert found("وصل الوفد إلى العاصمة التونسية أمس", gaz) == [("العاصمة التونسية", "TUN")]
    assert found("عقد الاجتماع في الكويت العاصمة", gaz) == [("الكويت العاصمة", "KWT")]
    assert found("تظاهر المئات في العاصمة", gaz) == []  # "the capital" alone names no place
    cities = [m.place for m in find_places(segment(normalize("في العاصمة التونسية والكويت العاصمة")), gaz)]
    assert [(p.name_en, p.feature, p.precision) for p in cities] == [("Tunis", "city", 1), ("Kuwait City", "city", 1)]


def test_diacritics_count_from_the_name_not_from_a_clitic(gaz: Gazetteer):
    assert found("وصل الوفد إلى عمّان وعمّان مدينة قديمة", gaz) == [("عمّان", "JOR"), ("عمّان", "JOR")]


def test_li_before_a_name_beginning_with_lam(gaz: Gazetteer):
    """للبنان is ل + لبنان; للقاهرة stays ل + القاهرة."""
    assert ("لبنان", "LBN") in found("وقدمت اليابان دعما للبنان", gaz)
    assert ("للقاهرة", "EGY") in found("وكانت زيارته للقاهرة قصيرة", gaz)


def test_a_district_is_geo_precision_two(gaz: Gazetteer):
    # Second-level units (قضاء، مديرية، مركز ...) sit between a town (1) and a province (3).
    places = [m.place for m in find_places(segment(normalize("سقط داعش في قضاء سنجار قبل عام")), gaz)]
    assert [(p.text, p.country_iso3, p.feature, p.precision) for p in places] == [("قضاء سنجار", "IRQ", "admin", 2)]
    places = [m.place for m in find_places(segment(normalize("هطلت أمطار غزيرة على محافظة الأنبار")), gaz)]
    assert [(p.country_iso3, p.precision) for p in places] == [("IRQ", 3)]
