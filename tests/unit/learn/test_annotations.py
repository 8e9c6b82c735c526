"""The team's annotated sentences follow docs/annotation.md, and agreement is measured right."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from marsad.learn.agreement import SECOND, agreement, cohen_kappa
from marsad.learn.build import default_annotations, default_argument_annotations
from marsad.learn.data_sources import load_team
from marsad.ontology import EVENT_TYPES, MODES

STATUSES = {"reported", "named", "detail", "hypothetical", "negated"}
FILES = sorted(default_annotations().glob("*.jsonl")) + sorted(default_argument_annotations().glob("*.jsonl"))
# Written like the others, read by no training: a test of the argument ranker (bench/constructions.py).
CONSTRUCTIONS = sorted((default_annotations().parent / "constructions").glob("*.jsonl"))


def _records(files: list = FILES) -> list[dict]:
    return [json.loads(line) for path in files for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_the_construction_sets_follow_the_guideline_and_share_no_id_or_doc() -> None:
    tests, training = _records(CONSTRUCTIONS), _records()
    assert CONSTRUCTIONS and tests
    assert len({r["id"] for r in tests}) == len(tests)
    assert not {r["id"] for r in tests} & {r["id"] for r in training}
    assert not {r["doc"] for r in tests} & {r["doc"] for r in training}
    for r in tests:
        for e in r["events"]:
            assert e["type"] in EVENT_TYPES and e["status"] in STATUSES, r["id"]
            for role in ("trigger", "source", "target"):
                assert e.get(role) is None or e[role] in r["text"], (r["id"], role, e.get(role))


def test_every_annotation_follows_the_guideline() -> None:
    records = _records()
    assert len(records) >= 1500
    assert len({r["id"] for r in records}) == len(records), "ids are unique"
    for r in records:
        assert set(r) >= {"id", "doc", "domain", "text", "events"}, r["id"]
        for e in r["events"]:
            assert e["type"] in EVENT_TYPES, r["id"]
            assert e["mode"] is None or e["mode"] in MODES.get(e["type"], ()), (r["id"], e["mode"])
            assert e["status"] in STATUSES, r["id"]
            for role in ("trigger", "source", "target"):
                assert e.get(role) is None or e[role] in r["text"], (r["id"], role, e.get(role))
            assert e["trigger"], r["id"]


def test_a_document_is_contiguous() -> None:
    seen: list[str] = []
    for r in _records():
        if not seen or seen[-1] != r["doc"]:
            assert r["doc"] not in seen, f"doc {r['doc']} is split"
            seen.append(r["doc"])


def test_the_set_covers_every_type_and_the_hard_negatives() -> None:
    events = [e for r in _records() for e in r["events"]]
    reported = Counter(e["type"] for e in events if e["status"] == "reported")
    assert set(reported) == set(EVENT_TYPES), "every PLOVER type has reported examples"
    not_reported = Counter(e["status"] for e in events if e["status"] != "reported")
    assert all(not_reported[s] >= 30 for s in STATUSES - {"reported"})
    classes = Counter(e.get("class") for e in events)
    for hard in ("trial", "charge", "investigation", "anniversary", "background", "commentary", "detail",
                 "call", "plan", "negation", "denial", "foiled"):  # fmt: skip
        assert classes[hard] >= 5, hard
    domains = Counter(r["domain"] for r in _records())
    assert all(domains[d] >= 25 for d in ("sports", "economy", "culture", "weather", "accident"))


def test_team_items_number_sentences_within_their_document() -> None:
    items = load_team(default_annotations())
    first = next(i for i in items if i.group == items[0].group and i.index == 1)
    assert first.group.startswith("team:")


def test_cohen_kappa_known_values() -> None:
    assert cohen_kappa(["a", "b", "a", "b"], ["a", "b", "a", "b"]) == 1.0
    # observed 0.5, expected 0.5 -> kappa 0
    assert cohen_kappa(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == 0.0
    # 20 items: 15 agree; marginals a: 10/10 and 11/9 -> pe = (10*11 + 10*9)/400 = 0.5
    a = ["a"] * 10 + ["b"] * 10
    b = ["a"] * 8 + ["b"] * 2 + ["a"] * 3 + ["b"] * 7
    assert cohen_kappa(a, b) == pytest.approx((0.75 - 0.5) / 0.5)


def test_the_second_annotation_is_complete_and_scored() -> None:
    result = agreement(FILES, SECOND)
    assert result["pairs"] == 200
    assert 0.0 <= result["kappa_status"] <= 1.0


def test_the_argument_samples_are_complete_and_scored() -> None:
    from marsad.learn.agreement import ARGUMENT_SECONDS

    data = SECOND.parent.parent
    seconds = [SECOND.parent / name for name in ARGUMENT_SECONDS.values()]
    for name, second in zip(ARGUMENT_SECONDS, seconds, strict=True):
        sample = second.with_name(second.name.replace("second", "sample"))
        assert len(sample.read_text(encoding="utf-8").splitlines()) == len(
            second.read_text(encoding="utf-8").splitlines()
        )
        assert (data / name).is_file()
    result = agreement([data / name for name in ARGUMENT_SECONDS], seconds)
    assert result["pairs"] == 230
    assert 0.0 <= result["source_span_agreement"] <= 1.0


def test_the_protest_target_sample_is_the_seeded_draw_and_is_scored() -> None:
    from marsad.learn import agreement as a

    sample = [json.loads(line) for line in a.PROTEST_TARGET_SAMPLE.read_text(encoding="utf-8").splitlines()]
    assert sample == a.draw(a.team_files(), a.PROTEST_TARGET_SIZE, a.PROTEST_TARGET_SEED, "PROTEST")
    assert all(row["type"] == "PROTEST" for row in sample)
    result = a.target_agreement(a.team_files(), a.PROTEST_TARGET_SECOND)
    assert result["pairs"] == a.PROTEST_TARGET_SIZE
    assert 0.0 <= result["target_agreement"] <= 1.0


def test_target_agreement_counts_overlapping_spans_and_shared_nones(tmp_path) -> None:
    from marsad.learn.agreement import target_agreement

    first = tmp_path / "first.jsonl"
    text = "تظاهر العمال أمام مقر الحكومة ضد قرار الوزارة."
    events = [{"type": "PROTEST", "status": "reported", "trigger": "تظاهر", "source": "العمال", "target": "الحكومة"},
              {"type": "PROTEST", "status": "reported", "trigger": "تظاهر", "source": "العمال", "target": None}]  # fmt: skip
    first.write_text(json.dumps({"id": "x-1", "text": text, "events": events}, ensure_ascii=False) + "\n")
    second = tmp_path / "second.jsonl"
    rows = [{"id": "x-1", "event": 0, "target": "مقر الحكومة"}, {"id": "x-1", "event": 1, "target": "الوزارة"}]
    second.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    assert target_agreement([first], second) == {
        "pairs": 2,
        "target_agreement": 0.5,
        "named_first": 1,
        "named_second": 2,
    }


def test_a_second_annotation_of_an_event_the_files_lack_is_named_in_the_error(tmp_path) -> None:
    from marsad.errors import InputError
    from marsad.learn.agreement import target_agreement

    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps({"id": "x-1", "text": "تظاهر العمال.", "events": []}, ensure_ascii=False) + "\n")
    second = tmp_path / "second.jsonl"
    second.write_text(json.dumps({"id": "x-1", "event": 0, "target": None}) + "\n")
    with pytest.raises(InputError, match="'x-1' event 0"):
        target_agreement([first], second)


def test_a_missing_annotation_directory_is_an_error_not_a_silent_gold_only_model(tmp_path) -> None:
    from marsad.errors import InputError

    with pytest.raises(InputError, match="--annotations DIR or --no-team"):
        load_team(tmp_path / "nowhere")


def test_the_attack_agents_sample_is_the_seeded_draw() -> None:
    from marsad.learn.agreement import draw

    sample = [json.loads(line) for line in (SECOND.parent / "aa_sample.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sample == draw([SECOND.parent.parent / "constructions" / "attack_agents.jsonl"], 50, 2042)
