"""The learned scene choice: features from the rules' cues, the choice, the rules baseline, the model file."""

import json

import numpy as np
import pytest

from marsad.errors import InputError, ModelError, UsageError
from marsad.extract.scene import candidates, setting
from marsad.extract.scene import scenes as scenes_of
from marsad.geo.gazetteer import load_gazetteer
from marsad.learn import scenes
from marsad.learn.features import index_set
from marsad.pipeline import code_text
from marsad.text.normalize import normalize
from marsad.text.segment import segment


def _event(text, trigger_word):
    seg = segment(normalize(text))
    here_setting = setting(seg, None, load_gazetteer())
    trigger = next(k for k, t in enumerate(seg.tokens) if t == normalize(trigger_word).text)
    here = candidates(seg, here_setting, 0, trigger)
    return seg, here_setting, trigger, here


def _model(weights_by_name, bits=scenes.SCENE_BITS):
    w = np.zeros(1 << bits, np.float32)
    for name, value in weights_by_name.items():
        (i,) = index_set([name], bits)
        w[i] += value
    return scenes.SceneModel(w, {"hash_bits": bits})


SPEAKER = "قال متحدث في واشنطن إن غارة استهدفت مواقع قرب دير الزور"


def test_features_carry_the_rules_cues_and_the_word_before_the_place():
    seg, here_setting, trigger, here = _event(SPEAKER, "استهدفت")
    names = scenes.scene_features(seg, here_setting, trigger, here)
    assert len(here) == 2 and len(names) == 3
    washington, deir, none = names
    assert "none" in none and "none:all-bare" not in none  # both places follow a locative word
    assert "side=before" in washington and "side=after" in deir
    assert "prev=في" in washington and "prev=قرب" in deir
    assert "locative" in washington and "locative" in deir
    assert "that-between" in washington and "that-between" not in deir


def _scene_name(model):
    seg, here_setting, trigger, _here = _event(SPEAKER, "استهدفت")
    (place,) = scenes_of(seg, here_setting, 0, trigger, chooser=model.score if model else None)
    return place.name_en, place.chosen_by


def test_the_model_decides_a_tie_and_its_own_ties_go_to_the_rules():
    ruled = _scene_name(None)
    assert ruled == ("Washington", "nearest")  # في واشنطن / قرب دير الزور: the cues tie, 3 words each way
    assert _scene_name(_model({})) == ruled
    assert _scene_name(_model({"side=before": 5.0})) == ruled
    assert _scene_name(_model({"that-between": -5.0})) == ("Deir ez-Zor", "learned")


def test_the_pipeline_says_when_the_model_overrode_the_rules():
    text = "قال مسؤول في دمشق إن طائرات حربية قصفت مواقع في إدلب، ما أدى إلى مقتل خمسة مدنيين."
    rules = code_text(text, min_confidence=0, scenes="rules")
    learned = code_text(text, scene_model=_model({"side=before": 9.0}), min_confidence=0)
    assert rules and learned
    assert (rules[0].location.name_en, rules[0].location.chosen_by) == ("Idlib", "nearest")
    assert (learned[0].location.name_en, learned[0].location.chosen_by) == ("Damascus", "learned")


def test_examples_keep_events_with_two_candidates_and_count_the_rest(tmp_path):
    rows = [
        {"id": "t-1", "doc": "d1", "text": SPEAKER, "events": [{"type": "ASSAULT", "trigger": "استهدفت", "scene": "دير الزور"}]},
        {"id": "t-2", "doc": "d2", "text": "تظاهر المئات في بغداد.", "events": [{"type": "PROTEST", "trigger": "تظاهر", "scene": "بغداد"}]},
        {"id": "t-3", "doc": "d3", "text": SPEAKER, "events": [{"type": "ASSAULT", "trigger": "استهدفت", "scene": None}]},
        {"id": "t-4", "doc": "d4", "text": SPEAKER, "events": [{"type": "ASSAULT", "trigger": "استهدفت", "scene": "مواقع"}]},
    ]  # fmt: skip
    (tmp_path / "s.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    data, skipped = scenes.examples(tmp_path)
    assert [e.id for e in data] == ["t-1#0", "t-3#0"]
    assert skipped == {"not-found": 1, "single": 1, "no-trigger": 0}
    assert data[0].gold == 1  # دير الزور, after واشنطن
    assert data[1].gold == 2  # a null scene: "none of them", after the two candidates


def test_a_broken_line_is_reported_with_its_file_and_line(tmp_path):
    (tmp_path / "s.jsonl").write_text('{"id": "x", "doc": "d", "text": "نص"}\n{"id": ', encoding="utf-8")
    with pytest.raises(InputError, match=r"s\.jsonl:2"):
        scenes.examples(tmp_path)


def test_training_learns_a_preference_the_rules_lack():
    """Synthetic: the gold is always the candidate after the trigger, the rules always pick the other."""
    data = [
        scenes.SceneExample(
            f"e{i}", f"g{i}", (("rule=0", "side=before"), ("rule=1", "side=after"), ("none",)), 1, (0, 1), "x", (0, 1)
        )
        for i in range(20)
    ]
    figures = scenes.cross_validate(data, k=4)
    assert figures["rules"] == 0.0 and figures["model"] == 1.0
    model = scenes.train(data, {})
    assert model.scores([("side=after",)])[0] > model.scores([("side=before",)])[0]


def test_the_model_file_round_trips_and_a_wrong_one_is_refused(tmp_path):
    model = _model({"locative": 1.5})
    path = tmp_path / "scenes.npz"
    scenes.save(path, model)
    again = scenes.load(path)
    assert np.array_equal(again.weights, model.weights)
    with pytest.raises(ModelError, match="not found"):
        scenes.load(tmp_path / "missing.npz")
    from marsad.learn import npz

    npz.write(path, {"weights": np.zeros(10, np.float32)}, {"scene_version": scenes.SCENE_VERSION, "hash_bits": 12})
    with pytest.raises(ModelError, match="do not match"):
        scenes.load(path)


def test_the_shipped_model_loads_and_records_its_cross_validation():
    model = scenes.load_scenes()
    assert model.card["cv"]["events"] > 100
    assert {"rules", "model", "undecided_only"} <= set(model.card["cv"])


def test_the_shipped_model_is_what_make_model_trains():
    """The team's scene sentences, read with today's gazetteer and lexicons, train exactly the
    shipped weights: a change to places or cues that moves the training data must retrain the file
    (`make model`), or the shipped model and its card describe data that no longer exists."""
    shipped = scenes.load_scenes()
    data, skipped = scenes.examples()
    assert (len(data), skipped) == (shipped.card["events"], shipped.card["set_aside"])
    assert sum(len(e.tied) > 1 for e in data) == shipped.card["cv"]["undecided_events"]
    trained = scenes.train(data, {})
    assert trained.card["l2"] == shipped.card["l2"]
    np.testing.assert_allclose(trained.weights, shipped.weights, atol=1e-6)


def test_the_model_only_decides_where_the_rules_cues_tie():
    """A locative against a bare name is decided by the rules, whatever the model prefers."""
    model = _model({"side=before": 9.0})
    cue = "أعلنت دمشق أن طائرات حربية قصفت مواقع في إدلب، ما أدى إلى مقتل خمسة مدنيين."
    coded = code_text(cue, scene_model=model, min_confidence=0)
    assert coded and all(e.location.chosen_by != "learned" for e in coded if e.location)


def test_scene_setting_names(tmp_path):
    assert scenes.scene_choice("rules") == (None, "nearest") == scenes.scene_choice(None)
    model, ties = scenes.scene_choice("learned")
    assert isinstance(model, scenes.SceneModel) and ties == "nearest"
    assert scenes.scene_choice("cautious") == (None, "inherit")
    with pytest.raises(UsageError, match="learned, rules, cautious"):
        scenes.scene_choice("best")


def test_the_team_scene_sentences_are_well_formed():
    rows = [
        json.loads(line)
        for line in scenes.default_data().joinpath("scene_sentences.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(rows) >= 150 and len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["events"], r["id"]
        for e in r["events"]:
            assert e["trigger"] in r["text"], r["id"]
            assert e["scene"] is None or e["scene"] in r["text"], r["id"]
            assert e["class"], r["id"]


def test_the_scene_agreement_sample_is_complete_and_scored():
    from marsad.learn import agreement

    report = agreement.scene_agreement()
    assert report["events"] == agreement.SCENE_SIZE
    assert 0.0 <= report["scene_agreement"] <= 1.0
    later = agreement.scene_agreement(agreement.SCENES_LATER, agreement.SCENE_SECOND_LATER)
    assert later["events"] == agreement.SCENE_SIZE_LATER


def test_cautious_gives_no_sentence_place_to_a_tie_of_bare_names_but_keeps_a_list():
    tie = "أعلنت إيران أمس التوصل إلى اتفاق مع الولايات المتحدة بشأن تبادل السجناء."
    rules = [e for e in code_text(tie, min_confidence=0, scenes="rules") if e.event_type == "AGREE"]
    cautious = [e for e in code_text(tie, min_confidence=0, scenes="cautious") if e.event_type == "AGREE"]
    assert rules and rules[0].location.basis == "sentence" and rules[0].location.chosen_by == "nearest"
    assert cautious and all(e.location is None or e.location.basis != "sentence" for e in cautious)
    listed = "أضرب المعلمون أمس وشمل الإضراب الرباط والدار البيضاء وفاس."
    a = [e.location.name_en for e in code_text(listed, min_confidence=0, scenes="rules") if e.location]
    b = [e.location.name_en for e in code_text(listed, min_confidence=0, scenes="cautious") if e.location]
    assert a == b and len(a) >= 2
    with pytest.raises(UsageError, match="scenes 'sometimes'"):
        code_text(tie, scenes="sometimes")


def test_a_none_score_leaves_the_sentence_places_and_says_so():
    text = (
        "بغداد - تظاهر المئات أمس. وقال مسؤول في دمشق إن طائرات حربية قصفت مواقع في إدلب، ما أدى إلى مقتل خمسة مدنيين."
    )
    assault = [
        e for e in code_text(text, min_confidence=0, scene_model=_model({"none": 9.0})) if e.event_type == "ASSAULT"
    ]
    assert assault
    place = assault[0].location
    assert (place.name_en, place.basis, place.chosen_by) == ("Baghdad", "paragraph", "none-here")
    rules = [e for e in code_text(text, min_confidence=0, scenes="rules") if e.event_type == "ASSAULT"]
    assert rules[0].location.basis == "sentence"


def test_training_learns_when_none_of_the_places_is_the_scene():
    data = [
        scenes.SceneExample(
            f"e{i}", f"g{i}", (("a",), ("b",), ("none", "none:all-bare") if i % 2 else ("none",)), 2 if i % 2 else 0,
            (0, 1), "x", (0, 1),
        )
        for i in range(24)
    ]  # fmt: skip
    figures = scenes.cross_validate(data, k=4)
    assert figures["rules"] == 0.5 and figures["undecided_only"] == 1.0


def test_a_list_a_locative_governs_is_never_none_but_a_list_of_actors_may_be():
    model = _model({"none": 9.0})
    scenes_list = "وانطلقت تظاهرات في عدد من الدول الأوروبية والولايات المتحدة وكندا تضامنا مع المحتجين."
    places = [e.location.name_en for e in code_text(scenes_list, scene_model=model, min_confidence=0) if e.location]
    assert {"United States", "Canada"} <= set(places)
    actors = "ورحبت السعودية والإمارات أمس بالاتفاق بين إيران والولايات المتحدة."
    rules = code_text(actors, min_confidence=0, scenes="rules")
    assert rules and all(e.location is not None and e.location.basis == "sentence" for e in rules)
    coded = code_text(actors, scene_model=model, min_confidence=0)
    assert coded and all(e.location is None or e.location.basis != "sentence" for e in coded)
