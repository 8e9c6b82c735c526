"""Property tests: normalise → segment → code never fails on odd text, every offset slices the
original exactly (every span kind), and the output is deterministic.

`check_pipeline` is also the invariant the fuzz harness (fuzz/fuzz_pipeline.py) checks.
"""

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import marsad
from marsad.text.normalize import normalize
from marsad.text.segment import segment

WORDS = [
    "تظاهر", "المتظاهرون", "الشرطة", "أطلقت", "النار", "على", "لم", "دعت", "إلى", "الإضراب",
    "الإيرانية", "اعتقلت", "قوات", "الأمن", "هجوم", "مباراة", "&quot;", "#ولاية_الفقيه", ".,",
    "ـــ", "ً", "\u200f", "٣", "،", ".", "؟", "\n", "abc", "«", "»", "&amp;",
    "مئات", "عشرات", "ألف", "آلاف", "١٠٠٠٠٠٠٠٠٠٠٠٠", "25", "خمسة", "قتل", "قتلى", "أصيب", "جرحى", "أشخاص",
    "أمس", "اليوم", "الأحد", "مارس", "آذار", "2024", "9999", "0001", "في", "بغداد", "القاهرة", "طهران", "عمان",
    "ساحة", "التحرير", "الطلاب", "العمال", "الحكومة", "أمام", "مبنى", "البرلمان", "احتجاجا", "انفجار", "سيارة",
    "مفخخة", "اعتصم", "أضرب", "وتظاهروا", "فيما", "لن", "قد", "سوف", "يتظاهر", "ضد", "&#1578;", "&nbsp;",
    "گ", "چ", "پ", "ژ", "ک", "ی", "ۀ", "۱۲۳", "Tehran", "1.5", "٪", ":", "(", ")", '"', "\t", "\r\n",
]  # fmt: skip
# Invisible and combining characters that normalisation deletes or that sit inside words.
MARKS = [
    "\u064b", "\u064c", "\u064d", "\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0670", "\u0640",
    "\u0301", "\u0327", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c",
    "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u061c", "\ufeff", "\u2060", "\u00ad",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", "\n", "، ", ". ", "\u00a0", "  "]


def _sprinkle(word: str, marks: list[str], places: list[int]) -> str:
    """Insert invisible or combining `marks` inside `word` ("تظاهر" → "تظ\u064eاه\u200dر")."""
    chars = list(word)
    for mark, place in zip(marks, places, strict=False):
        chars.insert(place % (len(chars) + 1), mark)
    return "".join(chars)


arabicish = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)
noisy_word = st.builds(_sprinkle, st.sampled_from(WORDS), st.lists(st.sampled_from(MARKS), max_size=3),
                       st.lists(st.integers(0, 30), max_size=3))  # fmt: skip
noisy_arabic = st.lists(st.tuples(noisy_word, st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)
anything = st.text(max_size=200)
mixed = st.lists(st.one_of(noisy_word, st.sampled_from(SEPARATORS), st.text(max_size=6)), max_size=40).map("".join)


def _check_normalize(text: str) -> None:
    norm = normalize(text)
    assert norm.original == text
    previous = 0
    for i in range(len(norm.text)):
        start = norm.orig_start(i)
        assert previous <= start < len(text)
        previous = start
    assert norm.orig_end(len(norm.text)) == len(text)


def _check_segment(text: str) -> None:
    seg = segment(normalize(text))
    n = len(seg.norm.text)
    last = 0
    for sentence in seg.sentences:
        assert last <= sentence.start < sentence.end <= n
        last = sentence.end
        start, end = seg.norm.orig_span(sentence.start, sentence.end)
        assert 0 <= start < end <= len(text)
    for token, start, end in zip(seg.tokens, seg.starts, seg.ends, strict=True):
        assert 0 <= start < end <= n and seg.norm.text[start:end] == token


def _check_span(text: str, kind: str, span: dict[str, Any] | None) -> None:
    if span is None or (kind == "date_source" and span["start"] is None):
        return
    start, end = span["start"], span["end"]
    assert isinstance(start, int) and isinstance(end, int), (kind, span)
    assert 0 <= start < end <= len(text), (kind, span)
    assert text[start:end] == span["text"], (kind, span)


def check_event(text: str, record: dict[str, Any]) -> None:
    """Every span of one coded record lies inside `text` and slices exactly to its emitted text."""
    ev = record["evidence"]
    assert 0 <= ev["start"] <= ev["trigger_start"] < ev["trigger_end"] <= ev["end"] <= len(text), ev
    assert text[ev["start"] : ev["end"]] == ev["sentence"]
    assert text[ev["trigger_start"] : ev["trigger_end"]] == ev["trigger"]
    for kind in ("source", "target", "location", "size", "fatalities", "injuries", "date_source"):
        _check_span(text, kind, record[kind])
    for kind in ("source", "target"):
        if record[kind] is not None:
            assert ev["start"] <= record[kind]["start"] < record[kind]["end"] <= ev["end"], (kind, record[kind])
    json.dumps(record, ensure_ascii=False)


def check_pipeline(text: str, *, date: str | None = None) -> list[dict[str, Any]]:
    """normalise → segment → code: no exception, every offset slices `text`, the same output twice."""
    _check_normalize(text)
    _check_segment(text)
    records = [event.to_dict() for event in marsad.code(text, article_id="prop", date=date)]
    for record in records:
        check_event(text, record)
    assert [event.to_dict() for event in marsad.code(text, article_id="prop", date=date)] == records
    return records


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(arabicish)
def test_offsets_slice_the_original_on_arabic_like_text(text: str) -> None:
    check_pipeline(text)


@settings(max_examples=1000, suppress_health_check=[HealthCheck.too_slow])
@given(noisy_arabic, st.sampled_from([None, "2024-03-10", "1900-01-01", "2099-12-31"]))
def test_diacritics_bidi_and_zero_width_marks_inside_words_keep_offsets_exact(text: str, date: str | None) -> None:
    check_pipeline(text, date=date)


@settings(max_examples=500)
@given(anything)
def test_never_fails_on_arbitrary_unicode(text: str) -> None:
    check_pipeline(text)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(mixed)
def test_never_fails_on_arabic_mixed_with_arbitrary_unicode(text: str) -> None:
    check_pipeline(text)


@settings(max_examples=100)
@given(arabicish)
def test_output_is_deterministic(text: str) -> None:
    assert [e.to_dict() for e in marsad.code(text)] == [e.to_dict() for e in marsad.code(text)]


def test_every_span_kind_is_checked_on_a_real_report() -> None:
    text = ("بغداد - قتل ٣ أشخاص وأصيب عشرات آخرون أمس الأحد عندما أطلقت قوات الأمن النار على مئات "
            "الطلاب الذين تظاهروا أمام مبنى البرلمان.")  # fmt: skip
    records = check_pipeline(text, date="2024-03-11")
    present = {kind for record in records for kind in ("source", "target", "location", "size", "fatalities",
                                                       "injuries", "date_source") if record[kind]}  # fmt: skip
    assert present == {"source", "target", "location", "size", "fatalities", "injuries", "date_source"}
