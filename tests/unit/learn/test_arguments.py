"""The argument ranker: candidates, choice, the model file, and what is never an actor."""

import dataclasses

import numpy as np
import pytest

from marsad.errors import ModelError
from marsad.extract.actor_fill import fill_actors
from marsad.extract.proposals import propose
from marsad.learn import arguments as argument_file
from marsad.learn.arguments import candidates, is_content_word, is_function_word, load_arguments
from marsad.lexicon.loader import default_lexicon
from marsad.model import Actor, Event, Evidence, Place
from marsad.pipeline import code_text
from marsad.text.normalize import normalize
from marsad.text.segment import segment
from marsad.text.tokens import Tokens


def _bare(word):
    return Tokens((normalize(word).text,)).bare[0]


def _pool(text, trigger_word):
    seg = segment(normalize(text))
    _view, proposals = propose(default_lexicon(), seg, seg.sentences[0])
    p = next(p for p in proposals if any(trigger_word in t for t in seg.tokens[p.frame.trig_first : p.frame.trig_last]))
    f = p.frame
    return seg, [seg.tokens[m.first:m.last] for m in candidates(f.tokens, f.first, f.last, p.mentions,
                                                                  f.trig_first, f.trig_last, f.form)]  # fmt: skip


@pytest.mark.parametrize(
    "word", ["مئات", "ثلاثة", "جراء", "وسط", "أمس", "الذي", "2015", "في", "عشرات", "خلاله", "عليهم", "ضدها", "ومعهم"]
)
def test_number_and_function_words_are_never_candidates(word):
    assert not is_content_word(_bare(word))  # tokens reach the ranker normalised, read as bare forms


@pytest.mark.parametrize("word", ["قواته", "الشرطة", "مسلحين", "حكومتها", "أنصاره"])
def test_nouns_with_a_pronoun_are_candidates(word):
    assert is_content_word(_bare(word))


@pytest.mark.parametrize("word", ["فيها", "وفيما", "فقد", "بهذه", "لذلك", "كذلك", "لكم", "بهم", "ليست", "كلا", "كيفية"])
def test_function_words_as_written_are_function_words(word):
    """Read as written: the bare form drops any first ف ("فيها" → "يها")."""
    assert is_function_word(normalize(word).text)


@pytest.mark.parametrize("word", ["فرنسا", "فصائل", "لجنة", "كتائب", "بلدية", "وزارة", "الشرطة"])
def test_words_that_begin_with_a_particle_letter_are_no_function_words(word):
    assert not is_function_word(normalize(word).text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("وألقى المدير كلمة بهذه المناسبة شكر فيها الزملاء على جهودهم.", "فيها"),
        ("ورحب كلا الجانبين بتسلم العراق الطائرات المقاتلة.", "كلا"),
        ("وقال الوزير في ختام كلمته: أتمنى لكم التوفيق وأشكر لكم حضوركم.", "لكم"),
    ],
)
def test_a_function_word_is_never_an_events_actor(text, word):
    for e in code_text(text, min_confidence=0.0):
        for actor in (e.source, e.target):
            assert actor is None or normalize(actor.text).text != normalize(word).text, (e.event_type, actor.text)


def test_candidates_include_unknown_words_with_their_nisba():
    _seg, pool = _pool("اغتالت وحدة إسرائيلية خاصة ناشطا في جنين.", "اغتالت")
    assert any(c[0] == "وحده" for c in pool)  # normalised tokens
    assert not any("جنين" in " ".join(c) for c in pool)  # a place after في is not an actor


def test_a_nisba_adjective_is_never_an_actor_on_its_own():
    _seg, pool = _pool("وطالبت الهيئة الوطنية للمعلمين الحكومة بزيادة الأجور.", "وطالبت")
    assert ("الوطنيه",) not in pool  # normalised tokens
    assert ("الهيئه", "الوطنيه") in pool  # an unknown noun and its adjective are one candidate


@pytest.mark.parametrize(
    ("text", "trigger", "adjective"),
    [
        ("خرجت مظاهرة غاضبة ضد الحكومة في الخرطوم.", "مظاهره", "غاضبه"),  # light verb + noun
        ("شهدت المدينة احتجاجات واسعة ضد الغلاء.", "احتجاجات", "واسعه"),
        ("نفذ مسلحون هجوما تفجيريا على حاجز للشرطة.", "هجوما", "تفجيريا"),  # accusative
        ("نظم الأهالي وقفة احتجاجية سلمية أمام البلدية.", "وقفه", "سلميه"),  # the second in a row
    ],
)
def test_an_adjective_of_the_event_is_never_a_candidate(text, trigger, adjective):
    _seg, pool = _pool(text, trigger)
    assert not any(adjective in c for c in pool), pool


@pytest.mark.parametrize(
    ("text", "trigger", "actor"),
    [
        ("خرجت مظاهرة طلبة جامعة الخرطوم ضد الحكومة.", "مظاهره", "طلبه"),  # a plural of people, not an adjective
        ("شنت طائرات أمريكية غارات جوية على مواقع طالبان.", "غارات", "امريكيه"),  # a country's nisba stays
        ("قتل انتحاري عشرة جنود في كابول.", "قتل", "انتحاري"),  # after a verb: its subject
        ("وقعت العملية الانتحارية قرب مقر الشرطة.", "العمليه", "الانتحاريه"),  # the lexicon's bomber
        ("وصف مفتي عام المملكة الهجوم بالعمل الجبان.", "وصف", "مفتي"),  # "صف" (و read off) is no noun
    ],
)
def test_a_word_after_the_trigger_that_is_no_adjective_of_it_stays_a_candidate(text, trigger, actor):
    _seg, pool = _pool(text, trigger)
    assert any(actor in " ".join(c) for c in pool), pool


def test_an_event_with_no_actor_has_no_source():
    for text in ("وقع انفجار قرب السوق المركزي أمس.", "أسفر الهجوم عن مقتل ثلاثة أشخاص جراء القصف."):
        for e in code_text(text, min_confidence=0.0):
            if e.source is not None:
                assert is_content_word(_bare(e.source.text.split()[0])), (text, e.source.text)


def test_a_count_is_no_attacker_but_a_crowd_protests():
    # "العشرات من المستوطنين" is the settlers; "أصيب العشرات" names who suffered, not who attacked.
    (attack,) = [e for e in code_text("هاجم العشرات من المستوطنين قرية فلسطينية قرب نابلس.", min_confidence=0.0)
                 if e.event_type == "ASSAULT"]  # fmt: skip
    assert attack.source is not None and attack.source.text == "المستوطنين"
    for e in code_text("أصيب العشرات في انفجار هز السوق المركزي.", min_confidence=0.0):
        assert e.source is None or e.source.text != "العشرات"
    # A crowd named by its size is the actor of its protest (the rules' crowd reading, CVL).
    (protest,) = [e for e in code_text("احتشد المئات أمام البرلمان احتجاجا على القانون.") if e.event_type == "PROTEST"]
    assert protest.source is not None and protest.source.text == "المئات"


def test_the_ranker_reads_a_subject_before_the_verb():
    events = [e for e in code_text("الشرطة اعتقلت عشرين متظاهرا في وسط بغداد.") if e.event_type == "COERCE"]
    assert events and events[0].source is not None and events[0].source.text == "الشرطة"
    assert events[0].target is not None and events[0].target.text == "متظاهرا"


@pytest.mark.xfail(strict=True, reason="known limit (README): before a killing verb the ranker now ranks the "
                   "subject first, but below ASSAULT's source threshold ('ثلاثة جنود قتلوا' is common)")  # fmt: skip
def test_a_subject_before_a_killing_verb():
    events = [
        e for e in code_text("القوات الأمريكية قتلت ثلاثة مسلحين في غارة قرب بغداد.") if e.evidence.trigger == "قتلت"
    ]
    assert events and events[0].source is not None and events[0].source.country == "USA"


def test_a_passive_agent_is_the_source_and_the_victims_the_target():
    events = [e for e in code_text("قتل ثلاثة مدنيين برصاص قوات الأمن في البصرة أمس.") if e.event_type == "ASSAULT"]
    assert events and events[0].source is not None and events[0].source.text == "قوات الأمن"
    assert events[0].source.country == "IRQ" and events[0].source.inferred == ("country",)
    assert events[0].target is not None and "مدنيين" in events[0].target.text


def test_a_body_demanding_of_a_country_is_the_source():
    events = code_text("طالب مجلس الأمن إيران بوقف تخصيب اليورانيوم فورا.", min_confidence=0.0)
    assert events and events[0].source is not None and events[0].source.country == "IGO"
    assert events[0].target is not None and events[0].target.country == "IRN"


def test_model_file_errors(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        argument_file.load(tmp_path / "missing.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="unreadable"):
        argument_file.load(bad)
    model = load_arguments()
    other = tmp_path / "other.npz"
    argument_file.save(other, dataclasses.replace(model, card={**model.card, "hash_bits": 12}))
    with pytest.raises(ModelError, match="shape"):
        argument_file.load(other)
    np.savez(tmp_path / "pickled.npz", weights=np.array([object()], dtype=object), card=np.array("{}"))
    with pytest.raises(ModelError):
        argument_file.load(tmp_path / "pickled.npz")


def test_the_saved_model_round_trips(tmp_path):
    model = load_arguments()
    argument_file.save(tmp_path / "a.npz", model)
    again = argument_file.load(tmp_path / "a.npz")
    assert again.thresholds == model.thresholds and np.array_equal(again.weights, model.weights)


def _event(event_type, source, place):
    ev = Evidence("x", 0, 1, "x", 0, 1)
    return Event(article_id=None, event_type=event_type, mode=None, quad_class=3, source=source, target=None,
                 evidence=ev, negated=False, hypothetical=False, confidence=0.9, trigger_gloss="x",
                 location=place)  # fmt: skip


def test_domestic_actors_take_the_country_of_the_scene():
    place = Place(text="بغداد", start=0, end=5, name_ar="بغداد", name_en="Baghdad", geonameid=98182,
                  country_iso2="IQ", country_iso3="IRQ", admin1=None, lat=33.3, lon=44.4, precision=1,
                  feature="city")  # fmt: skip
    police = Actor("الشرطة", 0, 6, None, "COP", "police")
    filled = fill_actors(_event("ASSAULT", police, place)).source
    assert filled.country == "IRQ" and filled.inferred == ("country",)
    crowd = fill_actors(_event("PROTEST", Actor("الآلاف", 0, 6, None, None, None), place)).source
    assert (crowd.role, crowd.country, crowd.inferred) == ("CVL", "IRQ", ("role", "country"))
    foreign = Actor("القوات الأمريكية", 0, 6, "USA", "MIL", "US forces")
    assert fill_actors(_event("ASSAULT", foreign, place)).source == foreign
    gunmen = Actor("مسلحون", 0, 6, None, "UAF", "gunmen")
    assert fill_actors(_event("ASSAULT", gunmen, place)).source.country is None  # not a domestic sector
    assert fill_actors(_event("ASSAULT", police, None)).source == police


def test_a_listed_scene_place_is_not_the_target():
    text = "وانطلقت تظاهرات في عدد من الدول الأوروبية والولايات المتحدة وكندا تضامنا مع المحتجين."
    protests = [
        e
        for e in code_text(text, min_confidence=0.0)
        if e.event_type == "PROTEST" and e.evidence.trigger.endswith("تظاهرات")
    ]
    assert {e.location.country_iso3 for e in protests} >= {"USA", "CAN"}
    assert all(e.target is None or e.target.text not in ("وكندا", "والولايات المتحدة") for e in protests)


def test_a_place_in_a_relative_clause_is_not_the_scene():
    text = "وردد المتظاهرون شعارات ضد الميليشيات التي تقتل المدنيين في سوريا والعراق."
    protests = [e for e in code_text(text, min_confidence=0.0) if e.event_type == "PROTEST"]
    assert protests and all(e.location is None or e.location.country_iso3 not in ("SYR", "IRQ") for e in protests)
    assert all(e.source is None or e.source.country is None for e in protests)  # no country from a wrong place


def test_coordinated_actors_of_one_country_are_one_source():
    events = [e for e in code_text("خرج طلاب ومعلمون في مسيرة وسط العاصمة تونس احتجاجا على تردي الأوضاع.")
              if e.event_type == "PROTEST"]  # fmt: skip
    assert len(events) == 1 and events[0].source is not None and events[0].source.text == "طلاب ومعلمون"


def test_coordinated_actors_of_different_countries_are_one_event_each():
    text = "شارك المئات من الفرنسيين والمعارضين الإيرانيين في مظاهرة أمام السفارة الإيرانية في باريس."
    events = [e for e in code_text(text) if e.event_type == "PROTEST"]
    assert sorted(e.source.country for e in events if e.source) == ["FRA", "IRN"]
    assert len({(e.evidence.start, e.evidence.trigger_start) for e in events}) == 1  # one evidence span


def test_a_source_never_takes_in_the_target():
    """Coordinated sources are joined into one span, but never over the event's target."""
    from importlib import resources

    texts = [p.read_text(encoding="utf-8") for p in resources.files("marsad").joinpath("samples").iterdir()
             if p.name.endswith(".txt")]  # fmt: skip
    texts.append("ودعا المحتجون الحكومة الألمانية والمجتمع الدولي إلى إدانة عمليات القتل.")
    checked = 0
    for text in texts:
        for e in code_text(text, min_confidence=0.0):
            if e.source is not None and e.target is not None:
                checked += 1
                assert e.source.end <= e.target.start or e.target.end <= e.source.start, (e.source, e.target)
    assert checked > 50


@pytest.mark.parametrize(
    ("text", "first", "counted"),
    [("قتل ثمانية من عناصر الشرطة", 3, True), ("قتل 20 شخصا", 2, True), ("قتل اثنان من جنوده", 3, True),
     ("قتل ستة متشددين", 2, True), ("هاجم مسلحون من عناصر الحركة", 3, False), ("قتلت الشرطة متظاهرا", 2, False),
     ("من عناصر الشرطة", 1, False)],
)  # fmt: skip
def test_a_counted_or_partitive_mention_is_counted(text, first, counted):
    """A partitive "ثمانية من عناصر الشرطة" is counted like "ستة متشددين": victims, not actors."""
    from marsad.learn.arguments import is_counted

    assert is_counted(segment(normalize(text)).tokens, first, 0) is counted
