"""Migration v1 → v2 (indexes for the API's sorts and filters) on a store that already holds data."""

import pytest

from marsad.model import Article
from marsad.store import EventFilter, Store, open_store, schema
from tests.unit.store.test_store import CAIRO, TEXT, record

V2_INDEXES = {"events_count", "events_type_count", "events_country_count", "events_type_country_date",
              "events_type_date_count", "events_date_count"}  # fmt: skip


def _indexes(store: Store) -> set[str]:
    if store.dialect == "sqlite":
        rows = store.db.read("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'")
    else:
        rows = store.db.read("SELECT indexname FROM pg_indexes WHERE tablename = 'events'")
    return {str(name) for (name,) in rows}


def _v1_store_with_two_events(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        patch.setattr(schema, "CURRENT", 1)
        with open_store(url) as store:
            assert store.schema_version() == 1 and not V2_INDEXES & _indexes(store)
            for aid, source, day in (("a1", "alwatan", "2024-03-01"), ("a2", "alghad", "2024-03-01"),
                                     ("b1", "alwatan", "2024-05-20")):  # fmt: skip
                article = Article(id=aid, text=f"{TEXT} ({aid})", source=source, date=day)
                coded = record(aid, date=day, place=CAIRO)  # type: ignore[no-untyped-call]
                store.add_article(article, [coded], lexicon_version="v1")


def test_v1_store_with_data_migrates_to_v2_and_keeps_everything(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _v1_store_with_two_events(store_url, monkeypatch)
    with open_store(store_url) as store:
        assert store.schema_version() == 2 == schema.CURRENT
        assert [v for (v,) in store.db.read("SELECT version FROM schema_version ORDER BY version")] == [1, 2]
        assert V2_INDEXES <= _indexes(store)
        assert store.counts() == {"articles": 3, "mentions": 3, "events": 2}
        total, events = store.event_page(EventFilter(event_type="PROTEST", country="EGY"), sort="-source_count")
        assert total == 2 and [e["source_count"] for e in events] == [2, 1]
        assert events[0]["evidence"] == {"sentence": TEXT, "trigger": "تظاهر", "article_id": "a1"}
    with open_store(store_url) as store:  # reopening applies nothing twice
        assert store.db.read("SELECT COUNT(*) FROM schema_version") == [(2,)]
