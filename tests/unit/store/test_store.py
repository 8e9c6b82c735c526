"""The store on both backends: schema, atomic per-article writes, deduplication, queries."""

import sqlite3

import pytest

from marsad.errors import UsageError
from marsad.model import Article
from marsad.store import EventFilter, open_store
from marsad.store.schema import CURRENT, MIGRATIONS

CAIRO = {"text": "القاهرة", "start": 30, "end": 37, "name_ar": "القاهرة", "name_en": "Cairo", "geonameid": 360630,
         "country_iso2": "EG", "country_iso3": "EGY", "admin1": "Al Qāhirah", "lat": 30.06, "lon": 31.25,
         "precision": 1, "feature": "city", "basis": "sentence"}  # fmt: skip
AMMAN = {**CAIRO, "text": "عمان", "name_ar": "عمان", "name_en": "Amman", "geonameid": 250441, "country_iso2": "JO",
         "country_iso3": "JOR", "admin1": "Amman", "lat": 31.95, "lon": 35.93}  # fmt: skip
STUDENTS = {"text": "الطلاب", "country": None, "role": "EDU", "name_en": "students", "start": 11, "end": 17}
TEXT = "تظاهر مئات الطلاب أمام الوزارة في القاهرة أمس."


def record(article_id, *, event_type="PROTEST", mode="demo", date="2024-03-01", place=CAIRO, negated=False,
           size=None, trigger=(0, 5)):  # fmt: skip
    return {
        "article_id": article_id, "event_type": event_type, "mode": mode, "quad_class": 4, "source": STUDENTS,
        "target": None, "location": place, "date": date, "time_precision": 1 if date else None,
        "date_source": None, "size": size, "fatalities": None, "injuries": None,
        "evidence": {"sentence": TEXT, "start": 0, "end": len(TEXT), "trigger": "تظاهر",
                     "trigger_start": trigger[0], "trigger_end": trigger[1]},
        "trigger_gloss": "demonstrate", "negated": negated, "hypothetical": False, "confidence": 0.9,
    }  # fmt: skip


def article(aid, text=TEXT, source="alwatan"):
    return Article(id=aid, text=text, date="2024-03-02", title="عنوان", source=source, url=f"https://x.example/{aid}")


def test_empty_database_migrates_to_current_version(store_url):
    with open_store(store_url) as store:
        assert store.schema_version() == CURRENT == 6
        assert store.counts() == {"articles": 0, "mentions": 0, "events": 0}
    with open_store(store_url) as store:  # reopening applies nothing twice
        rows = store.db.read("SELECT version, name FROM schema_version ORDER BY version")
        assert rows == [(n, name) for n, (name, _) in enumerate(MIGRATIONS, start=1)]


def test_v0_sqlite_file_with_unrelated_tables_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x TEXT)")
    conn.commit()
    conn.close()
    with open_store(f"sqlite:///{path}") as store:
        assert store.schema_version() == CURRENT
        assert store.db.read("PRAGMA journal_mode") == [("wal",)]
        assert store.db.read("PRAGMA foreign_keys") == [(1,)]


def test_newer_schema_is_refused(tmp_path):
    path = str(tmp_path / "new.db")
    with open_store(path) as store:
        store.db.execute("INSERT INTO schema_version (version, name) VALUES (99, 'future')")
    with pytest.raises(Exception, match=r"\[E401\].*v99 is newer"):
        open_store(path)


def test_article_mentions_and_event_are_stored_together(store_url):
    with open_store(store_url) as store:
        result = store.add_article(article("a1"), [record("a1")], lexicon_version="v1")
        assert (result.outcome, result.mentions) == ("stored", 1)
        assert store.counts() == {"articles": 1, "mentions": 1, "events": 1}
        row = store.db.read("SELECT event_type, mode, date, country_iso3, geonameid, source_role, trigger_start, "
                            "trigger_end, negated FROM mentions")  # fmt: skip
        assert row == [("PROTEST", "demo", "2024-03-01", "EGY", 360630, "EDU", 0, 5, False)] or row == [
            ("PROTEST", "demo", "2024-03-01", "EGY", 360630, "EDU", 0, 5, 0)
        ]


def test_same_article_twice_is_a_duplicate(store_url):
    with open_store(store_url) as store:
        store.add_article(article("a1"), [record("a1")], lexicon_version="v1")
        assert store.add_article(article("a1"), [record("a1")], lexicon_version="v1").outcome == "duplicate"
        assert store.counts() == {"articles": 1, "mentions": 1, "events": 1}


def test_same_text_under_another_id_is_a_duplicate_by_content_hash(store_url):
    from marsad.store.store import content_hash

    with open_store(store_url) as store:
        store.add_article(article("a1"), [record("a1")], lexicon_version="v1")
        copy = article("other-id", text="  تَظاهر مئات الطلاب أمام الوزارة في القاهرة أمس.\n")  # diacritic, spaces
        assert store.duplicate_reason(copy, content_hash(copy.text)) == "duplicate"
        assert store.add_article(copy, [record("other-id")], lexicon_version="v1").outcome == "duplicate"
        assert store.counts()["articles"] == 1


def test_same_id_from_another_source_is_an_id_conflict(store_url):
    from marsad.store.store import content_hash

    with open_store(store_url) as store:
        store.add_article(article("a1"), [], lexicon_version="v1")
        other = article("a1", text="اعتقلت الشرطة عشرة ناشطين في عمان.", source="alghad")
        assert store.duplicate_reason(other, content_hash(other.text)) == "id-conflict:alwatan"


def test_a_failure_inside_the_article_transaction_leaves_nothing(store_url):
    broken = record("a1")
    del broken["evidence"]
    with open_store(store_url) as store:
        with pytest.raises(KeyError):
            store.add_article(article("a1"), [record("a1"), broken], lexicon_version="v1")
        assert store.counts() == {"articles": 0, "mentions": 0, "events": 0}
        assert store.db.read("SELECT COUNT(*) FROM places") == [(0,)] == store.db.read("SELECT COUNT(*) FROM actors")
        assert store.add_article(article("a1"), [record("a1")], lexicon_version="v1").outcome == "stored"
        assert [(p["name_en"], p["event_count"]) for p in store.places()] == [("Cairo", 1)]


def test_two_outlets_reporting_one_protest_make_one_event_with_two_sources(store_url):
    with open_store(store_url) as store:
        store.add_article(article("a1"), [record("a1", size={"text": "مئات", "start": 6, "end": 10, "min": 200,
                                                              "max": 999})], lexicon_version="v1")  # fmt: skip
        store.add_article(article("b1", text=TEXT + " وهتفوا ضد الغلاء.", source="alghad"), [record("b1")],
                          lexicon_version="v1")  # fmt: skip
        store.add_article(article("c1", text="تظاهر طلاب في عمان.", source="alghad"), [record("c1", place=AMMAN)],
                          lexicon_version="v1")  # fmt: skip
        events = list(store.iter_events())
        assert store.counts() == {"articles": 3, "mentions": 3, "events": 2}
        cairo = next(e for e in events if e["country_iso3"] == "EGY")
        assert cairo["source_count"] == 2
        assert [m["article_id"] for m in cairo["mentions"]] == ["a1", "b1"]
        assert [m["article_source"] for m in cairo["mentions"]] == ["alwatan", "alghad"]
        assert cairo["size"]["min"] == 200 and cairo["location"]["name_en"] == "Cairo"
        assert cairo["source"]["role"] == "EDU"


def test_iter_events_shape(store_url):
    with open_store(store_url) as store:
        store.add_article(article("a1"), [record("a1")], lexicon_version="v1")
        (event,) = store.iter_events()
    assert set(event) == {"event_id", "event_key", "event_type", "mode", "date", "time_precision", "location",
                          "country_iso3", "source", "target", "size", "fatalities", "injuries", "source_count",
                          "mentions", "review"}  # fmt: skip
    assert (event["event_type"], event["mode"], event["date"], event["time_precision"]) == (
        "PROTEST", "demo", "2024-03-01", 1)  # fmt: skip
    (mention,) = event["mentions"]
    assert set(mention) == {"mention_id", "article_id", "article_source", "url", "date", "record"}
    assert mention["record"] == record("a1")
    assert (mention["url"], mention["date"]) == ("https://x.example/a1", "2024-03-02")


def test_negated_mentions_are_stored_but_found_no_event(store_url):
    with open_store(store_url) as store:
        store.add_article(article("a1"), [record("a1", negated=True)], lexicon_version="v1")
        assert store.counts() == {"articles": 1, "mentions": 1, "events": 0}
        assert store.db.read("SELECT event_id FROM mentions") == [(None,)]


def test_replacing_mentions_recomputes_events_and_keeps_the_article(store_url):
    with open_store(store_url) as store:
        store.add_article(article("a1"), [record("a1")], lexicon_version="v1")
        store.replace_mentions("a1", [record("a1", event_type="STRIKE", mode="strike")], lexicon_version="v2")
        assert store.counts() == {"articles": 1, "mentions": 1, "events": 1}
        assert [e["event_type"] for e in store.iter_events()] == ["STRIKE"]
        assert store.stale_articles("v2") == []
        assert [a.id for a in store.stale_articles("v3")] == ["a1"]


@pytest.fixture
def filled(store_url):
    with open_store(store_url) as store:
        store.add_article(article("a1"), [record("a1")], lexicon_version="v1")
        store.add_article(article("c1", text="تظاهر طلاب في عمان.", source="alghad"),
                          [record("c1", place=AMMAN, date="2024-02-10", event_type="STRIKE", mode="strike")],
                          lexicon_version="v1")  # fmt: skip
    return store_url


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (EventFilter(), ["EGY", "JOR"]),
        (EventFilter(event_type="protest"), ["EGY"]),
        (EventFilter(mode="strike"), ["JOR"]),
        (EventFilter(country="jor"), ["JOR"]),
        (EventFilter(since="2024-03-01"), ["EGY"]),
        (EventFilter(until="2024-02"), ["JOR"]),
        (EventFilter(place="amm"), ["JOR"]),
        (EventFilter(place="القاهرة"), ["EGY"]),
        (EventFilter(actor="EDU"), ["EGY", "JOR"]),
        (EventFilter(actor="طلاب"), ["EGY", "JOR"]),
        (EventFilter(text="الوزارة"), ["EGY", "JOR"]),
        (EventFilter(limit=1), ["EGY"]),
    ],
)
def test_event_filters(filled, filters, expected):
    with open_store(filled) as store:
        assert [e["country_iso3"] for e in store.iter_events(filters)] == expected


INJECTIONS = ["x' OR '1'='1", "'; DROP TABLE events; --", "%", "_", "\\", '" OR 1=1 --', "2024-01-01' OR 'a'='a"]


@pytest.mark.parametrize("attack", INJECTIONS)
def test_sql_injection_in_every_filter_matches_nothing_and_drops_nothing(filled, attack):
    with open_store(filled) as store:
        for name in ("event_type", "mode", "country", "place", "actor", "text"):
            assert list(store.iter_events(EventFilter(**{name: attack}))) == [], name
        for name in ("since", "until"):
            with pytest.raises(UsageError):
                list(store.iter_events(EventFilter(**{name: attack})))
        assert store.counts() == {"articles": 2, "mentions": 2, "events": 2}


def test_recoding_a_founding_article_whose_event_survives_gets_a_fresh_event_key(store_url):
    with open_store(store_url) as store:
        store.add_article(article("a1"), [record("a1")], lexicon_version="v1")
        store.add_article(article("b1", text=TEXT + " ثانية", source="alghad"), [record("b1")], lexicon_version="v1")
        (kept,) = [e["event_key"] for e in store.iter_events()]
        store.replace_mentions("a1", [record("a1", place=AMMAN)], lexicon_version="v2")
        keys = {e["country_iso3"]: e["event_key"] for e in store.iter_events()}
        assert keys == {"EGY": kept, "JOR": f"{kept}-1"}


POLICE = {"text": "الشرطة", "country": "EGY", "role": "COP", "name_en": "police", "start": 0, "end": 6}
UNKNOWN_VILLAGE = {**CAIRO, "text": "كفر الشيخ", "name_ar": "كفر الشيخ", "name_en": "Kafr El Sheikh",
                   "geonameid": None, "lat": None, "lon": None}  # fmt: skip


def test_places_and_actors_are_one_row_each_and_mentions_and_events_point_to_them(store_url):
    arrest = {**record("b1", event_type="ARREST", mode="arrest", trigger=(7, 12)), "source": POLICE,
              "target": STUDENTS}  # fmt: skip
    with open_store(store_url) as store:
        store.add_article(article("a1"), [record("a1")], lexicon_version="v1")
        store.add_article(article("b1", text=TEXT + " واعتقلت الشرطة طلابا.", source="alghad"),
                          [record("b1"), arrest], lexicon_version="v1")  # fmt: skip
        store.add_article(article("c1", text="تظاهر طلاب في عمان.", source="alghad"), [record("c1", place=AMMAN)],
                          lexicon_version="v1")  # fmt: skip
        assert store.db.read("SELECT place_key, geonameid, name_en, country_iso3, precision FROM places ORDER BY id") == [
            ("g:360630", 360630, "Cairo", "EGY", 1), ("g:250441", 250441, "Amman", "JOR", 1)]  # fmt: skip
        assert store.db.read("SELECT text, name_en, country, role FROM actors ORDER BY id") == [
            ("الطلاب", "students", None, "EDU"), ("الشرطة", "police", "EGY", "COP")]  # fmt: skip
        rows = store.db.read("SELECT p.name_en, s.name_en, t.name_en FROM mentions m JOIN places p ON p.id = m.place_id "
                             "JOIN actors s ON s.id = m.source_actor_id LEFT JOIN actors t ON t.id = m.target_actor_id "
                             "ORDER BY m.id")  # fmt: skip
        assert rows == [("Cairo", "students", None), ("Cairo", "students", None), ("Cairo", "police", "students"),
                        ("Amman", "students", None)]  # fmt: skip
        assert store.db.read("SELECT e.event_type, p.name_en FROM events e JOIN places p ON p.id = e.place_id "
                             "ORDER BY e.id") == [("PROTEST", "Cairo"), ("ARREST", "Cairo"), ("PROTEST", "Amman")]  # fmt: skip
        assert [(p["name_en"], p["event_count"]) for p in store.places()] == [("Cairo", 2), ("Amman", 1)]
        assert [p["name_en"] for p in store.places("عمان")] == ["Amman"] == [p["name_en"] for p in store.places("jor")]
        assert [(a["name_en"], a["event_count"]) for a in store.actors()] == [("students", 3), ("police", 1)]
        assert [a["name_en"] for a in store.actors("COP", limit=5)] == ["police"]
        assert store.actors("طلاب") == [{"actor_id": 1, "text": "الطلاب", "name_en": "students", "country": None,
                                          "role": "EDU", "event_count": 3}]  # fmt: skip
        assert store.actors(limit=1)[0]["name_en"] == "students" and store.places("%") == []


def test_a_place_without_geonameid_is_keyed_by_name_and_country(store_url):
    with open_store(store_url) as store:
        store.add_article(article("a1"), [record("a1", place=UNKNOWN_VILLAGE)], lexicon_version="v1")
        store.add_article(article("b1", text=TEXT + " ثانية"), [record("b1", place=UNKNOWN_VILLAGE, negated=True)],
                          lexicon_version="v1")  # fmt: skip
        assert store.db.read("SELECT id, place_key, geonameid FROM places") == [(1, "n:Kafr El Sheikh|EGY", None)]
        assert store.db.read("SELECT place_id FROM mentions ORDER BY id") == [(1,), (1,)]
        assert [(p["name_ar"], p["event_count"]) for p in store.places()] == [("كفر الشيخ", 1)]


def test_recoding_moves_the_event_to_the_new_place_and_keeps_the_old_place_row(store_url):
    with open_store(store_url) as store:
        store.add_article(article("a1"), [record("a1")], lexicon_version="v1")
        store.replace_mentions("a1", [record("a1", place=AMMAN)], lexicon_version="v2")
        assert [(p["name_en"], p["event_count"]) for p in store.places()] == [("Amman", 1), ("Cairo", 0)]
    with open_store(store_url) as store:  # a new process finds existing rows instead of inserting them again
        store.add_article(article("b1", text=TEXT + " ثانية", source="alghad"), [record("b1")], lexicon_version="v1")
        assert store.db.read("SELECT COUNT(*) FROM places") == [(2,)]
        assert store.db.read("SELECT COUNT(*) FROM actors") == [(1,)]
