"""The text index behind the `text` (API `q`) and `actor` filters: trigram search instead of a scan.

SQLite: `mention_search`, an FTS5 table with the `trigram` tokenizer, one row per mention (rowid =
mention id) holding its sentence, its article's title and its source and target texts, kept in step
by triggers, so every writer (ingest, recode, cascade deletes, rows written straight in SQL) fills it.
PostgreSQL: GIN `gin_trgm_ops` indexes on the same lower-cased columns (`pg_trgm`); without the
extension the migration still succeeds and the filters scan, as before v4.

The index only proposes candidate mentions; each is checked again with the pre-v4 predicate
(`LOWER(column) LIKE %needle%`), so results are exactly those of the scan. Needles shorter than
`TRIGRAM` characters cannot use a trigram index and take the scan.
"""

from __future__ import annotations

import logging

from marsad.store.backend import Backend, like_pattern

__all__ = ["TRIGRAM", "actor_clause", "actor_exists", "index_text", "text_clause", "text_exists"]

log = logging.getLogger(__name__)
TRIGRAM = 3
TRIGRAM_EXTENSION = "pg_trgm"
_MENTION_TEXT = (
    "NEW.id, NEW.sentence, (SELECT title FROM articles WHERE id = NEW.article_id), NEW.source_text, NEW.target_text"
)

SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE mention_search USING fts5(sentence, title, source_text, target_text, tokenize = 'trigram')",
    f"""CREATE TRIGGER mention_search_insert AFTER INSERT ON mentions BEGIN
        INSERT INTO mention_search (rowid, sentence, title, source_text, target_text) VALUES ({_MENTION_TEXT});
    END""",
    """CREATE TRIGGER mention_search_delete AFTER DELETE ON mentions BEGIN
        DELETE FROM mention_search WHERE rowid = OLD.id;
    END""",
    f"""CREATE TRIGGER mention_search_update AFTER UPDATE OF id, sentence, article_id, source_text, target_text
        ON mentions BEGIN
        DELETE FROM mention_search WHERE rowid = OLD.id;
        INSERT INTO mention_search (rowid, sentence, title, source_text, target_text) VALUES ({_MENTION_TEXT});
    END""",
    """CREATE TRIGGER mention_search_title AFTER UPDATE OF title ON articles BEGIN
        UPDATE mention_search SET title = NEW.title
        WHERE rowid IN (SELECT id FROM mentions WHERE article_id = NEW.id);
    END""",
    """INSERT INTO mention_search (rowid, sentence, title, source_text, target_text)
        SELECT m.id, m.sentence, a.title, m.source_text, m.target_text
        FROM mentions m LEFT JOIN articles a ON a.id = m.article_id""",
]

POSTGRES_INDEX = [
    "CREATE INDEX mentions_sentence_trgm ON mentions USING gin (LOWER(sentence) gin_trgm_ops)",
    "CREATE INDEX articles_title_trgm ON articles USING gin (LOWER(title) gin_trgm_ops)",
    "CREATE INDEX mentions_source_text_trgm ON mentions USING gin (LOWER(source_text) gin_trgm_ops)",
    "CREATE INDEX mentions_target_text_trgm ON mentions USING gin (LOWER(target_text) gin_trgm_ops)",
]

# The exact-code half of the actor filter, one indexed lookup per column.
ROLE_INDEXES = [
    "CREATE INDEX mentions_source_role ON mentions (source_role)",
    "CREATE INDEX mentions_target_role ON mentions (target_role)",
]


def index_text(tx: Backend) -> None:
    """Migration v4: build the text index on either backend and fill it from the stored rows."""
    tx.executescript(ROLE_INDEXES)
    if tx.dialect == "sqlite":
        tx.executescript(SQLITE_INDEX)
    elif _create_pg_trgm(tx):
        tx.executescript(POSTGRES_INDEX)
    else:
        log.warning("PostgreSQL extension %s is unavailable: the q and actor filters will scan mentions "
                    "(install postgresql-contrib, or have a superuser run CREATE EXTENSION %s)",
                    TRIGRAM_EXTENSION, TRIGRAM_EXTENSION)  # fmt: skip


def _create_pg_trgm(tx: Backend) -> bool:
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


def _phrase(needle: str, columns: str) -> str:
    """An FTS5 query for `needle` as one phrase in `columns`: trigram phrases match substrings."""
    return "{" + columns + '} : "' + needle.lower().replace('"', '""') + '"'


def _indexed(db: Backend, needle: str) -> bool:
    return db.dialect == "sqlite" and len(needle.lower()) >= TRIGRAM and "\x00" not in needle


def text_clause(db: Backend, needle: str) -> tuple[str, list[str]]:
    """`e.id IN (...)` for events with a mention whose sentence or article title contains `needle`."""
    pattern = like_pattern(needle)
    if not _indexed(db, needle):
        sql = ("e.id IN (SELECT m.event_id FROM mentions m WHERE m.event_id IS NOT NULL AND LOWER(m.sentence) LIKE ? "
               "ESCAPE '\\' UNION SELECT m.event_id FROM mentions m JOIN articles a ON a.id = m.article_id "
               "WHERE m.event_id IS NOT NULL AND LOWER(a.title) LIKE ? ESCAPE '\\')")  # fmt: skip
        return sql, [pattern, pattern]
    sql = ("e.id IN (SELECT m.event_id FROM mentions m LEFT JOIN articles a ON a.id = m.article_id "
           "WHERE m.id IN (SELECT rowid FROM mention_search WHERE mention_search MATCH ?) AND m.event_id IS NOT NULL "
           "AND (LOWER(m.sentence) LIKE ? ESCAPE '\\' OR LOWER(a.title) LIKE ? ESCAPE '\\'))")  # fmt: skip
    return sql, [_phrase(needle, "sentence title"), pattern, pattern]


def _indexed_by(db: Backend, column: str) -> str:
    """SQLite's planner takes a column that is mostly NULL (country codes in many stores) for an
    unselective one and scans 100,000 mentions; an exact code lookup always wants its index."""
    return f" INDEXED BY mentions_{column}" if db.dialect == "sqlite" else ""


def actor_clause(db: Backend, needle: str) -> tuple[str, list[str]]:
    """`e.id IN (...)` for events with a mention whose source or target text contains `needle`, or whose
    source or target country or role is `needle` (upper-cased)."""
    pattern, code = like_pattern(needle), needle.upper()
    codes = " ".join(f"UNION SELECT event_id FROM mentions{_indexed_by(db, column)} WHERE {column} = ? "
                     "AND event_id IS NOT NULL"
                     for column in ("source_country", "target_country", "source_role", "target_role"))  # fmt: skip
    if _indexed(db, needle):
        texts = ("SELECT m.event_id FROM mentions m WHERE m.id IN (SELECT rowid FROM mention_search WHERE "
                 "mention_search MATCH ?) AND m.event_id IS NOT NULL AND (LOWER(m.source_text) LIKE ? ESCAPE '\\' "
                 "OR LOWER(m.target_text) LIKE ? ESCAPE '\\')")  # fmt: skip
        return f"e.id IN ({texts} {codes})", [_phrase(needle, "source_text target_text"), pattern, pattern, *[code] * 4]
    texts = ("SELECT event_id FROM mentions WHERE event_id IS NOT NULL AND LOWER(source_text) LIKE ? ESCAPE '\\' "
             "UNION SELECT event_id FROM mentions WHERE event_id IS NOT NULL AND LOWER(target_text) LIKE ? ESCAPE '\\'")  # fmt: skip
    return f"e.id IN ({texts} {codes})", [pattern, pattern, *[code] * 4]


def text_exists(needle: str) -> tuple[str, list[str]]:
    """`text_clause` as a check of one event `e` (no index, same predicate): cheap while walking a few
    events in page order, where `e.id IN (...)` would first collect every match."""
    pattern = like_pattern(needle)
    sql = ("EXISTS (SELECT 1 FROM mentions m LEFT JOIN articles a ON a.id = m.article_id WHERE m.event_id = e.id "
           "AND (LOWER(m.sentence) LIKE ? ESCAPE '\\' OR LOWER(a.title) LIKE ? ESCAPE '\\'))")  # fmt: skip
    return sql, [pattern, pattern]


def actor_exists(needle: str) -> tuple[str, list[str]]:
    """`actor_clause` as a check of one event `e` (no index, same predicate)."""
    pattern, code = like_pattern(needle), needle.upper()
    sql = ("EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = e.id AND (LOWER(m.source_text) LIKE ? ESCAPE '\\' "
           "OR LOWER(m.target_text) LIKE ? ESCAPE '\\' OR m.source_country = ? OR m.target_country = ? "
           "OR m.source_role = ? OR m.target_role = ?))")  # fmt: skip
    return sql, [pattern, pattern, *[code] * 4]
