from hypothesis import given
from hypothesis import strategies as st

from marsad.text.normalize import normalize


def _slice(text: str, norm_word: str) -> str:
    norm = normalize(text)
    i = norm.text.index(norm_word)
    start, end = norm.orig_span(i, i + len(norm_word))
    return text[start:end]


def test_tatweel_and_diacritics_are_removed_but_offsets_point_to_original():
    text = "وتظاهـــرَ الطلابُ"
    assert normalize(text).text == "وتظاهر الطلاب"
    assert _slice(text, "الطلاب") == "الطلابُ"
    assert _slice(text, "وتظاهر") == "وتظاهـــرَ"


def test_letter_variants_fold_one_to_one():
    assert normalize("أإآٱ ى ة").text == "اااا ي ه"


def test_arabic_indic_and_persian_digits_become_ascii():
    assert normalize("٣ آلاف و۱۲").text == "3 الاف و12"


def test_html_entities_are_decoded_with_offsets_kept():
    text = "قال &quot;لا&quot; للحرب&nbsp;اليوم"
    norm = normalize(text)
    assert norm.text == 'قال "لا" للحرب اليوم'
    assert _slice(text, "اليوم") == "اليوم"
    assert _slice(text, '"لا"') == "&quot;لا&quot;"


def test_zero_width_and_bidi_marks_are_removed():
    assert normalize("\u200fتظاهر\u200d\u202bالناس\u202c").text == "تظاهرالناس"


def test_paragraph_join_becomes_a_line_break():
    assert normalize("في إيران., وأمام").text == "في ايران.\n وامام"


def test_hashtag_becomes_words_and_is_kept_as_a_tag():
    norm = normalize("نظام #ولاية_الفقيه اليوم")
    assert norm.text == "نظام  ولايه الفقيه اليوم"
    ((start, end),) = norm.hashtags
    assert "نظام #ولاية_الفقيه اليوم"[start:end] == "#ولاية_الفقيه"


def test_unknown_entity_is_left_alone():
    assert normalize("a &bogus; b").text == "a &bogus; b"


@given(st.text(alphabet=st.sampled_from(list("تظاهر ـَُِّ\u200f&quot;#_.,٣أ")), max_size=80))
def test_every_normalised_span_maps_inside_the_original(text):
    norm = normalize(text)
    n = len(norm.text)
    previous = 0
    for i in range(n + 1):
        start = norm.orig_start(i) if i < n else norm.orig_end(i)
        assert 0 <= start <= len(text)
        assert start >= previous
        previous = start
