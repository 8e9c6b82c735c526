"""The common-word, qualifier, dateline and hashtag rules of place recognition, one test per rule,
each with the place it must keep (sentences written for these tests)."""

import pytest

from marsad.extract.places import find_places, is_adjective_shaped, is_definite
from marsad.geo.gazetteer import Gazetteer
from marsad.text.normalize import normalize
from marsad.text.segment import segment


def found(text: str, gaz: Gazetteer) -> list[tuple[str, str, str | None]]:
    return [(m.place.text, m.place.name_en, m.place.country_iso3) for m in find_places(segment(normalize(text)), gaz)]


def texts(text: str, gaz: Gazetteer) -> list[str]:
    return [m.place.text for m in find_places(segment(normalize(text)), gaz)]


def test_word_shapes():
    assert is_definite("خوذاتهم") and is_definite("الطرق") and not is_definite("فيها")
    assert all(map(is_adjective_shaped, ["الامنيه", "المقدس", "الاقصر", "الجديده", "الزرقاء", "العامه"]))
    assert not is_adjective_shaped("الطفله")


@pytest.mark.parametrize(
    "text",
    [
        "قال الوسيط إن العقبة الوحيدة أمام الهدنة هي الأسرى.",
        "يرى الباحث أن الزاوية الاقتصادية تفسر الأزمة.",
        "لعب الصغار في الجنينة الخلفية للمنزل.",
        "امتلأت الميادين الرئيسية بالمحتجين.",
        "يدرس الطلاب العمارة الإسلامية في الكلية.",
    ],
)
def test_definite_name_before_an_agreeing_adjective_is_a_common_noun(gaz: Gazetteer, text: str):
    assert found(text, gaz) == []


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("تجول الصحفيون في الموصل القديمة بعد الترميم.", "الموصل"),
        ("اقتحم الجنود الخليل المحتلة فجرا.", "الخليل"),
        ("عاد التيار الكهربائي إلى الرقة السورية.", "الرقة"),
        ("شهدت العقبة احتجاجات على أسعار الوقود.", "العقبة"),
    ],
)
def test_epithets_nisbas_and_plain_names_keep_the_place(gaz: Gazetteer, text: str, place: str):
    assert place in texts(text, gaz)


@pytest.mark.parametrize(
    "text",
    [
        "رفع الجنود راياتهم البيضاء عند الحاجز.",
        "صبغ الفنانون قبعاتهم الزرقاء بألوان العلم.",
        "انقطع الكابل الموصل للكهرباء عن الحي.",
        "اختار المتظاهرون الطريق الأقصر إلى الوزارة.",
    ],
)
def test_definite_name_after_an_agreeing_definite_noun_is_an_adjective(gaz: Gazetteer, text: str):
    assert found(text, gaz) == []


def test_a_place_after_a_definite_subject_is_still_a_place(gaz: Gazetteer):
    assert texts("حاصر الجيش الفلوجة أسابيع.", gaz) == ["الفلوجة"]


@pytest.mark.parametrize(
    "text",
    ["ورثت العائلة منزل جدة اللاعب.", "تبدأ حملة مكافحة سوسة الخشب غدا.", "عاد الأديب إلى مسقط رأسه."],
)
def test_name_heading_an_idafa_is_a_common_noun(gaz: Gazetteer, text: str):
    assert found(text, gaz) == []


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("تستضيف جدة القمة العربية المقبلة.", "جدة"),
        ("شهدت بغداد الأحد تظاهرات حاشدة.", "بغداد"),
        ("فكت القوات الحصار عن غزة المحاصرة.", "غزة"),
        ("تظاهر العمال في جدة الأسبوع الماضي.", "جدة"),
    ],
)
def test_name_before_a_definite_word_stays_a_place_when_subject_or_qualified(gaz: Gazetteer, text: str, place: str):
    assert place in texts(text, gaz)


def test_fixed_compound_keeps_the_second_term_out(gaz: Gazetteer):
    assert found("ارتفع سعر حليب جوز الهند في الأسواق.", gaz) == []
    assert texts("ارتفع سعر الأرز في الهند.", gaz) == ["الهند"]


@pytest.mark.parametrize(
    "text",
    [
        "قال المحامي ماهر أبو عمان إن الجلسة أجلت.",
        "فاز نادي الكويت بلقب الدوري.",
        "انتقل اللاعب إلى ريال مدريد الصيف الماضي.",
        "تغلب ليستر على مانشستر يونايتد.",
        "تقدمت قوات سوريا الديمقراطية نحو القرى.",
        "قالت صوفيا، وهي صيدلانية، إن الأدوية نفدت.",
        "أكد العقيد صلاح الدين أن الطريق آمن.",
    ],
)
def test_names_inside_person_team_and_organisation_names_are_not_places(gaz: Gazetteer, text: str):
    assert found(text, gaz) == []


def test_a_speech_verb_before_a_place_without_apposition_keeps_the_place(gaz: Gazetteer):
    assert found("قالت صوفيا إنها لن تطرد الدبلوماسيين.", gaz) == [("صوفيا", "Sofia", "BGR")]


def test_imperfect_shaped_name_after_inna_and_a_subject_is_a_verb(gaz: Gazetteer):
    assert found("حذر الخبراء من أن الحرائق تدمر الغابات كل صيف.", gaz) == []
    assert texts("سيطرت القوات على تدمر الأثرية.", gaz) == ["تدمر"]


def test_nisba_shaped_name_after_an_indefinite_noun_is_an_adjective(gaz: Gazetteer):
    assert found("تواجه البلدية عجزا مالي كبيرا.", gaz) == []
    assert found("أعلنت مالي إغلاق حدودها.", gaz) == [("مالي", "Mali", "MLI")]


@pytest.mark.parametrize(
    "text",
    ["قال المحامي إنه لا حائل دون الطعن.", "للكلمات معان عدة.", "أغلقت بورصة الكويت على ارتفاع."],
)
def test_cue_rows_need_a_locative_cue(gaz: Gazetteer, text: str):
    assert "حائل" not in texts(text, gaz) and "معان" not in texts(text, gaz) and "بورصة" not in texts(text, gaz)


def test_cue_rows_after_a_cue_or_joined_to_a_place_are_places(gaz: Gazetteer):
    assert texts("اعتقل ناشطون في حائل.", gaz) == ["حائل"]
    assert texts("امتدت الاحتجاجات إلى إربد ومعان.", gaz) == ["إربد", "معان"]


def test_state_and_nisba_qualifiers_narrow_the_country(gaz: Gazetteer):
    assert found("أعلنت ولاية جورجيا الأمريكية نتائج الانتخابات.", gaz) == [("جورجيا", "Georgia", "USA")]
    assert found("زار الرئيس جورجيا لبحث التعاون.", gaz)[0][2] == "GEO"
    assert found("تظاهر السكان في مدينة طرابلس اللبنانية.", gaz) == [("طرابلس", "Tripoli", "LBN")]


def test_a_state_after_a_city_narrows_it(gaz: Gazetteer):
    hits = found("تظاهر المئات في كولومبوس بولاية أوهايو.", gaz)
    assert [(h[0], h[2]) for h in hits] == [("كولومبوس", "USA"), ("بولاية أوهايو", "USA")] or hits[-1][2] == "USA"


def test_the_peeled_reading_wins_with_its_country_in_the_sentence(gaz: Gazetteer):
    assert found("نفذت أحكام في الرياض وجدة أمس.", gaz)[1][1:] == ("Jeddah", "SAU")
    assert found("احتج عمال في فاس ووجدة.", gaz)[1][1:] == ("Oujda", "MAR")
    assert found("تظاهر الطلبة في وجدة أمس.", gaz) == [("وجدة", "Oujda", "MAR")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("تونس - أغلق المحتجون الطرق.", "Tunis"),
        ("الكويت – اجتمع النواب.", "Kuwait City"),
        ("حماة: سقطت قذائف.", "Ḩamāh"),
    ],
)
def test_dateline_reads_the_city(gaz: Gazetteer, text: str, name: str):
    mention = find_places(segment(normalize(text)), gaz)[0].place
    assert (mention.name_en, mention.feature) == (name, "city")


def test_a_country_in_running_text_is_not_a_dateline(gaz: Gazetteer):
    assert found("تونس تستعد للانتخابات.", gaz)[0][1] == "Tunisia"


def test_a_weak_name_inside_a_hashtag_is_not_a_place_unless_it_is_the_tag(gaz: Gazetteer):
    assert found("غرد الناشطون بوسم #الواحات_في_خطر", gaz) == []  # a one-word admin unit: "the oases"
    assert texts("غرد الناشطون بوسم #غزة", gaz) == ["غزة"]


def test_a_country_or_a_big_town_inside_a_compound_hashtag_is_a_place(gaz: Gazetteer):
    assert texts("غرقت الشوارع #سيول_الاردن", gaz) == ["الاردن"]
    assert texts("فيديو #امطار_الكويت", gaz) == ["الكويت"]
    assert texts("غرد الناشطون بوسم #أنقذوا_الرقة_الآن", gaz) == ["الرقة"]
    assert texts("مستشفى #حفر_الباطن", gaz) == ["حفر_الباطن"]  # the span keeps the underscore


def test_tear_gas_and_the_ambassador_are_not_places(gaz: Gazetteer):
    assert found("أطلقت الشرطة القنابل المسيلة للدموع.", gaz) == []
    assert found("استدعت الخارجية السفيرة الفرنسية.", gaz) == []
