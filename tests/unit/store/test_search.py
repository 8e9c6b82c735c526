"""The text index (v5: `event_text`, one row per event): the `text` and `actor` filters give exactly
what the pre-v4 scan of mentions gave, and the index follows every write (ingest, recode, deletes,
title changes, rows written straight in SQL)."""

from typing import Any

import pytest

from marsad.model import Article
from marsad.store import EventFilter, Store, open_store, query
from marsad.store.query import where_clause
from marsad.store.search import caseless, facet_token, facet_word
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
           "ÉCOLE", "école", "İstanbul", "ΣΟΦΙΑ", "EDU|GOV", "|EDU|", "|", "بغداد\x1fخبر"]  # fmt: skip
UNMATCHABLE = ("\x00", "\x1f")  # documented: a needle holding NUL or the unit separator matches nothing


def _like(value: str) -> str:
    return "%" + value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _scan(store: Store, filters: EventFilter) -> list[int]:
    clauses, params = ["1 = 1"], []
    for column, value in (
        ("event_type", filters.event_type),
        ("mode", filters.mode),
        ("country_iso3", filters.country),
    ):
        if value:
            clauses.append(f"e.{column} = ?")
            params.append(value)
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


Pieces = tuple[int, list[str], list[str], list[str], str]


def event_text_rows(store: Store) -> list[Pieces]:
    """event_text as (event id, sorted text parts, sorted actor parts, sorted non-empty codes, facets)."""
    rows = store.db.read("SELECT event_id, text, actors, codes, facets FROM event_text ORDER BY event_id")
    return [(int(eid), sorted(p.lower() for p in text.split("\x1f")), sorted(p.lower() for p in actors.split("\x1f")),
             sorted(c for c in codes.split("|") if c), facets) for eid, text, actors, codes, facets in rows]  # fmt: skip


def expected_event_text_rows(store: Store) -> list[Pieces]:
    """The same, recomputed in Python from the mention and article rows."""
    rows = store.db.read("SELECT m.event_id, e.event_type, e.mode, e.country_iso3, m.sentence, a.title, m.source_text, "
                         "m.target_text, m.source_country, m.target_country, m.source_role, m.target_role "
                         "FROM mentions m JOIN events e ON e.id = m.event_id LEFT JOIN articles a "
                         "ON a.id = m.article_id")  # fmt: skip
    events: dict[int, tuple[list[str], list[str], list[str], str]] = {}
    for eid, event_type, mode, country, sentence, title, source, target, *codes in rows:
        values = [value or "" for value in (event_type, mode, country)]
        if store.dialect == "sqlite":
            facets = f" {' '.join(facet_token(i, value) for i, value in enumerate(values))} "
        else:
            facets = " " + "".join(facet_word(i, value).lstrip() for i, value in enumerate(values))
        text, actors, found, _ = events.setdefault(int(eid), ([], [], [], facets))
        text += [sentence.lower(), (title or "").lower()]
        actors += [(source or "").lower(), (target or "").lower()]
        found += [c for c in codes if c]
    return [(eid, sorted(t), sorted(a), sorted(c), f) for eid, (t, a, c, f) in sorted(events.items())]


@pytest.mark.parametrize("field", ["text", "actor"])
def test_index_finds_exactly_what_the_scan_found(store_url: str, field: str) -> None:
    with open_store(store_url) as store:
        _seed(store)
        found_any = 0
        for needle in NEEDLES:
            if "\x00" in needle and store.dialect == "postgresql":
                continue  # PostgreSQL text cannot hold NUL (the scan fails alike); the API refuses it first
            for narrowed in ({}, {"event_type": "PROTEST"}, {"event_type": "PROTEST", "country": "IRQ"},
                             {"mode": "demo"}, {"event_type": "COERCE", "country": "EGY", "mode": "arrest"}):  # fmt: skip
                filters = EventFilter(**narrowed, **{field: needle})
                got = _indexed(store, filters)
                if any(c in needle for c in UNMATCHABLE):
                    assert got == [], (field, needle)
                    continue
                assert got == _scan(store, filters), (field, needle, narrowed)
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
                assert ("VIRTUAL TABLE INDEX" in plan and "event_search" in plan) == uses_index, (field, needle, plan)
                assert "SCAN m" not in plan and "mentions" not in plan, plan  # never the mention rows


def _sqlite_integrity(store: Store) -> None:
    if store.dialect == "sqlite":
        store.db.execute("INSERT INTO event_search (event_search) VALUES ('integrity-check')")  # raises if stale


def test_index_follows_ingest_recode_title_change_merges_and_deletes(store_url: str) -> None:
    with open_store(store_url) as store:
        _seed(store)
        assert event_text_rows(store) == expected_event_text_rows(store)
        store.add_article(Article(id="r1", text=TEXT, title="قديم", source="alghad", date="2024-03-01"),
                          [record("r1"), {**record("r1", trigger=(6, 10)), "source": POLICE}], lexicon_version="v1")  # fmt: skip
        assert event_text_rows(store) == expected_event_text_rows(store)
        store.replace_mentions("r1", [{**record("r1"), "source": POLICE}], lexicon_version="v2")
        store.db.transaction(lambda tx: tx.execute("UPDATE articles SET title = 'جديد' WHERE id = 'r1'"))
        assert event_text_rows(store) == expected_event_text_rows(store)
        renamed = EventFilter(text="جديد")
        assert len(_indexed(store, renamed)) == 1 and _indexed(store, renamed) == _scan(store, renamed)
        assert _indexed(store, EventFilter(text="قديم")) == [] == _scan(store, EventFilter(text="قديم"))
        # rows written straight in SQL: a mention moved to another event, a code changed, an event deleted
        first, second = (int(r[0]) for r in store.db.read("SELECT id FROM events ORDER BY id LIMIT 2"))
        store.db.transaction(lambda tx: tx.execute("UPDATE mentions SET event_id = ?, source_role = 'XYZ' "
                                                   "WHERE event_id = ?", (first, second)))  # fmt: skip
        assert event_text_rows(store) == expected_event_text_rows(store)
        assert first in _indexed(store, EventFilter(actor="xyz")) and second not in [
            r[0] for r in event_text_rows(store)
        ]
        # an event's type, mode or country changed: its facets in the index follow
        store.db.transaction(lambda tx: tx.execute("UPDATE events SET event_type = 'ASSAULT', country_iso3 = 'YEM' "
                                                   "WHERE id = ?", (first,)))  # fmt: skip
        assert event_text_rows(store) == expected_event_text_rows(store)
        moved = EventFilter(actor="xyz", event_type="ASSAULT", country="YEM")
        assert _indexed(store, moved) == [first] == _scan(store, moved)
        assert _indexed(store, EventFilter(actor="xyz", event_type="PROTEST")) == []
        store.db.transaction(lambda tx: tx.execute("DELETE FROM events WHERE id = ?", (first,)))
        store.db.transaction(lambda tx: tx.execute("DELETE FROM articles WHERE id IN ('r1', 'x1', 'syn-000003')"))
        assert event_text_rows(store) == expected_event_text_rows(store)
        assert first not in [r[0] for r in event_text_rows(store)]
        _sqlite_integrity(store)


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


@pytest.mark.parametrize("windows", [(1,), (1, 3), (3, 40), (8, 40)])
def test_text_filtered_pages_are_the_exact_pages_whatever_the_window(store_url: str, monkeypatch: Any,
                                                                     windows: tuple[int, ...]) -> None:  # fmt: skip
    monkeypatch.setattr(query, "PAGE_WINDOWS", windows)
    with open_store(store_url) as store:
        _seed(store)
        for filters in (EventFilter(text="الطلاب"), EventFilter(actor="EDU"), EventFilter(text="خبر 1"),
                        EventFilter(actor="الطلاب", event_type="PROTEST"), EventFilter(text="بغداد"),
                        EventFilter(text="police", actor="cop"), EventFilter(text="لا يوجد")):  # fmt: skip
            for sort in query.SORTS:
                for offset, limit in ((0, 5), (0, 50), (5, 5), (10, 7), (100, 10)):
                    got = [r["id"] for r in query.event_page(store.db, filters, sort=sort, offset=offset, limit=limit)]
                    assert got == _exact_page(store, filters, sort, offset, limit), (filters, sort, offset, limit)


@pytest.mark.parametrize(("window", "probe"), [(1, 500), (5, 500), (5, 3), (2, 40)])
def test_text_filtered_counts_stop_at_the_cap(store_url: str, monkeypatch: Any, window: int, probe: int) -> None:
    monkeypatch.setattr(query, "COUNT_WINDOW", window)
    monkeypatch.setattr(query, "COUNT_PROBE", probe)
    with open_store(store_url) as store:
        _seed(store)
        for filters in (EventFilter(text="الطلاب"), EventFilter(actor="EDU"), EventFilter(text="خبر 1"),
                        EventFilter(actor="الطلاب", event_type="PROTEST"), EventFilter(text="لا يوجد"),
                        EventFilter(text="قوات الأمن", event_type="PROTEST"),  # nothing in common
                        EventFilter(text="بغداد", event_type="COERCE", country="IRQ")):  # fmt: skip
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


def test_caseless_needles_are_those_without_any_letter_case() -> None:
    for needle in ("الطلاب", "وزير الخارجية", "١٢٣ 45", "قوات-الأمن (بغداد)", "ی گ"):
        assert caseless(needle), needle
    for needle in ("EDU", "edu", "الطلاب EDU", "é", "İ", "ß", "ǅ", "Ⓐ", "ﬁ"):
        assert not caseless(needle), needle


def test_facet_tokens_computed_in_sql_equal_the_python_ones(tmp_path: Any) -> None:
    from marsad.store.search import _facet_token_sql

    values = ["PROTEST", "COERCE", "demo", "arrest", "IRQ", "", "a", "طلاب", "ΣΟΦΙΑ", "x" * 40, "🙂 emoji", "PROTESTS"]
    with open_store(str(tmp_path / "m.db")) as store:
        for index in range(3):
            for value in values:
                got = store.db.read(f"SELECT {_facet_token_sql(index, 'v')} FROM (SELECT ? AS v)", (value,))[0][0]
                assert got == facet_token(index, value), (index, value)
    tokens = {facet_token(i, v) for i in range(3) for v in values}
    assert len(tokens) == 3 * len(values)  # distinct here: a collision would only widen the candidates
    assert all(len(t) == 3 and all(0xE000 <= ord(c) <= 0xF8FF for c in t) for t in tokens)


def test_postgres_trigram_index_serves_arabic_needles_under_a_utf8_ctype(
    pg_admin_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    import uuid

    from tests.unit.store import pg_server

    def plan_of(store: Store, needle: str) -> str:
        # a 120-event table is too small for the planner to care: leave it only bitmap scans, which the
        # trigram index can serve if it applies to the needle (else it falls back to a sequential scan)
        store.db.execute("SET enable_seqscan = off")
        store.db.execute("SET enable_indexscan = off")
        where, params = where_clause(store.db, EventFilter(text=needle))
        return " ".join(str(r[0]) for r in store.db.read(f"EXPLAIN SELECT e.id FROM events e{where}", params))

    with open_store(pg_server.create_database(pg_admin_url, f"marsad_test_{uuid.uuid4().hex[:12]}")) as store:
        # the test server's LC_CTYPE is C: Arabic has no trigrams there, and the migration says so
        _seed(store)
        assert "event_text_text_trgm" not in plan_of(store, "بغداد")
        assert "event_text_text_trgm" in plan_of(store, "police")
        assert _indexed(store, EventFilter(text="بغداد")) == _scan(store, EventFilter(text="بغداد")) != []
    assert "pg_trgm extracts no trigrams from Arabic" in caplog.text
    caplog.clear()
    try:
        url = pg_server.create_database(pg_admin_url, f"marsad_test_{uuid.uuid4().hex[:12]}", ctype="C.UTF-8")
    except Exception as exc:  # noqa: BLE001 - pg8000 raises its DatabaseError when the locale is missing
        pytest.skip(f"no C.UTF-8 locale for PostgreSQL here: {exc}")
    with open_store(url) as store:
        assert "pg_trgm extracts no trigrams" not in caplog.text
        assert store.db.read("SELECT show_trgm('بغداد')")[0][0]
        _seed(store)
        assert "event_text_text_trgm" in plan_of(store, "بغداد")
        assert _indexed(store, EventFilter(text="بغداد")) == _scan(store, EventFilter(text="بغداد")) != []


def test_postgres_materialized_text_filter_gives_the_same_events(store_url: str) -> None:
    with open_store(store_url) as store:
        if store.dialect != "postgresql":
            pytest.skip("ARRAY(subquery) is PostgreSQL's")
        _seed(store)
        for filters in (EventFilter(text="قوات الأمن", event_type="PROTEST"), EventFilter(actor="EDU", country="IRQ"),
                        EventFilter(text="بغداد", event_type="COERCE"), EventFilter(text="خبر 1", mode="demo")):  # fmt: skip
            where, params = where_clause(store.db, filters, materialize=True)
            assert "ANY (ARRAY(" in where
            got = [int(r[0]) for r in store.db.read(f"SELECT e.id FROM events e{where} ORDER BY e.id", params)]
            assert got == _scan(store, filters), filters
            assert query._capped_count(store.db, filters, 5, materialize=True) == min(5, len(got))
