from marsad.text.normalize import normalize
from marsad.text.segment import segment, sentence_spans


def test_sentences_split_on_full_stops_question_marks_and_paragraph_joins():
    text = "تظاهر المئات في برلين., وفي باريس تجمع آخرون. هل انتهى الأمر؟ نعم"
    seg = segment(normalize(text))
    sentences = [seg.norm.text[s.start : s.end] for s in seg.sentences]
    assert sentences == ["تظاهر المئات في برلين.", "وفي باريس تجمع اخرون.", "هل انتهي الامر؟", "نعم"]


def test_decimal_point_does_not_split():
    assert len(sentence_spans("ارتفع بنسبة 2.5 في المئة")) == 1


def test_tokens_keep_punctuation_and_offsets():
    seg = segment(normalize("قال: «لا»، ثم مشى"))
    assert seg.tokens == ("قال", ":", "«", "لا", "»", "،", "ثم", "مشي")
    assert all(seg.norm.text[s:e] == t for t, s, e in zip(seg.tokens, seg.starts, seg.ends))


def test_each_sentence_owns_its_tokens():
    seg = segment(normalize("أ ب. ج د"))
    assert [(s.first_token, s.last_token) for s in seg.sentences] == [(0, 3), (3, 5)]


def test_empty_text_has_no_sentences():
    assert segment(normalize("  \n ")).sentences == ()


def test_token_at_an_original_offset_and_its_sentence():
    text = "تظاهر المئات في عمّان. واعتقلت الشرطة عشرة."
    seg = segment(normalize(text))
    k = seg.token_at(text.find("عمّان") + 2)  # inside the name, past the shadda
    assert k is not None and seg.tokens[k] == "عمان" and seg.sentence_of(k) == 0
    k = seg.token_at(text.find("الشرطة"))
    assert k is not None and seg.tokens[k] == "الشرطه" and seg.sentence_of(k) == 1
    assert seg.token_at(text.find(" ")) is None
