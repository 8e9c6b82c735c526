"""Date resolution on sentences we wrote: every rule, the hard negatives, the lexicon examples."""

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.errors import LexiconError
from marsad.extract import dates
from marsad.extract.dates import (
    dateline_date,
    find_dates,
    gregorian_to_hijri,
    hijri_to_gregorian,
    parse_record_date,
    to_when,
)
from marsad.lexicon.loader import read_tsv
from marsad.text.normalize import normalize

ANCHOR = dt.date(2022, 3, 15)  # a Tuesday


def found(sentence: str, anchor: dt.date | None = ANCHOR) -> list[tuple[str, str, int]]:
    """(original text, ISO date, precision) of every date in `sentence`."""
    norm = normalize(sentence)
    whens = [to_when(m, norm) for m in find_dates(norm.text, 0, len(norm.text), anchor)]
    return [(w.text or "", w.date, w.time_precision) for w in whens]


@pytest.mark.parametrize(
    ("sentence", "text", "iso", "precision"),
    [
        ("تظاهر الطلاب يوم 15 يناير 2022 أمام الوزارة.", "15 يناير 2022", "2022-01-15", 1),
        ("قصفت المدفعية البلدة في 15 شباط/فبراير 2022.", "15 شباط/فبراير 2022", "2022-02-15", 1),
        ("أغلقت السفارة أبوابها في 19 آذار (مارس) 2020.", "19 آذار (مارس) 2020", "2020-03-19", 1),
        ("انسحبت القوات في كانون الثاني 2018.", "كانون الثاني 2018", "2018-01-01", 3),
        ("نظم الأساتذة وقفة يوم 14 جانفي 2021.", "14 جانفي 2021", "2021-01-14", 1),
        ("نظمت وقفة في 20 أوت 2016.", "20 أوت 2016", "2016-08-20", 1),
        ("أضرب الأطباء يوم 15 غشت 2022.", "15 غشت 2022", "2022-08-15", 1),
        ("صدر الحكم في 3/5/2019.", "3/5/2019", "2019-05-03", 1),
        ("نشر في: 2015-03-12", "2015-03-12", "2015-03-12", 1),
        ("صدر المرسوم بتاريخ ٢٥/١٢/٢٠١٨.", "٢٥/١٢/٢٠١٨", "2018-12-25", 1),
        ("أعلنت الوزارة في الأول من أبريل 2020 الإغلاق.", "الأول من أبريل 2020", "2020-04-01", 1),
        ("صدر الحكم يوم 21 من شهر سبتمبر عام 2021.", "21 من شهر سبتمبر عام 2021", "2021-09-21", 1),
        ("احتج المتقاعدون في 10 يناير 2018م.", "10 يناير 2018م", "2018-01-10", 1),
        ("أعلنت الرئاسة العفو في 12 رمضان 1443 هـ.", "12 رمضان 1443 هـ", "2022-04-14", 1),
        ("صدر الأمر في 1 محرم 1445 هـ.", "1 محرم 1445 هـ", "2023-07-19", 1),
        ("تظاهر المزارعون في 15 يناير أمام البرلمان.", "15 يناير", "2022-01-15", 1),
        ("انسحب الجيش في 20 ديسمبر من المواقع.", "20 ديسمبر", "2021-12-20", 1),
        ("ستعقد القمة في 12 يونيو المقبل.", "12 يونيو المقبل", "2022-06-12", 1),
        ("أعلنت النقابة في 25 مارس الماضي الإضراب.", "25 مارس الماضي", "2021-03-25", 1),
        ("جرت الانتخابات في يناير من العام الماضي.", "يناير من العام الماضي", "2021-01-01", 3),
        ("بدأ الاعتصام منتصف يناير الماضي.", "منتصف يناير الماضي", "2022-01-15", 3),
        ("تتوقع الحكومة انتهاء الأزمة مطلع الشهر المقبل.", "مطلع الشهر المقبل", "2022-04-01", 3),
        ("اعتقل المتظاهرون أواخر الشهر الماضي.", "أواخر الشهر الماضي", "2022-02-21", 3),
        ("بوشر التصوير في 21 من هذا الشهر.", "21 من هذا الشهر", "2022-03-21", 1),
        ("تراجعت الاحتجاجات منذ مطلع العام الجاري.", "مطلع العام الجاري", "2022-01-01", 3),
        ("أطلق سراح السجناء في 27 رمضان.", "27 رمضان", "2021-05-09", 1),
        ("تظاهر مئات الأشخاص أمس أمام البرلمان.", "أمس", "2022-03-14", 1),
        ("اعتقلت الشرطة ثلاثة ناشطين مساء أمس.", "مساء أمس", "2022-03-14", 1),
        ("شنت الطائرات غارات ليلة أمس.", "ليلة أمس", "2022-03-14", 1),
        ("أطلق مسلحون النار على دورية أول أمس.", "أول أمس", "2022-03-13", 1),
        ("قتل جنديان فجر اليوم.", "فجر اليوم", "2022-03-15", 1),
        ("يعقد البرلمان جلسة طارئة الليلة.", "الليلة", "2022-03-15", 1),
        ("ستستأنف المفاوضات غدا.", "غدا", "2022-03-16", 1),
        ("وأمس أعلن الجيش سيطرته على المعبر.", "أمس", "2022-03-14", 1),
        ("أعلنت الحكومة اليوم الأحد حالة الطوارئ.", "اليوم الأحد", "2022-03-13", 1),
        ("تظاهر الآلاف يوم الجمعة في الساحة.", "يوم الجمعة", "2022-03-11", 1),
        ("أضرب المعلمون الثلاثاء في المدارس.", "الثلاثاء", "2022-03-15", 1),
        ("انسحبت القوات الثلاثاء الماضي من البلدة.", "الثلاثاء الماضي", "2022-03-08", 1),
        ("يعقد المجلس جلسته الثلاثاء المقبل.", "الثلاثاء المقبل", "2022-03-22", 1),
        ("اعتقل الصحفي مساء السبت في منزله.", "مساء السبت", "2022-03-12", 1),
        ("اختطف مسلحون عاملي إغاثة قبل يومين.", "قبل يومين", "2022-03-13", 1),
        ("وقع الهجوم قبل ثلاثة أيام.", "قبل ثلاثة أيام", "2022-03-12", 1),
        ("اندلعت النيران في المخيم قبل أيام.", "قبل أيام", "2022-03-12", 2),
        ("يعتصم العمال منذ أسبوعين.", "منذ أسبوعين", "2022-03-01", 2),
        ("بدأ الإضراب منذ قرابة الأسبوعين.", "منذ قرابة الأسبوعين", "2022-03-01", 2),
        ("قتل جندي قبل نحو أسبوع.", "قبل نحو أسبوع", "2022-03-08", 2),
        ("فرت العائلات قبل أسابيع.", "قبل أسابيع", "2022-02-22", 3),
        ("أغلقت السلطات الحدود قبل شهر.", "قبل شهر", "2022-02-15", 3),
        ("انهار المبنى قبل ساعات.", "قبل ساعات", "2022-03-15", 1),
        ("تعقد الجولة المقبلة بعد يومين.", "بعد يومين", "2022-03-17", 1),
        ("تظاهر الآلاف الأسبوع الماضي.", "الأسبوع الماضي", "2022-03-08", 2),
        ("يبدأ الإضراب الأسبوع المقبل.", "الأسبوع المقبل", "2022-03-22", 2),
        ("اعتقلت السلطات عشرات الناشطين الشهر الماضي.", "الشهر الماضي", "2022-02-01", 3),
        ("ارتفعت الأسعار خلال الشهر الجاري.", "الشهر الجاري", "2022-03-01", 3),
    ],
)
def test_date_expression_is_resolved(sentence, text, iso, precision):
    assert (text, iso, precision) in found(sentence), found(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "قتل 3 أشخاص في انفجار عبوة ناسفة.",
        "تحيي النساء اليوم العالمي للمرأة بمسيرات.",
        "يحيي الفلسطينيون ذكرى يوم الأرض.",
        "من المتوقع أن تتصاعد الاحتجاجات في الأيام المقبلة.",
        "غادر الوفد قبل أن تبدأ الجلسة.",
        "للاستفسار يرجى الاتصال على الرقم 0501234567.",
        "للاستفسار يرجى الاتصال على الرقم 050-123-4567.",
        "ارتفعت الأسعار بنسبة 1/2 في المئة.",
        "شهدت البلاد احتجاجات واسعة عام 2011.",
        "في اليوم الثالث من الاعتصام أغلق المحتجون الطريق.",
        "أطلق سراح الرهائن في اليوم التالي.",
        "منذ ذلك اليوم لم يعد أحد إلى القرية.",
        "مارس الأمن ضغوطا على الصحفيين.",
        "زار الوفد مدينة 6 أكتوبر في الجيزة.",
        "نقل المصابون إلى مستشفى 26 سبتمبر في صنعاء.",
        "حكم عليه بالسجن 5 سنوات.",
        "كان ذلك قبل عامين.",
        "عاد الهدوء إلى المدينة بعد يومين من الاشتباكات.",
        "يزداد التوتر يوما بعد يوم.",
        "أدى المصلون صلاة الجمعة في المسجد.",
        "قسم الإرث بين الاثنين بالتساوي.",
        "صدر الحكم في 31 فبراير 2019.",
        "فاز الفريق 2 صفر على منافسه.",
        "وقع الحادث في 1 يناير 9999.",
        "وقع الحادث في 1 يناير 0001 وفي 1/1/0001.",
        "وصلت قيمة العقد إلى 9999 دولار في 99/99/9999.",
    ],
)
def test_hard_negative_has_no_date(sentence):
    assert found(sentence) == []


@pytest.mark.parametrize("anchor", [None, dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_relative_expressions_need_an_anchor_but_absolute_ones_do_not(anchor):
    sentence = "تظاهر المئات أمس وكانوا قد تظاهروا في 15 يناير 2022 وفي 3 مارس."
    assert found(sentence, anchor) == [("15 يناير 2022", "2022-01-15", 1)]


def test_mention_is_flagged_relative_when_the_anchor_was_used():
    norm = normalize("تظاهروا أمس وفي 15 يناير 2022")
    flags = [m.relative for m in find_dates(norm.text, 0, len(norm.text), ANCHOR)]
    assert flags == [True, False]


def test_bare_weekday_on_the_article_day_is_that_day_and_past_weekday_a_week_before():
    assert found("تظاهروا الثلاثاء.") == [("الثلاثاء", "2022-03-15", 1)]
    assert found("تظاهروا الثلاثاء الماضي.") == [("الثلاثاء الماضي", "2022-03-08", 1)]


def test_offsets_stay_inside_the_sentence_span():
    text = normalize("قال الوزير أمس. وتظاهروا اليوم.").text
    second = text.index("وتظاهروا")
    mentions = find_dates(text, second, len(text), ANCHOR)
    assert [(text[m.start : m.end], m.date) for m in mentions] == [("اليوم", ANCHOR)]


def test_to_when_slices_the_original_despite_diacritics_and_tatweel():
    original = "تظاهـــروا مَسَاءَ أَمْسِ، وفي ١٥ شُبَاط/فِبْرايِر ٢٠٢٢"
    norm = normalize(original)
    whens = [to_when(m, norm) for m in find_dates(norm.text, 0, len(norm.text), ANCHOR)]
    assert [(w.text, w.date, w.basis) for w in whens] == [
        ("مَسَاءَ أَمْسِ", "2022-03-14", "text"),
        ("١٥ شُبَاط/فِبْرايِر ٢٠٢٢", "2022-02-15", "text"),
    ]
    for when in whens:
        assert when.start is not None and when.end is not None
        assert original[when.start : when.end] == when.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-01-06", dt.date(2018, 1, 6)),
        ("2018-01-06T10:00:00Z", dt.date(2018, 1, 6)),
        ("2018-01-06 23:59:00+03:00", dt.date(2018, 1, 6)),
        ("2018/01/06", dt.date(2018, 1, 6)),
        ("20180106", dt.date(2018, 1, 6)),
        ("06/01/2018", dt.date(2018, 1, 6)),
        ("06-01-2018", dt.date(2018, 1, 6)),
        (" ٢٠١٨-٠١-٠٦ ", dt.date(2018, 1, 6)),
        ("Sat, 06 Jan 2018 10:00:00 GMT", dt.date(2018, 1, 6)),
        ("2018-02-30", None),
        ("9999-01-01", None),
        ("0001-01-01", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_record_date_is_parsed_or_none(value, expected):
    assert parse_record_date(value) == expected


@pytest.mark.parametrize(
    ("article", "iso", "text"),
    [
        ("طهران - 6 يناير 2018: قال وزير الخارجية إن المفاوضات مستمرة.", "2018-01-06", "6 يناير 2018"),
        ("الرياض، الأحد 7 كانون الثاني/يناير 2018\nاجتمع الوزراء.", "2018-01-07", "الأحد 7 كانون الثاني/يناير 2018"),
        ("عنوان الخبر\nنشر في: 2015-03-12\nتظاهر الطلاب.", "2015-03-12", "2015-03-12"),
    ],
)
def test_dateline_date_is_read_from_the_head_of_the_article(article, iso, text):
    when = dateline_date(normalize(article))
    assert when is not None
    assert (when.date, when.text, when.basis, when.time_precision) == (iso, text, "dateline", 1)
    assert article[when.start : when.end] == text


def test_date_deep_in_the_first_sentence_is_not_a_dateline():
    article = "قال وزير الخارجية في مؤتمر صحافي عقده في العاصمة إن الاتفاق الموقع في 15 يناير 2016 ما زال ساريا."
    assert dateline_date(normalize(article)) is None
    assert dateline_date(normalize("تظاهر المئات أمس.")) is None


@pytest.mark.parametrize(
    ("hijri", "umm_al_qura"),
    [
        ((1436, 9, 1), dt.date(2015, 6, 18)),
        ((1443, 9, 1), dt.date(2022, 4, 2)),
        ((1445, 1, 1), dt.date(2023, 7, 19)),
        ((1445, 12, 10), dt.date(2024, 6, 16)),
    ],
)
def test_tabular_hijri_is_within_a_day_of_umm_al_qura(hijri, umm_al_qura):
    assert abs((hijri_to_gregorian(*hijri) - umm_al_qura).days) <= 1


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_hijri_round_trip(date):
    assert hijri_to_gregorian(*gregorian_to_hijri(date)) == date


def _rows() -> list[dict[str, str]]:
    return [row for _, row in read_tsv(dates.data_dir() / "dates.tsv", ("form", "type", "value", "example"))]


BLOCKERS = {"named_day_next", "not_today_before", "weekday_blocker", "date_name_blocker", "event_relative_after"}


@pytest.mark.parametrize("row", _rows(), ids=lambda row: f"{row['type']}:{row['form']}")
def test_every_lexicon_row_fires_on_its_example(row):
    norm = normalize(row["example"])
    mentions = find_dates(norm.text, 0, len(norm.text), ANCHOR)
    if row["type"] in BLOCKERS or row["value"].startswith("year:"):
        assert mentions == [], "a blocker's (or a year unit's) example must give no date"
        return
    form = r"\s+".join(map(re.escape, normalize(row["form"]).text.split()))
    where = re.search(rf"(?<!\w)[وفب]?({form})(?!\w)", norm.text)
    assert where, "the example must contain the form"
    assert any(m.start <= where.start(1) and where.end(1) <= m.end for m in mentions), mentions


def test_unknown_word_type_is_rejected(tmp_path, monkeypatch):
    (tmp_path / "dates.tsv").write_text("form\ttype\tvalue\texample\nامس\tyesterday\t-1\tتظاهروا امس\n", "utf-8")
    monkeypatch.setattr(dates, "data_dir", lambda: tmp_path)
    with pytest.raises(LexiconError, match="dates.tsv:2: unknown date word type"):
        dates.load_date_lexicon()


WORDS = [
    "أمس", "اليوم", "الجمعة", "الماضية", "قبل", "منذ", "بعد", "أيام", "يومين", "قرابة", "الأسبوعين",
    "15", "١٥", "2022", "1443", "هـ", "رمضان", "شباط", "/", "فبراير", "(", ")", "من", "شهر", "عام",
    "مطلع", "الشهر", "3/5/2019", "9999", "0001", "ـــ", "َ", "\u200f", "،", ".", "\n", "مساء", "يوم",
]  # fmt: skip


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join),
    st.integers(0, 200),
    st.integers(0, 200),
    st.sampled_from([ANCHOR, dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2100, 12, 31), None]),
)
def test_find_dates_never_fails_and_stays_inside_the_span(text, a, b, anchor):
    norm = normalize(text)
    start, end = min(a, b), max(a, b)
    for mention in find_dates(norm.text, start, end, anchor):
        assert start <= mention.start < mention.end <= min(end, len(norm.text))
        when = to_when(mention, norm)
        assert when.start is not None and when.end is not None
        assert text[when.start : when.end] == when.text


@settings(max_examples=200)
@given(st.text(max_size=200), st.none() | st.dates())
def test_find_dates_never_fails_on_arbitrary_unicode(text, anchor):
    norm = normalize(text)
    for mention in find_dates(norm.text, 0, len(norm.text), anchor):
        assert 0 <= mention.start < mention.end <= len(norm.text)
    dateline_date(norm)
    parse_record_date(text)
