"""Reviews on both backends: rows beside the machine coding, the current view, versions and conflicts,
reviews that survive re-coding (relinked to their span, flagged when the coding changed, listed when
detached), the review filters, statistics and queue, and the v5 → v6 migration."""

import threading

import pytest

from marsad.errors import UsageError
from marsad.model import Article
from marsad.store import EventFilter, open_store, schema
from marsad.store.reviews import ReviewConflict, ReviewIn
from tests.unit.store.test_store import AMMAN, CAIRO, TEXT, article, record

TWO = "تظاهر مئات الطلاب أمام الوزارة في القاهرة أمس. واعتقلت الشرطة عشرة منهم في عمان."


def arrest(aid: str, **kw: object) -> dict:
    r = record(aid, event_type="COERCE", mode="arrest", place=AMMAN, trigger=(50, 57), **kw)
    r["evidence"] = {**r["evidence"], "start": 48, "end": len(TWO), "sentence": TWO[48:], "trigger": TWO[50:57]}
    r["confidence"] = 0.5
    return r


def seeded(url: str) -> tuple[int, int]:
    """One article, two events (a protest in Cairo, an arrest in Amman); their ids."""
    with open_store(url) as store:
        store.add_article(article("a1", text=TWO), [record("a1"), arrest("a1")], lexicon_version="v1")
        ids = store.event_ids_of("a1")
    return ids[0], ids[1]


def test_a_review_is_a_row_beside_the_coding_and_the_view_lays_it_over(store_url):
    protest, _ = seeded(store_url)
    with open_store(store_url) as store:
        before = store.db.read("SELECT * FROM events ORDER BY id")
        loaded = store.event(protest)
        changes = {"fatalities": {"min": 2, "max": 2}, "location": {"name_en": "Amman", "name_ar": "عمان",
                   "geonameid": 250441, "lat": 31.95, "lon": 35.93, "country_iso3": "JOR"}}  # fmt: skip
        view = store.review(protest, loaded["version"], ReviewIn("amal", "corrected", changes=changes))
        assert store.db.read("SELECT * FROM events ORDER BY id") == before  # the machine coding is untouched
        assert view["fatalities"] == {"min": 2, "max": 2} and view["country_iso3"] == "JOR"
        assert view["machine"]["fatalities"] is None and view["machine"]["location"]["name_en"] == "Cairo"
        assert view["review"]["changes"]["location"]["old"]["name_en"] == "Cairo"
        assert (view["review"]["status"], view["review"]["reviewer"]) == ("corrected", "amal")
        assert view["version"] != loaded["version"]
        (row,) = store.db.read("SELECT article_id, sentence_start, trigger_start, trigger_end, event_type, verdict "
                               "FROM reviews")  # fmt: skip
        assert row == ("a1", 0, 0, 5, "PROTEST", "corrected")
        view = store.review(protest, view["version"], ReviewIn("omar", "confirmed"))
        assert view["fatalities"] is None and view["review"]["status"] == "confirmed"  # the latest review wins
        assert [r["verdict"] for r in view["reviews"]] == ["corrected", "confirmed"]  # and none is lost


def test_a_review_against_an_old_version_is_refused_with_the_current_one(store_url):
    protest, _ = seeded(store_url)
    with open_store(store_url) as store:
        version = store.event(protest)["version"]
        now = store.review(protest, version, ReviewIn("amal", "rejected", reason="duplicate"))["version"]
        with pytest.raises(ReviewConflict) as refused:
            store.review(protest, version, ReviewIn("omar", "confirmed"))
        assert refused.value.version == now
        assert len(store.event(protest)["reviews"]) == 1


def test_two_reviewers_at_once_on_one_event_one_wins_the_other_gets_a_conflict(store_url):
    protest, _ = seeded(store_url)
    with open_store(store_url) as store:
        version = store.event(protest)["version"]
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def reviewer(name: str) -> None:
        with open_store(store_url) as own:
            start.wait()
            try:
                own.review(protest, version, ReviewIn(name, "confirmed"))
                outcomes.append("stored")
            except ReviewConflict:
                outcomes.append("conflict")

    threads = [threading.Thread(target=reviewer, args=(f"r{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "stored"]
    with open_store(store_url) as store:
        assert len(store.event(protest)["reviews"]) == 1
        assert len(store.audit_log()) == 1


@pytest.mark.parametrize(
    ("review", "message"),
    [
        (ReviewIn("amal", "rejected"), "needs a reason"),
        (ReviewIn("amal", "confirmed", reason="duplicate"), "only a rejection"),
        (ReviewIn("amal", "corrected"), "at least one"),
        (ReviewIn("amal", "corrected", changes={"mode": "riot", "colour": "red"}), "cannot correct colour"),
        (ReviewIn("amal", "corrected", changes={"mode": "airstrike"}), "not a mode of PROTEST"),
        (ReviewIn("amal", "corrected", changes={"event_type": "ASSAULT", "mode": "demo"}), "not a mode of ASSAULT"),
        (ReviewIn("amal", "corrected", changes={"source": {"text": "x", "role": "XYZ"}}), "role 'XYZ'"),
        (ReviewIn("amal", "corrected", changes={"size": {"min": 5, "max": 2}}), "more than max"),
        (ReviewIn("amal", "corrected", changes={"date": "1 March"}), "YYYY-MM-DD"),
        (ReviewIn("amal", "corrected", changes={"mode": "demo"}), "changes nothing"),
    ],
)
def test_a_review_that_makes_no_sense_is_refused_and_nothing_is_written(store_url, review, message):
    protest, _ = seeded(store_url)
    with open_store(store_url) as store:
        with pytest.raises(UsageError, match=message):
            store.review(protest, store.event(protest)["version"], review)
        assert store.db.read("SELECT COUNT(*) FROM reviews") == [(0,)]
        assert store.db.read("SELECT COUNT(*) FROM audit_log") == [(0,)]


def test_reviews_survive_recode_on_their_span_and_flag_a_changed_coding(store_url):
    protest, arrested = seeded(store_url)
    with open_store(store_url) as store:
        store.review(protest, store.event(protest)["version"], ReviewIn("amal", "confirmed"))
        store.review(arrested, store.event(arrested)["version"], ReviewIn("amal", "rejected", reason="wrong-type"))
        # a new model: the protest is now placed in Amman, the arrest is gone, nothing else changes
        store.replace_mentions("a1", [record("a1", place=AMMAN)], lexicon_version="v2")
        (event_id,) = store.event_ids_of("a1")
        event = store.event(event_id)
        assert event["review"]["status"] == "confirmed" and event["review"]["coding_changed"] is True
        (lost,) = store.detached_reviews()
        assert (lost["verdict"], lost["anchor_type"], lost["span"]["trigger_start"]) == ("rejected", "COERCE", 50)
        assert store.review_flags() == {"attached": 1, "coding_changed": 1, "detached": 1}
        # the old coding comes back (e.g. the model is rolled back): the rejection is attached again
        store.replace_mentions("a1", [record("a1"), arrest("a1")], lexicon_version="v3")
        found = {store.event(e)["event_type"]: store.event(e)["review"] for e in store.event_ids_of("a1")}
        assert found["COERCE"]["status"] == "rejected" and found["PROTEST"]["coding_changed"] is False
        assert store.detached_reviews() == []


def test_a_recode_that_moves_the_trigger_keeps_the_review_on_the_same_sentence_and_type(store_url):
    protest, _ = seeded(store_url)
    with open_store(store_url) as store:
        store.review(protest, store.event(protest)["version"], ReviewIn("amal", "confirmed"))
        store.replace_mentions("a1", [record("a1", trigger=(6, 10))], lexicon_version="v2")
        (event_id,) = store.event_ids_of("a1")
        assert store.event(event_id)["review"]["status"] == "confirmed"


def test_filters_stats_and_queue_follow_the_reviews(store_url):
    protest, arrested = seeded(store_url)
    with open_store(store_url) as store:
        thresholds = {"PROTEST": 0.5, "*": 0.45}
        # the arrest (p=0.5, threshold 0.45) is nearer its threshold than the protest (p=0.9, threshold 0.5)
        assert store.next_unreviewed(EventFilter(), thresholds)["event_id"] == arrested
        assert store.next_unreviewed(EventFilter(), thresholds, skip=[arrested])["event_id"] == protest
        store.review(arrested, store.event(arrested)["version"], ReviewIn("amal", "rejected", reason="not-political"))
        assert store.next_unreviewed(EventFilter(), thresholds)["event_id"] == protest
        store.review(protest, store.event(protest)["version"],
                     ReviewIn("amal", "corrected", changes={"size": {"min": 300, "max": 300}}))  # fmt: skip
        assert store.next_unreviewed(EventFilter(), thresholds) is None
        ids = {s: [e["event_id"] for e in store.iter_events(EventFilter(review=s))]
               for s in ("unreviewed", "confirmed", "corrected", "rejected", "reviewed", "any")}  # fmt: skip
        assert ids == {"unreviewed": [], "confirmed": [], "corrected": [protest], "rejected": [arrested],
                       "reviewed": [protest], "any": sorted([protest, arrested])}  # fmt: skip
        review = store.stats(EventFilter())["review"]
        assert review["by_status"] == {"confirmed": 0, "corrected": 1, "rejected": 1}
        assert review["precision_by_type"]["COERCE"]["precision"] == 0.0
        assert review["precision_by_type"]["PROTEST"] | {} == {"reviewed": 1, "confirmed": 0, "corrected": 1,
                                                               "rejected": 0, "type_right": 1, "precision": 0.0,
                                                               "type_precision": 1.0}  # fmt: skip
        assert store.stats(EventFilter(event_type="PROTEST"))["review"]["reviewed"] == 1
        with pytest.raises(UsageError):
            list(store.iter_events(EventFilter(review="maybe")))


def test_a_v5_store_with_data_migrates_to_v6_and_takes_reviews(store_url, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:5])
        patch.setattr(schema, "CURRENT", 5)
        with open_store(store_url) as old:
            old.add_article(Article(id="a1", text=TEXT, source="alwatan", date="2024-03-01"), [record("a1")],
                            lexicon_version="v1")  # fmt: skip
            old.replace_mentions("a1", [record("a1", place=CAIRO)], lexicon_version="v2")
            assert old.schema_version() == 5
    with open_store(store_url) as store:
        assert store.schema_version() == 6
        (event_id,) = store.event_ids_of("a1")
        assert store.event(event_id)["review"]["status"] == "unreviewed"
        store.review(event_id, store.event(event_id)["version"], ReviewIn("amal", "confirmed"))
        assert store.event(event_id)["review"]["status"] == "confirmed"
