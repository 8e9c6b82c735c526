"""Property tests: the coder never fails on odd text and every span slices the original."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import marsad

WORDS = [
    "تظاهر", "المتظاهرون", "الشرطة", "أطلقت", "النار", "على", "لم", "دعت", "إلى", "الإضراب",
    "الإيرانية", "اعتقلت", "قوات", "الأمن", "هجوم", "مباراة", "&quot;", "#ولاية_الفقيه", ".,",
    "ـــ", "ً", "\u200f", "٣", "،", ".", "؟", "\n", "abc", "«", "»", "&amp;",
]  # fmt: skip
arabicish = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)
anything = st.text(max_size=200)


def _check_offsets(text: str) -> None:
    for event in marsad.code(text):
        ev = event.evidence
        assert text[ev.start : ev.end] == ev.sentence
        assert text[ev.trigger_start : ev.trigger_end] == ev.trigger
        assert ev.start <= ev.trigger_start < ev.trigger_end <= ev.end
        for actor in (event.source, event.target):
            if actor is not None:
                assert text[actor.start : actor.end] == actor.text
                assert ev.start <= actor.start < actor.end <= ev.end


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(arabicish)
def test_offsets_slice_the_original_on_arabic_like_text(text):
    _check_offsets(text)


@settings(max_examples=200)
@given(anything)
def test_never_fails_on_arbitrary_unicode(text):
    _check_offsets(text)


@settings(max_examples=100)
@given(arabicish)
def test_output_is_deterministic(text):
    assert [e.to_dict() for e in marsad.code(text)] == [e.to_dict() for e in marsad.code(text)]
