"""The v4 text index: the `text` and `actor` filters give exactly what the pre-v4 scan gave, and the
index follows every write (ingest, recode, deletes, rows written straight in SQL)."""

from typing import Any

import pytest

from marsad.model import Article
from marsad.store import EventFilter, Store, open_store, query
from marsad.store.query import where_clause
from tests.unit.store.test_store import CAIRO, STUDENTS, TEXT, record
from tests.unit.web.synthetic import fill

# The pre-v4 clauses, verbatim: the reference the index must reproduce.
SCAN_ACTOR = ("e.id IN (SELECT m.event_id FROM mentions m WHERE m.event_id IS NOT NULL AND (LOWER(m.source_text) LIKE ? "
              "ESCAPE '\\' OR LOWER(m.target_text) LIKE ? ESCAPE '\\' OR m.source_country = ? OR m.target_country = ? "
              "OR m.source_role = ? OR m.target_role = ?))")  # fmt: skip
SCAN_TEXT = ("e.id IN (SELECT m.event_id FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.event_id IS NOT "
             "NULL AND (LOWER(m.sentence) LIKE ? ESCAPE '\\' OR LOWER(a.title) LIKE ? ESCAPE '\\'))")  # fmt: skip
POLICE = {"text": "الشرطة", "country": "EGY", "role": "COP", "name_en": "police", "start": 0, "end": 6}
NEEDLES = ["الطلاب", "الطلا", "طلاب", "عمال", "وزير الخارجية", "بغداد", "قوات الأمن", "خبر 1", "خبر 12", "تقرير",
           "EDU", "edu", "GOV", "IRQ", "egy", "cop", "Police", "POLICE DEPT", "الشرطة", "شر", "في", "ت", "ء",
           "%", "_", "5%_", "\\", '"', '"طلاب"', "' OR '1'='1", "طلاب OR بغداد", "NEAR(a b)", "{title}", "a\x00b",
           "ÉCOLE", "école", "İstanbul", "ΣΟΦΙΑ"]  # fmt: skip


def _like(value: str) -> str:
    return "%" + value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _scan(store: Store, filters: EventFilter) -> list[int]:
    clauses, params = ["1 = 1"], []
    if filters.event_type:
        clauses.append("e.event_type = ?")
        params.append(filters.event_type)
    if filters.actor:
        clauses.append(SCAN_ACTOR)
        params += [_like(filters.actor)] * 2 + [filters.actor.upper()] * 4
    if filters.text:
        clauses.append(SCAN_TEXT)
        params += [_like(filters.text)] * 2
    rows = store.db.read(f"SELECT e.id FROM events e WHERE {' AND '.join(clauses)} ORDER BY e.id", params)
    return [int(r[0]) for r in rows]


def _indexed(store: Store, filters: EventFilter) -> list[int]:
    where, params = where_clause(store.db, filters)
    return [int(r[0]) for r in store.db.read(f"SELECT e.id FROM events e{where} ORDER BY e.id", params)]


def _seed(store: Store) -> None:
    """Synthetic articles (titles `خبر N`), plus Latin and Greek titles and actors in mixed case."""
    fill(store, 120)
    for aid, title, source in (("x1", "ÉCOLE Police Dept", POLICE), ("x2", "İstanbul ΣΟΦΙΑ 5%_\\", STUDENTS)):
        coded = {**record(aid), "source": source, "target": {**POLICE, "text": "Police DEPT", "country": None}}
        store.add_article(Article(id=aid, text=f"{TEXT} {aid}", title=title, source="alwatan", date="2024-03-01"),
                          [coded], lexicon_version="v1")  # fmt: skip


def _index_rows(store: Store) -> list[tuple[Any, ...]]:
    return store.db.read("SELECT rowid, sentence, title, source_text, target_text FROM mention_search ORDER BY rowid")


def _expected_index_rows(store: Store) -> list[tuple[Any, ...]]:
    return store.db.read("SELECT m.id, m.sentence, a.title, m.source_text, m.target_text FROM mentions m "
                         "LEFT JOIN articles a ON a.id = m.article_id ORDER BY m.id")  # fmt: skip


@pytest.mark.parametrize("field", ["text", "actor"])
def test_index_finds_exactly_what_the_scan_found(store_url: str, field: str) -> None:
    with open_store(store_url) as store:
        _seed(store)
        found_any = 0
        for needle in NEEDLES:
            if "\x00" in needle and store.dialect == "postgresql":
                continue  # PostgreSQL text cannot hold NUL (the scan fails alike); the API refuses it first
            for event_type in (None, "PROTEST"):
                filters = EventFilter(event_type=event_type, **{field: needle})
                got = _indexed(store, filters)
                assert got == _scan(store, filters), (field, needle, event_type)
                found_any += bool(got)
        assert found_any >= 10


def test_text_and_actor_filters_together_match_the_scan(store_url: str) -> None:
    with open_store(store_url) as store:
        _seed(store)
        for text, actor in (("الطلاب", "EDU"), ("خبر 1", "الطلاب"), ("police", "cop"), ("تقرير", "IRQ")):
            filters = EventFilter(text=text, actor=actor)
            assert _indexed(store, filters) == _scan(store, filters)


def test_sqlite_plan_reads_the_trigram_index_for_long_needles_only(tmp_path: Any) -> None:
    with open_store(str(tmp_path / "m.db")) as store:
        for needle, uses_index in (("الطلاب", True), ("EDU", True), ("في", False)):
            for field in ("text", "actor"):
                where, params = where_clause(store.db, EventFilter(**{field: needle}))
                plan = " ".join(str(r[-1]) for r in store.db.read(f"EXPLAIN QUERY PLAN SELECT e.id FROM events e{where}",
                                                                  params))  # fmt: skip
                assert ("VIRTUAL TABLE INDEX" in plan and "mention_search" in plan) == uses_index, (field, needle, plan)


def test_sqlite_index_follows_ingest_recode_title_change_and_deletes(tmp_path: Any) -> None:
    with open_store(str(tmp_path / "m.db")) as store:
        _seed(store)
        store.add_article(Article(id="r1", text=TEXT, title="قديم", source="alghad", date="2024-03-01"),
                          [record("r1"), {**record("r1", trigger=(6, 10)), "source": POLICE}], lexicon_version="v1")  # fmt: skip
        assert _index_rows(store) == _expected_index_rows(store)
        store.replace_mentions("r1", [{**record("r1"), "source": POLICE}], lexicon_version="v2")
        store.db.transaction(lambda tx: tx.execute("UPDATE articles SET title = 'جديد' WHERE id = 'r1'"))
        assert _index_rows(store) == _expected_index_rows(store)
        renamed = EventFilter(text="جديد")
        assert len(_indexed(store, renamed)) == 1 and _indexed(store, renamed) == _scan(store, renamed)
        assert _indexed(store, EventFilter(text="قديم")) == [] == _scan(store, EventFilter(text="قديم"))
        store.db.transaction(lambda tx: tx.execute("DELETE FROM articles WHERE id IN ('r1', 'x1', 'syn-000003')"))
        assert _index_rows(store) == _expected_index_rows(store)
        assert store.db.read("SELECT COUNT(*) FROM mention_search") == store.db.read("SELECT COUNT(*) FROM mentions")
        store.db.execute("INSERT INTO mention_search (mention_search) VALUES ('integrity-check')")  # raises if stale


def test_event_filter_for_cairo_students_uses_index_on_a_real_ingest(store_url: str) -> None:
    with open_store(store_url) as store:
        store.add_article(Article(id="a1", text=TEXT, title="مظاهرة طلابية", source="alwatan", date="2024-03-01"),
                          [{**record("a1", place=CAIRO), "source": STUDENTS}], lexicon_version="v1")  # fmt: skip
        assert [e["event_type"] for e in store.iter_events(EventFilter(text="طلابية"))] == ["PROTEST"]
        assert [e["event_type"] for e in store.iter_events(EventFilter(actor="الطلاب"))] == ["PROTEST"]
        assert list(store.iter_events(EventFilter(actor="الشرطة"))) == []


def _exact_page(store: Store, filters: EventFilter, sort: str, offset: int, limit: int) -> list[int]:
    where, params = where_clause(store.db, filters)
    rows = store.db.read(f"SELECT e.id FROM events e{where} ORDER BY {query.SORTS[sort]} LIMIT ? OFFSET ?",
                         [*params, limit, offset])  # fmt: skip
    return [int(r[0]) for r in rows]


@pytest.mark.parametrize("window", [1, 3, 40])
def test_text_filtered_pages_are_the_exact_pages_whatever_the_window(store_url: str, monkeypatch: Any,
                                                                     window: int) -> None:  # fmt: skip
    monkeypatch.setattr(query, "PAGE_WINDOW", window)
    with open_store(store_url) as store:
        _seed(store)
        for filters in (EventFilter(text="الطلاب"), EventFilter(actor="EDU"), EventFilter(text="خبر 1"),
                        EventFilter(actor="الطلاب", event_type="PROTEST"), EventFilter(text="بغداد"),
                        EventFilter(text="police", actor="cop"), EventFilter(text="لا يوجد")):  # fmt: skip
            for sort in query.SORTS:
                for offset, limit in ((0, 5), (0, 50), (5, 5), (10, 7), (100, 10)):
                    got = [r["id"] for r in query.event_page(store.db, filters, sort=sort, offset=offset, limit=limit)]
                    assert got == _exact_page(store, filters, sort, offset, limit), (filters, sort, offset, limit)


@pytest.mark.parametrize("window", [1, 5])
def test_text_filtered_counts_stop_at_the_cap(store_url: str, monkeypatch: Any, window: int) -> None:
    monkeypatch.setattr(query, "COUNT_WINDOW", window)
    with open_store(store_url) as store:
        _seed(store)
        for filters in (EventFilter(text="الطلاب"), EventFilter(actor="EDU"), EventFilter(text="خبر 1"),
                        EventFilter(actor="الطلاب", event_type="PROTEST"), EventFilter(text="لا يوجد")):  # fmt: skip
            exact = len(_scan(store, filters))
            for stop in (1, 10, 31, 1001):
                assert query.count_events_upto(store.db, filters, stop=stop) == min(exact, stop), (filters, stop)


def test_store_page_with_a_count_cap_caps_only_text_filters(store_url: str) -> None:
    with open_store(store_url) as store:
        _seed(store)
        assert len(_scan(store, EventFilter(text="الطلاب"))) == 41
        total, events = store.event_page(EventFilter(text="الطلاب"), page=3, page_size=10, count_cap=20)
        assert total == 21
        assert [e["event_id"] for e in events] == _exact_page(store, EventFilter(text="الطلاب"), "-date", 20, 10)
        assert store.event_page(EventFilter(text="الطلاب"), count_cap=41)[0] == 41
        assert store.event_page(EventFilter(), count_cap=20)[0] == 121
        assert store.event_page(EventFilter(text="الطلاب"), page=6, page_size=10, count_cap=41) == (41, [])
