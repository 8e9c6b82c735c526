"""The text index behind the `text` (API `q`) and `actor` filters: one row of searchable text per event.

Schema v5 keeps `event_text`, a narrow table with one row per event: `text` (every mention's
sentence and its article's title), `actors` (every mention's source and target text), both
lower-cased, and `codes` (`|`-delimited source/target countries and roles). Triggers on mentions,
articles and events keep it in step, so every writer (ingest, recode, cascade deletes, rows written
straight in SQL) fills it. A filter is then one check of one short row per event, instead of a walk
through the event's mention rows (wide: they carry the record JSON) and their articles.

- SQLite: `event_search`, an FTS5 trigram index over `event_text` (external content, rowid = event
  id), proposes candidate events for rare needles.
- PostgreSQL: GIN `gin_trgm_ops` indexes on `event_text` (`pg_trgm`); without the extension the
  migration still succeeds and the filters scan `event_text`.

Semantics: an event matches `text` when one of its mentions' sentence or article title contains the
needle (`LOWER(column) LIKE %needle%`, the needle lower-cased by Python), and `actor` when one of its
mentions' source or target text contains it, or a country or role code equals it upper-cased. These
are the pre-v4 scan predicates; the index only proposes candidates, each checked again, except for
needles without letter case (`caseless`), for which a trigram match is already exact. The parts of
a row are joined by U+001F (unit separator), so a needle cannot match across two of them; a needle
containing U+001F or NUL matches nothing.
"""

from __future__ import annotations

import logging

from marsad.store.backend import Backend, escape_like, like_pattern

__all__ = ["FACETS", "SEPARATOR", "TRIGRAM", "Facets", "actor_clause", "actor_exists", "caseless", "create_pg_trgm",
           "facet_token", "facet_word", "index_events", "text_clause", "text_exists"]  # fmt: skip

log = logging.getLogger(__name__)
TRIGRAM = 3
TRIGRAM_EXTENSION = "pg_trgm"
SEPARATOR = "\x1f"
_UNMATCHABLE = (SEPARATOR, "\x00")
_CODE_COLUMNS = ("source_country", "target_country", "source_role", "target_role")

# ---- v5: event_text ---------------------------------------------------------------------------------

# SQLite: INTEGER PRIMARY KEY makes event_id the rowid, so a lookup by event is one b-tree search.
EVENT_TEXT_TABLE = """CREATE TABLE event_text (
    event_id {key} PRIMARY KEY,
    text TEXT NOT NULL,
    actors TEXT NOT NULL,
    codes TEXT NOT NULL,
    facets TEXT NOT NULL)"""
# SQLite: the event's type, mode and country as one trigram token each (three private-use characters
# from a hash of the value, `facet_token`), so that the FTS5 index can intersect a needle with them
# (see `_candidates`): a single-token doclist is cheap where a phrase such as "|type=protest|" (a dozen
# trigrams shared by every event) cost more than it saved. A hash collision only adds candidates: the
# query still filters on the event columns. PostgreSQL writes them as words (see `facet_word`).
FACETS = (("type", "event_type"), ("mode", "mode"), ("country", "country_iso3"))
_COLUMNS = "event_id, text, actors, codes, facets"
_HASHED = 12  # the characters of a value its token depends on
_MODULUS = 2_147_483_647


def facet_token(index: int, value: str) -> str:
    """The token of facet number `index` (in FACETS) with `value`; `_facet_token_sql` computes the same."""
    h = 0
    for i in range(_HASHED):
        h = (h * 31 + (ord(value[i]) if i < len(value) else 0)) % _MODULUS
    return chr(0xE000 + index) + chr(0xE100 + h % 2048) + chr(0xE900 + (h // 2048) % 2048)


def _facet_token_sql(index: int, column: str) -> str:
    value, h = f"COALESCE({column}, '')", "0"
    for i in range(1, _HASHED + 1):
        h = f"(({h}) * 31 + COALESCE(unicode(substr({value}, {i}, 1)), 0)) % {_MODULUS}"
    return f"char({0xE000 + index}) || char({0xE100} + ({h}) % 2048) || char({0xE900} + (({h}) / 2048) % 2048)"


# PostgreSQL: the facets as words, ` tyPROTEST modemo coIRQ `, under a pg_trgm GIN index: `t.facets LIKE
# '% tyPROTEST %'` and the needle's LIKE become one bitmap AND of two index scans (pg_trgm takes only
# letters and digits, so the private-use tokens of SQLite would give it nothing).
_FACET_PREFIXES = ("ty", "mo", "co")


def facet_word(index: int, value: str) -> str:
    """The PostgreSQL facet word of facet number `index` with `value`, spaces around it."""
    return f" {_FACET_PREFIXES[index]}{value} "


def _facets_sql(dialect: str) -> str:
    if dialect != "sqlite":
        words = " || ".join(f"'{_FACET_PREFIXES[i]}' || COALESCE(e.{c}, '') || ' '" for i, (_, c) in enumerate(FACETS))
        return f"' ' || {words}"
    return "' ' || " + " || ' ' || ".join(_facet_token_sql(i, f"e.{c}") for i, (_, c) in enumerate(FACETS)) + " || ' '"


def _aggregate(dialect: str, value: str, separator: str) -> str:
    return f"group_concat({value}, {separator})" if dialect == "sqlite" else f"string_agg({value}, {separator})"


def _event_rows(dialect: str, events: str) -> str:
    """SELECT (event_id, text, actors, codes, facets) for the events whose ids satisfy `m.event_id {events}`."""
    sep = "char(31)" if dialect == "sqlite" else "chr(31)"
    text = f"LOWER(m.sentence) || {sep} || LOWER(COALESCE(a.title, ''))"
    actors = f"LOWER(COALESCE(m.source_text, '')) || {sep} || LOWER(COALESCE(m.target_text, ''))"
    codes = " || '|' || ".join(f"COALESCE(m.{c}, '')" for c in _CODE_COLUMNS)
    grouped = ", ".join(f"e.{column}" for _, column in FACETS)
    return (f"SELECT m.event_id, {_aggregate(dialect, text, sep)}, {_aggregate(dialect, actors, sep)}, "
            f"'|' || {_aggregate(dialect, codes, chr(39) + '|' + chr(39))} || '|', {_facets_sql(dialect)} "
            "FROM mentions m JOIN events e ON e.id = m.event_id LEFT JOIN articles a ON a.id = m.article_id "
            f"WHERE m.event_id {events} GROUP BY m.event_id, {grouped}")  # fmt: skip


def _sqlite_refresh(events: str) -> str:
    """Trigger statements that rewrite the event_text rows of the events `event_id {events}`."""
    return (f"DELETE FROM event_text WHERE event_id {events};\n"
            f"INSERT INTO event_text ({_COLUMNS}) {_event_rows('sqlite', events)};")  # fmt: skip


_INDEXED = "text, actors, codes, facets"
_NEW = "NEW.event_id, NEW.text, NEW.actors, NEW.codes, NEW.facets"
_OLD = "OLD.event_id, OLD.text, OLD.actors, OLD.codes, OLD.facets"
_FACET_CHANGED = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for _, column in FACETS)
_MENTION_COLUMNS = "event_id, article_id, sentence, source_text, target_text, " + ", ".join(_CODE_COLUMNS)
_MENTION_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _MENTION_COLUMNS.split(", "))
_OF_ARTICLE = "IN (SELECT event_id FROM mentions WHERE article_id = NEW.id AND event_id IS NOT NULL)"

SQLITE_EVENT_TEXT = [
    EVENT_TEXT_TABLE.format(key="INTEGER"),
    (
        "CREATE VIRTUAL TABLE event_search USING fts5(text, actors, codes, facets, content = 'event_text', "
        "content_rowid = 'event_id', tokenize = 'trigram')"
    ),
    f"""CREATE TRIGGER event_text_insert AFTER INSERT ON event_text BEGIN
        INSERT INTO event_search (rowid, {_INDEXED}) VALUES ({_NEW});
    END""",
    f"""CREATE TRIGGER event_text_delete AFTER DELETE ON event_text BEGIN
        INSERT INTO event_search (event_search, rowid, {_INDEXED}) VALUES ('delete', {_OLD});
    END""",
    f"""CREATE TRIGGER event_text_update AFTER UPDATE ON event_text BEGIN
        INSERT INTO event_search (event_search, rowid, {_INDEXED}) VALUES ('delete', {_OLD});
        INSERT INTO event_search (rowid, {_INDEXED}) VALUES ({_NEW});
    END""",
    f"""CREATE TRIGGER mentions_event_text_insert AFTER INSERT ON mentions WHEN NEW.event_id IS NOT NULL BEGIN
        {_sqlite_refresh("= NEW.event_id")}
    END""",
    f"""CREATE TRIGGER mentions_event_text_delete AFTER DELETE ON mentions WHEN OLD.event_id IS NOT NULL BEGIN
        {_sqlite_refresh("= OLD.event_id")}
    END""",
    f"""CREATE TRIGGER mentions_event_text_update AFTER UPDATE OF {_MENTION_COLUMNS} ON mentions
        WHEN {_MENTION_CHANGED} BEGIN
        {_sqlite_refresh("= OLD.event_id")}
        {_sqlite_refresh("= NEW.event_id AND NEW.event_id IS NOT OLD.event_id")}
    END""",
    f"""CREATE TRIGGER articles_event_text_title AFTER UPDATE OF title ON articles WHEN NEW.title IS NOT OLD.title
        BEGIN
        {_sqlite_refresh(_OF_ARTICLE)}
    END""",
    """CREATE TRIGGER events_event_text_delete AFTER DELETE ON events BEGIN
        DELETE FROM event_text WHERE event_id = OLD.id;
    END""",
    f"""CREATE TRIGGER events_event_text_facets AFTER UPDATE OF {", ".join(c for _, c in FACETS)} ON events
        WHEN {_FACET_CHANGED} BEGIN
        {_sqlite_refresh("= NEW.id")}
    END""",
]

# PostgreSQL: one refresh function, called by row triggers. (No `?` or `%` in these bodies: the
# backend rewrites `?` to pg8000's `%s`.)
POSTGRES_EVENT_TEXT = [
    EVENT_TEXT_TABLE.format(key="BIGINT"),
    f"""CREATE FUNCTION marsad_refresh_event_text(ids BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM event_text WHERE event_id = ANY (ids);
        INSERT INTO event_text ({_COLUMNS}) {_event_rows("postgresql", "= ANY (ids)")};
    END $$""",
    """CREATE FUNCTION marsad_mentions_event_text() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM marsad_refresh_event_text(ARRAY[NEW.event_id]);
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM marsad_refresh_event_text(ARRAY[OLD.event_id]);
        ELSE
            PERFORM marsad_refresh_event_text(ARRAY[OLD.event_id, NEW.event_id]);
        END IF;
        RETURN NULL;
    END $$""",
    # one function, three triggers: each fires only when it has something to do
    """CREATE TRIGGER mentions_event_text_insert AFTER INSERT ON mentions
        FOR EACH ROW WHEN (NEW.event_id IS NOT NULL) EXECUTE FUNCTION marsad_mentions_event_text()""",
    """CREATE TRIGGER mentions_event_text_delete AFTER DELETE ON mentions
        FOR EACH ROW WHEN (OLD.event_id IS NOT NULL) EXECUTE FUNCTION marsad_mentions_event_text()""",
    f"""CREATE TRIGGER mentions_event_text_update AFTER UPDATE OF {_MENTION_COLUMNS} ON mentions
        FOR EACH ROW WHEN ({_MENTION_CHANGED.replace("IS NOT", "IS DISTINCT FROM")})
        EXECUTE FUNCTION marsad_mentions_event_text()""",
    """CREATE FUNCTION marsad_articles_event_text() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM marsad_refresh_event_text(ARRAY(SELECT event_id FROM mentions WHERE article_id = NEW.id
                                                AND event_id IS NOT NULL));
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER articles_event_text AFTER UPDATE OF title ON articles
        FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION marsad_articles_event_text()""",
    """CREATE FUNCTION marsad_events_event_text() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM event_text WHERE event_id = OLD.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER events_event_text AFTER DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION marsad_events_event_text()""",
    """CREATE FUNCTION marsad_events_event_text_facets() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM marsad_refresh_event_text(ARRAY[NEW.id]);
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER events_event_text_facets AFTER UPDATE OF {", ".join(c for _, c in FACETS)} ON events
        FOR EACH ROW WHEN ({_FACET_CHANGED.replace("IS NOT", "IS DISTINCT FROM")})
        EXECUTE FUNCTION marsad_events_event_text_facets()""",
]
POSTGRES_EVENT_TEXT_INDEX = [f"CREATE INDEX event_text_{c}_trgm ON event_text USING gin ({c} gin_trgm_ops)"
                             for c in ("text", "actors", "codes", "facets")]  # fmt: skip

# PostgreSQL only: the date sorts (`date DESC NULLS LAST, id DESC` and `date ASC NULLS LAST, id ASC`),
# alone or after an exact type or country, as index walks. A b-tree on (date) read backwards gives DESC
# NULLS FIRST, so PostgreSQL sorted every event for the newest page (SQLite's planner walks its v1/v2
# date indexes for both sorts: checked with EXPLAIN QUERY PLAN).
POSTGRES_SORT_INDEXES = [
    f"CREATE INDEX events_{prefix}date_{name} ON events ({column}date {order}, id {direction})"
    for prefix, column in (("", ""), ("type_", "event_type, "), ("country_", "country_iso3, "))
    for name, order, direction in (("desc", "DESC NULLS LAST", "DESC"), ("asc", "ASC NULLS LAST", "ASC"))
]


def _warn_if_trigrams_skip_arabic(tx: Backend) -> None:
    """pg_trgm takes only the letters the database's LC_CTYPE calls alphanumeric: under C or POSIX,
    no Arabic letter, so an Arabic needle cannot use the index (the filter is still right: it scans
    event_text)."""
    ctype = str(tx.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")[0][0])
    if ctype.upper() in ("C", "POSIX"):
        log.warning("database LC_CTYPE is %s: pg_trgm extracts no trigrams from Arabic, so Arabic q/actor "
                    "filters scan event_text; create the database with a UTF-8 LC_CTYPE (CREATE DATABASE ... "
                    "TEMPLATE template0 LC_CTYPE 'C.UTF-8') to index them", ctype)  # fmt: skip


# The v4 objects that v5 replaces.
DROP_V4 = {
    "sqlite": ["DROP TRIGGER IF EXISTS mention_search_insert", "DROP TRIGGER IF EXISTS mention_search_delete",
               "DROP TRIGGER IF EXISTS mention_search_update", "DROP TRIGGER IF EXISTS mention_search_title",
               "DROP TABLE IF EXISTS mention_search"],
    "postgresql": [f"DROP INDEX IF EXISTS {name}" for name in ("mentions_sentence_trgm", "articles_title_trgm",
                                                               "mentions_source_text_trgm", "mentions_target_text_trgm")],
}  # fmt: skip
DROP_ROLE_INDEXES = ["DROP INDEX IF EXISTS mentions_source_role", "DROP INDEX IF EXISTS mentions_target_role"]


# The filter and sort columns of events by id: the index proposes event ids, and reading their date,
# count, type, mode and country from here instead of from the wide event rows (which carry the summary
# JSON) makes "these 5,000 events, newest first" 4 ms instead of 15.
EVENT_KEYS_INDEX = "CREATE INDEX events_keys ON events (id, event_type, mode, country_iso3, date, source_count)"


def index_events(tx: Backend) -> None:
    """Migration v5: replace v4's per-mention index by `event_text` and fill it from the stored rows."""
    tx.executescript([*DROP_V4[tx.dialect], *DROP_ROLE_INDEXES, EVENT_KEYS_INDEX])
    if tx.dialect == "sqlite":
        tx.executescript(SQLITE_EVENT_TEXT)
    else:
        tx.executescript(POSTGRES_EVENT_TEXT)
        tx.executescript(POSTGRES_SORT_INDEXES)
        if create_pg_trgm(tx):
            tx.executescript(POSTGRES_EVENT_TEXT_INDEX)
            _warn_if_trigrams_skip_arabic(tx)
        else:
            log.warning("PostgreSQL extension %s is unavailable: the q and actor filters will scan event_text "
                        "(install postgresql-contrib, or have a superuser run CREATE EXTENSION %s)",
                        TRIGRAM_EXTENSION, TRIGRAM_EXTENSION)  # fmt: skip
    tx.execute(f"INSERT INTO event_text ({_COLUMNS}) {_event_rows(tx.dialect, 'IS NOT NULL')}")


def create_pg_trgm(tx: Backend) -> bool:
    """Create pg_trgm if allowed; a failure rolls back to a savepoint so the migration goes on."""
    errors = getattr(tx, "errors", ())
    tx.execute("SAVEPOINT trigram_extension")
    try:
        tx.execute(f"CREATE EXTENSION IF NOT EXISTS {TRIGRAM_EXTENSION}")
    except errors as exc:
        tx.execute("ROLLBACK TO SAVEPOINT trigram_extension")
        log.warning("CREATE EXTENSION %s failed: %s", TRIGRAM_EXTENSION, exc)
        return False
    tx.execute("RELEASE SAVEPOINT trigram_extension")
    return bool(tx.execute("SELECT 1 FROM pg_extension WHERE extname = ?", (TRIGRAM_EXTENSION,)))


# ---- the filters -------------------------------------------------------------------------------------


def _substring(db: Backend, column: str, needle: str) -> tuple[str, list[str]]:
    """`column` (lower-cased text) contains `needle` lower-cased. SQLite: `instr`, the same as LIKE here
    (the column's ASCII is lower-case, LIKE folds nothing else) and cheaper; PostgreSQL: LIKE, which
    its trigram index serves."""
    if db.dialect == "sqlite":
        return f"instr({column}, ?) > 0", [needle.lower()]
    return f"{column} LIKE ? ESCAPE '\\'", [like_pattern(needle)]


def text_match(db: Backend, needle: str) -> tuple[str, list[str]]:
    """The `text` filter as a predicate over one `event_text` row `t`."""
    if any(c in needle for c in _UNMATCHABLE):
        return "1 = 0", []
    return _substring(db, "t.text", needle)


def actor_match(db: Backend, needle: str) -> tuple[str, list[str]]:
    """The `actor` filter as a predicate over one `event_text` row `t`."""
    if any(c in needle for c in _UNMATCHABLE):
        return "1 = 0", []
    sql, params = _substring(db, "t.actors", needle)
    if "|" in needle:  # a code never holds the delimiter
        return sql, params
    code = f"|{needle.upper()}|"
    if db.dialect == "sqlite":
        return f"({sql} OR instr(t.codes, ?) > 0)", [*params, code]
    # PostgreSQL: LIKE (case-sensitive there, so exact as a position test), which the GIN index serves:
    # both halves indexable make one bitmap OR instead of a scan
    return f"({sql} OR t.codes LIKE ? ESCAPE '\\')", [*params, f"%{escape_like(code)}%"]


def _phrase(text: str) -> str:
    """An FTS5 string: a trigram phrase matches a substring (case-folded, so a superset of LIKE's)."""
    return '"' + text.lower().replace('"', '""') + '"'


Facets = tuple[tuple[str, str], ...]


def _candidates(db: Backend, needle: str, columns: tuple[str, ...], facets: Facets) -> tuple[str, list[str]] | None:
    """The event ids the FTS5 index proposes (a subquery and its parameter), or None where it cannot
    help (short needles, PostgreSQL, whose planner uses its GIN index for the LIKE itself). `facets` ((name, value) of the
    filter's type, mode and country) narrow the candidates inside the index; the caller still filters
    on the event columns themselves, so they need only be a superset."""
    if db.dialect != "sqlite" or len(needle.lower()) < TRIGRAM:
        return None
    query = " OR ".join(f"{{{column}}} : {_phrase(f'|{needle}|' if column == 'codes' else needle)}"
                        for column in columns)  # fmt: skip
    tokens = {name: i for i, (name, _) in enumerate(FACETS)}
    narrowed = "".join(f" AND {{facets}} : {_phrase(facet_token(tokens[name], value))}" for name, value in facets)
    return "SELECT rowid FROM event_search WHERE event_search MATCH ?", [f"({query}){narrowed}"]


def caseless(needle: str) -> bool:
    """Whether no character of `needle` has a letter case. Then a trigram phrase match (case-folded) is
    exactly a substring match: folding maps cased letters to cased letters only."""
    return all(c.lower() == c == c.upper() == c.casefold() for c in needle)


def _facet_likes(db: Backend, facets: Facets) -> tuple[str, list[str]]:
    """PostgreSQL: ` AND t.facets LIKE ?` per facet (a superset filter, as in SQLite's index)."""
    if db.dialect == "sqlite":
        return "", []
    index = {name: i for i, (name, _) in enumerate(FACETS)}
    words = [escape_like(facet_word(index[name], value)) for name, value in facets]
    return "".join(" AND t.facets LIKE ? ESCAPE '\\'" for _ in words), [f"%{w}%" for w in words]


def _clause(db: Backend, needle: str, match: tuple[str, list[str]], candidates: tuple[str, list[str]] | None,
            facets: Facets, materialize: bool) -> tuple[str, list[str]]:  # fmt: skip
    sql, params = match
    if candidates and params:
        if caseless(needle):  # the index alone is exact: no event_text row is read
            return f"e.id IN ({candidates[0]})", candidates[1]
        sql, params = f"t.event_id IN ({candidates[0]}) AND {sql}", [*candidates[1], *params]
    if params:
        narrowed, values = _facet_likes(db, facets)
        sql, params = sql + narrowed, [*params, *values]
    ids = f"SELECT t.event_id FROM event_text t WHERE {sql}"
    # materialize (PostgreSQL): an InitPlan, planned on its own, without the outer query's LIMIT
    return (f"e.id = ANY (ARRAY({ids}))" if materialize else f"e.id IN ({ids})"), params


def text_clause(db: Backend, needle: str, facets: Facets = (), *, materialize: bool = False) -> tuple[str, list[str]]:
    """`e.id IN (...)` for events with a mention whose sentence or article title contains `needle`."""
    candidates = _candidates(db, needle, ("text",), facets)
    return _clause(db, needle, text_match(db, needle), candidates, facets, materialize)


def actor_clause(db: Backend, needle: str, facets: Facets = (), *, materialize: bool = False) -> tuple[str, list[str]]:
    """`e.id IN (...)` for events with a mention whose source or target text contains `needle`, or whose
    source or target country or role is `needle` upper-cased."""
    columns = ("actors", "codes") if "|" not in needle else ("actors",)
    candidates = _candidates(db, needle, columns, facets)
    return _clause(db, needle, actor_match(db, needle), candidates, facets, materialize)


def _per_event(predicate: str) -> str:
    """`predicate` over the `event_text` row of event `e`, looked up by its key: a scalar subquery, not
    EXISTS, because PostgreSQL turns EXISTS into a semi-join that filters every event_text row (14 ms
    at 30,000 events) where the walk wants a few hundred key lookups. No row (an event without
    mentions): NULL, which WHERE takes as false."""
    return f"(SELECT {predicate} FROM event_text t WHERE t.event_id = e.id)"


def text_exists(db: Backend, needle: str) -> tuple[str, list[str]]:
    """`text_clause` as a check of one event `e` (no index, same predicate): cheap while walking a few
    events in page order, where `e.id IN (...)` would first collect every match."""
    sql, params = text_match(db, needle)
    return _per_event(sql), params


def actor_exists(db: Backend, needle: str) -> tuple[str, list[str]]:
    """`actor_clause` as a check of one event `e` (no index, same predicate)."""
    sql, params = actor_match(db, needle)
    return _per_event(sql), params
