"""Migration v4 as it was: a trigram index per mention (FTS5 `mention_search` on SQLite, pg_trgm GIN on
PostgreSQL). Migration v5 (store/search.py) drops it for `event_text`; it is kept so that migrating an
older store replays the same history."""

from __future__ import annotations

from marsad.store.backend import Backend
from marsad.store.search import create_pg_trgm

_MENTION_TEXT = (
    "NEW.id, NEW.sentence, (SELECT title FROM articles WHERE id = NEW.article_id), NEW.source_text, NEW.target_text"
)
SQLITE_INDEX_V4 = [
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
POSTGRES_INDEX_V4 = [
    "CREATE INDEX mentions_sentence_trgm ON mentions USING gin (LOWER(sentence) gin_trgm_ops)",
    "CREATE INDEX articles_title_trgm ON articles USING gin (LOWER(title) gin_trgm_ops)",
    "CREATE INDEX mentions_source_text_trgm ON mentions USING gin (LOWER(source_text) gin_trgm_ops)",
    "CREATE INDEX mentions_target_text_trgm ON mentions USING gin (LOWER(target_text) gin_trgm_ops)",
]
ROLE_INDEXES_V4 = [
    "CREATE INDEX mentions_source_role ON mentions (source_role)",
    "CREATE INDEX mentions_target_role ON mentions (target_role)",
]


def index_text(tx: Backend) -> None:
    """Migration v4 (as it was): a trigram index per mention. v5 drops it for `event_text`."""
    tx.executescript(ROLE_INDEXES_V4)
    if tx.dialect == "sqlite":
        tx.executescript(SQLITE_INDEX_V4)
    elif create_pg_trgm(tx):
        tx.executescript(POSTGRES_INDEX_V4)
