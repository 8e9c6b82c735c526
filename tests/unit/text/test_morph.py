import pytest

from marsad.text.morph import bare, lemma_key, stem_keys
from marsad.text.normalize import normalize


def keys(word: str) -> frozenset[str]:
    return stem_keys(normalize(word).text)


@pytest.mark.parametrize("form", ["تظاهر", "يتظاهرون", "وتظاهروا", "تظاهرة", "تظاهرات", "سيتظاهرون"])
def test_verb_and_masdar_forms_share_the_verb_key(form):
    assert "تظاهر" in keys(form)


@pytest.mark.parametrize("form", ["المتظاهرون", "متظاهرين", "والمتظاهرين", "للمتظاهرين", "بالمتظاهرين"])
def test_participle_forms_share_the_participle_key(form):
    assert "متظاهر" in keys(form)


@pytest.mark.parametrize("form", ["مظاهرة", "مظاهرات", "والمظاهرات", "بمظاهرتهم"])
def test_feminine_noun_forms_restore_the_ta_marbuta(form):
    assert "مظاهره" in keys(form)


def test_nisba_forms_reach_the_adjective():
    assert "ايراني" in keys("الإيرانيين")
    assert "ايرانيه" in keys("الإيرانية")


def test_stems_never_shorter_than_three_letters():
    assert all(len(k) >= 3 for k in keys("وبالمدن") if k != "وبالمدن")


def test_the_word_for_signs_is_not_a_demonstration():
    assert "مظاهره" not in keys("مظاهر")


def test_lemma_key_drops_the_article_of_long_words_only():
    assert lemma_key("الحكومه") == "حكومه"
    assert lemma_key("الي") == "الي"


def test_bare_strips_one_conjunction():
    assert bare("والي") == "الي"
    assert bare("وم") == "وم"
