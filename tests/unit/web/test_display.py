"""Evidence shown as a reader reads it: entities decoded, whitespace runs made one, highlights still
on their words; the API's original text and offsets unchanged."""

import html
import re

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

import marsad
from marsad.model import Article
from marsad.store import open_store
from marsad.web import create_app
from marsad.web.spans import article_view, display, evidence_view, labels_view, readable, spans_of

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# A scraped report: quotes and an ampersand as entities, doubled spaces, a tab, a non-breaking space.
SCRAPED = (
    "بغداد - تظاهر مئات الطلاب  أمام وزارة التعليم العالي في بغداد أمس، ورفعوا لافتات كتب عليها "
    "&quot;لا  للفساد&quot; و&quot;نريد وطناً&quot;.\n\n"
    "وقال أحد المحتجين إن &quot;الحكومة &amp; البرلمان&quot;\tمسؤولان عن الأزمة،&nbsp; "
    "فيما اعتقلت الشرطة عشرة من المتظاهرين."
)


def test_entities_are_decoded_and_whitespace_runs_made_one():
    assert display("&quot;لا  للفساد&quot; &amp;\tنعم&#39;&#x27;").text == "\"لا للفساد\" & نعم''"
    assert display("سطر أول\n\n\nسطر ثان \n ثالث").text == "سطر أول\n\nسطر ثان\nثالث"
    assert display("&amp;quot;مرتين&amp;quot;").text == '"مرتين"'
    assert display("AT&T و &unknown; و &amp").text == "AT&T و &unknown; و &amp"


def test_every_word_of_the_original_lands_on_itself_in_the_shown_text():
    shown = display(SCRAPED)
    for word in re.finditer(r"[\u0621-\u064a]+", SCRAPED):
        start, end = shown.span(word.start(), word.end())
        assert shown.text[start:end] == word.group(), word.group()


def test_a_span_covering_an_entity_shows_the_decoded_character():
    start = SCRAPED.index("&quot;لا")
    end = SCRAPED.index("للفساد&quot;") + len("للفساد&quot;")
    shown = display(SCRAPED)
    assert shown.text[slice(*shown.span(start, end))] == '"لا للفساد"'


def test_a_coded_article_with_entities_shows_its_evidence_decoded_with_the_highlights_in_place():
    events = marsad.code(SCRAPED, article_id="scraped", date="2024-03-10")
    records = [e.to_dict() for e in events]
    arrests = [r for r in records if r["event_type"] == "COERCE"]
    protests = [r for r in records if r["event_type"] == "PROTEST" and not r["negated"]]
    assert arrests and protests
    for record in records:
        view = evidence_view(record)
        assert "&quot;" not in view["sentence"] and "&amp;" not in view["sentence"] and "  " not in view["sentence"]
        for part in view["spans"]:
            if part["start"] is None:
                continue
            shown = view["sentence"][part["start"] : part["end"]]
            original = _original_text(record, part["kind"])
            assert shown == readable(original), (part["kind"], shown, original)
    sentence = evidence_view(arrests[0])["sentence"]
    assert '"الحكومة & البرلمان" مسؤولان عن الأزمة،' in sentence


def _original_text(record: dict, kind: str) -> str:
    """The original text of a part, sliced from the article by its sacred offsets."""
    if kind == "trigger":
        start, end = record["evidence"]["trigger_start"], record["evidence"]["trigger_end"]
    else:
        part = record["date_source" if kind == "date" else kind]
        start, end = part["start"], part["end"]
    return SCRAPED[start:end]


def test_parts_outside_the_sentence_have_no_offsets_but_keep_their_text():
    record = {
        "evidence": {"sentence": "تظاهر الطلاب", "start": 20, "end": 32, "trigger_start": 20, "trigger_end": 25,
                     "trigger": "تظاهر"},
        "location": {"text": "بغداد", "start": 0, "end": 5, "basis": "dateline"},
    }  # fmt: skip
    view = evidence_view(record)
    assert view["spans"] == [
        {"kind": "trigger", "start": 0, "end": 5, "text": "تظاهر", "basis": None},
        {"kind": "location", "start": None, "end": None, "text": "بغداد", "basis": "dateline"},
    ]


def test_the_article_view_maps_the_labelled_spans_and_keeps_their_labels():
    records = [e.to_dict() for e in marsad.code(SCRAPED, article_id="scraped", date="2024-03-10")]
    spans = spans_of(SCRAPED, [{"mention_id": n, "event_id": n, "record": r} for n, r in enumerate(records)])
    view = article_view("عنوان &quot;مقتبس&quot;", SCRAPED, spans)
    assert view["title"] == 'عنوان "مقتبس"'
    assert view["text"] == display(SCRAPED).text
    assert len(view["spans"]) == len(spans)
    for original, shown in zip(spans, view["spans"], strict=True):
        assert shown["label_en"] == original["label_en"]
        assert view["text"][shown["start"] : shown["end"]] == readable(SCRAPED[original["start"] : original["end"]])


def test_labels_are_shown_decoded():
    event = {"source": {"text": "حركة  &quot;حماس&quot;"}, "target": None, "size": {"text": "المئات"}}
    assert labels_view(event) == {"source": 'حركة "حماس"', "target": None, "size": "المئات"}


def test_the_api_keeps_the_original_text_and_adds_what_is_shown(tmp_path):
    db = str(tmp_path / "display.db")
    article = Article("scraped", SCRAPED, "2024-03-10", "تقرير &amp; صور", "alsumaria", None)
    with open_store(db) as store:
        store.add_article(article, [e.to_dict() for e in marsad.code(SCRAPED, article_id="scraped",
                                                                     date="2024-03-10")], lexicon_version="t")  # fmt: skip
    with TestClient(create_app(db)) as client:
        body = client.get("/api/articles/scraped").json()
        assert body["text"] == SCRAPED and body["title"] == "تقرير &amp; صور"
        assert all(SCRAPED[s["start"] : s["end"]] for s in body["spans"])
        assert body["display"]["title"] == "تقرير & صور" and "&quot;" not in body["display"]["text"]
        event_ids = {s["event_id"] for s in body["spans"] if s["event_id"] is not None}
        for event_id in event_ids:
            event = client.get(f"/api/events/{event_id}").json()
            for mention in event["mentions"]:
                assert mention["record"]["evidence"]["sentence"] in SCRAPED
                assert "&quot;" not in mention["display"]["sentence"]
        listed = client.get("/api/events").json()["events"]
        assert all(set(e["display"]) == {"source", "target", "size"} for e in listed)


# Generated texts: Arabic words, entities and whitespace runs in any order.
WORDS = st.sampled_from(["تظاهر", "الطلاب", "بغداد", "أمس", "لا", "للفساد", "قوات", "الأمن"])
PIECES = st.one_of(
    WORDS,
    st.sampled_from(["&quot;", "&amp;", "&#39;", "&#x27;", "&lt;", "&gt;", "&nbsp;", "&hellip;"]),
    st.sampled_from([" ", "  ", "\t", "\n", "\n\n", " \n ", "\u00a0"]),
)


@given(st.lists(PIECES, max_size=30))
def test_generated_texts_show_as_decoded_collapsed_text_and_every_word_maps_onto_itself(pieces):
    text = "".join(pieces)
    shown = display(text)
    decoded = html.unescape(text)
    expected = re.sub(r"\s+", lambda m: "\n\n" if m.group().count("\n") > 1 else "\n" if "\n" in m.group() else " ",
                      decoded)  # fmt: skip
    assert shown.text == expected
    assert len(shown.starts) == len(shown.ends) == len(text)
    for word in re.finditer(r"[\u0621-\u064a]+", text):
        assert shown.text[slice(*shown.span(word.start(), word.end()))] == word.group()


def test_a_place_says_why_in_the_shown_evidence():
    record = {
        "evidence": {"sentence": "تظاهر المئات في عمّان", "start": 0, "trigger_start": 0, "trigger_end": 5, "trigger": "تظاهر"},
        "location": {"text": "عمّان", "start": 16, "end": 21, "basis": "sentence", "resolved_by": "diacritics",
                     "chosen_by": "locative"},
    }  # fmt: skip
    spans = evidence_view(record)["spans"]
    assert spans[-1] == {"kind": "location", "start": 16, "end": 21, "text": "عمّان", "basis": "sentence",
                         "why": "scene: locative · entry: diacritics"}  # fmt: skip
    assert "why" not in spans[0]
