"""Migrations on stores that already hold data: v1 → v2 (indexes for the API's sorts and filters),
v2 → v3 (places and actors tables, backfilled from the mention records), v3 → v4 → v5 (the text index:
per mention in v4, replaced by `event_text`, one row per event, in v5)."""

from collections.abc import Callable
from typing import Any

import pytest

from marsad.model import Article
from marsad.store import EventFilter, Store, open_store, schema
from tests.unit.store.test_search import event_text_rows, expected_event_text_rows
from tests.unit.store.test_store import AMMAN, CAIRO, POLICE, STUDENTS, TEXT, UNKNOWN_VILLAGE
from tests.unit.store.test_store import record as untyped_record

record: Callable[..., dict[str, Any]] = untyped_record

V2_INDEXES = {"events_count", "events_type_count", "events_country_count", "events_type_country_date",
              "events_type_date_count", "events_date_count"}  # fmt: skip


def _indexes(store: Store) -> set[str]:
    if store.dialect == "sqlite":
        rows = store.db.read("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'")
    else:
        rows = store.db.read("SELECT indexname FROM pg_indexes WHERE tablename = 'events'")
    return {str(name) for (name,) in rows}


V3_COLUMNS = {"place_id", "source_actor_id", "target_actor_id"}


def _copy_without_v3(source: Store, target: Store) -> None:
    """Copy articles, events and mentions without their v3 columns: the store a v1 or v2 marsad wrote."""
    for table in ("articles", "events", "mentions"):
        columns = [str(c[1]) for c in source.db.read(f"PRAGMA table_info({table})") if c[1] not in V3_COLUMNS]
        for row in source.db.read(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1"):
            values = [bool(v) if c in ("negated", "hypothetical") else v for c, v in zip(columns, row, strict=True)]
            target.db.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                              values)  # fmt: skip


def _v1_store_with_two_events(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store("sqlite://") as ingested, monkeypatch.context() as patch:
        for aid, source, day in (("a1", "alwatan", "2024-03-01"), ("a2", "alghad", "2024-03-01"),
                                 ("b1", "alwatan", "2024-05-20")):  # fmt: skip
            article = Article(id=aid, text=f"{TEXT} ({aid})", source=source, date=day)
            coded = record(aid, date=day, place=CAIRO)
            ingested.add_article(article, [coded], lexicon_version="v1")
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        patch.setattr(schema, "CURRENT", 1)
        with open_store(url) as store:
            assert store.schema_version() == 1 and not V2_INDEXES & _indexes(store)
            _copy_without_v3(ingested, store)


def test_v1_store_with_data_migrates_to_v2_and_keeps_everything(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _v1_store_with_two_events(store_url, monkeypatch)
    with open_store(store_url) as store:
        assert store.schema_version() == schema.CURRENT
        assert [v for (v,) in store.db.read("SELECT version FROM schema_version ORDER BY version")] == list(
            range(1, schema.CURRENT + 1)
        )
        assert V2_INDEXES <= _indexes(store)
        assert store.counts() == {"articles": 3, "mentions": 3, "events": 2}
        total, events = store.event_page(EventFilter(event_type="PROTEST", country="EGY"), sort="-source_count")
        assert total == 2 and [e["source_count"] for e in events] == [2, 1]
        assert events[0]["evidence"] == {"sentence": TEXT, "trigger": "تظاهر", "article_id": "a1"}
    with open_store(store_url) as store:  # reopening applies nothing twice
        assert store.db.read("SELECT COUNT(*) FROM schema_version") == [(schema.CURRENT,)]


def _add_articles(store: Store) -> None:
    """Shared places and actors, a target, a negated mention, a place without geonameid, a recode."""
    arrest = {**record("b1", event_type="ARREST", mode="arrest", trigger=(7, 12)), "source": POLICE,
              "target": STUDENTS}  # fmt: skip
    batches = [
        (Article(id="a1", text=TEXT, source="alwatan", date="2024-03-01"), [record("a1")]),
        (Article(id="b1", text=f"{TEXT} (b1)", source="alghad", date="2024-03-01"), [record("b1"), arrest]),
        (Article(id="c1", text=f"{TEXT} (c1)", source="alghad", date="2024-05-20"),
         [record("c1", place=AMMAN, date="2024-05-20", negated=True), record("c1", place=UNKNOWN_VILLAGE, trigger=(7, 9))]),
    ]  # fmt: skip
    for article, records in batches:
        store.add_article(article, records, lexicon_version="v1")
    store.replace_mentions("a1", [record("a1", place=AMMAN, date="2024-05-20")], lexicon_version="v2")


def _references(store: Store) -> tuple[list[tuple[object, ...]], ...]:
    """Places, actors and what every mention and event points to, by key (ids may differ between stores)."""
    mentions = store.db.read(
        "SELECT m.trigger_start, m.article_id, p.place_key, s.actor_key, t.actor_key FROM mentions m "
        "LEFT JOIN places p ON p.id = m.place_id LEFT JOIN actors s ON s.id = m.source_actor_id "
        "LEFT JOIN actors t ON t.id = m.target_actor_id ORDER BY m.article_id, m.trigger_start"
    )
    events = store.db.read("SELECT e.event_key, p.place_key FROM events e LEFT JOIN places p ON p.id = e.place_id "
                           "ORDER BY e.event_key")  # fmt: skip
    places = store.db.read("SELECT place_key, geonameid, name_ar, name_en, country_iso3, admin1, lat, lon, feature, "
                           "precision FROM places ORDER BY place_key")  # fmt: skip
    actors = store.db.read("SELECT actor_key, text, name_en, country, role FROM actors ORDER BY actor_key")
    return mentions, events, places, actors


def test_v2_store_with_data_migrates_to_v3_with_places_and_actors_as_ingest_writes_them(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store("sqlite://") as ingested:
        _add_articles(ingested)
        expected = _references(ingested)
        with monkeypatch.context() as patch:
            patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
            patch.setattr(schema, "CURRENT", 2)
            with open_store(store_url) as old:
                assert old.schema_version() == 2
                _copy_without_v3(ingested, old)
    with open_store(store_url) as store:
        assert store.schema_version() == schema.CURRENT
        assert store.counts() == {"articles": 3, "mentions": 5, "events": 4}
        assert _references(store) == expected
        mentions, events, places, actors = expected
        assert [p[3] for p in places] == ["Amman", "Cairo", "Kafr El Sheikh"]
        assert [(a[2], a[4]) for a in actors] == [("police", "COP"), ("students", "EDU")]
        assert (mentions[0][2], events[0][1] is not None) == ("g:250441", True)
        assert [(p["name_en"], p["event_count"]) for p in store.places()] == [
            ("Cairo", 2), ("Amman", 1), ("Kafr El Sheikh", 1)]  # fmt: skip
        assert [(a["name_en"], a["event_count"]) for a in store.actors()] == [("students", 4), ("police", 1)]


TRGM_INDEXES = {"event_text_text_trgm", "event_text_actors_trgm", "event_text_codes_trgm", "event_text_facets_trgm"}


def _trigram_indexes(store: Store) -> set[str]:
    rows = store.db.read("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%\\_trgm'")
    return {str(name) for (name,) in rows}


def _found(store: Store) -> dict[str, list[str]]:
    """Event keys per text and actor filter, short needles (scan) and long ones (index) alike."""
    filters = {"text:طلاب": EventFilter(text="طلاب"), "text:في": EventFilter(text="في"),
               "text:عنوان": EventFilter(text="عنوان"), "actor:الطلاب": EventFilter(actor="الطلاب"),
               "actor:police": EventFilter(actor="POLICE"), "actor:cop": EventFilter(actor="cop"),
               "actor:الشرطة": EventFilter(actor="الشرطة"), "text:غائب": EventFilter(text="غائب")}  # fmt: skip
    return {name: sorted(str(e["event_key"]) for e in store.iter_events(f)) for name, f in filters.items()}


def test_v3_store_with_data_migrates_through_v4_to_v5_and_event_text_holds_every_event(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:3])
        patch.setattr(schema, "CURRENT", 3)
        with open_store(store_url) as old:
            _add_articles(old)
    with open_store("sqlite://") as reference:  # the same articles written to a current store as they arrive
        _add_articles(reference)
        before = _found(reference)
    with open_store(store_url) as store:
        assert store.schema_version() == schema.CURRENT
        assert _found(store) == before
        sizes = [len(before[k]) for k in ("text:طلاب", "text:في", "actor:الطلاب", "actor:cop", "text:غائب")]
        assert sizes == [4, 4, 4, 1, 0]
        assert event_text_rows(store) == expected_event_text_rows(store)
        assert len(event_text_rows(store)) == 4
        if store.dialect == "sqlite":
            tables = {str(r[0]) for r in store.db.read("SELECT name FROM sqlite_master")}
            assert "event_search" in tables and not {t for t in tables if t.startswith("mention_search")}
            store.db.execute("INSERT INTO event_search (event_search) VALUES ('integrity-check')")  # raises if stale
        else:
            assert _trigram_indexes(store) == TRGM_INDEXES


def test_postgres_without_pg_trgm_still_migrates_and_filters_by_scanning(
    pg_admin_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import uuid

    from marsad.store import search
    from tests.unit.store import pg_server

    url = pg_server.create_database(pg_admin_url, f"marsad_test_{uuid.uuid4().hex[:12]}")
    monkeypatch.setattr(search, "TRIGRAM_EXTENSION", "marsad_no_such_extension")
    with open_store(url) as store:
        assert store.schema_version() == schema.CURRENT
        assert _trigram_indexes(store) == set()
        _add_articles(store)
        found = _found(store)
    assert "marsad_no_such_extension is unavailable" in caplog.text
    with open_store("sqlite://") as reference:
        _add_articles(reference)
        assert found == _found(reference)
