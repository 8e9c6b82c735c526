"""The store schema and its migrations, recorded in `schema_version`, each applied in one transaction.

A migration is a list of steps: DDL statements, where `{id}` stands for the dialect's auto-increment
key, or functions that move data inside the migration's transaction.
Migration N brings a database from version N-1 to N. An empty database is version 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from marsad.store.backend import Backend, StoreError
from marsad.store.entities import backfill
from marsad.store.reviews import V6
from marsad.store.search import index_events
from marsad.store.search_v4 import index_text

Step = str | Callable[[Backend], None]

V1 = [
    """CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        source TEXT,
        url TEXT,
        title TEXT,
        date TEXT,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,
        lexicon_version TEXT NOT NULL,
        coded_at TEXT NOT NULL)""",
    "CREATE INDEX articles_source ON articles (source)",
    "CREATE INDEX articles_lexicon_version ON articles (lexicon_version)",
    """CREATE TABLE events (
        id {id},
        event_key TEXT NOT NULL UNIQUE,
        family TEXT NOT NULL,
        event_type TEXT NOT NULL,
        mode TEXT,
        date TEXT,
        time_precision INTEGER,
        date_from TEXT,
        date_to TEXT,
        country_iso3 TEXT,
        geonameid BIGINT,
        lat DOUBLE PRECISION,
        lon DOUBLE PRECISION,
        location_name TEXT,
        location_name_ar TEXT,
        size_min BIGINT,
        size_max BIGINT,
        fatalities_min BIGINT,
        fatalities_max BIGINT,
        source_count INTEGER NOT NULL DEFAULT 0,
        summary TEXT NOT NULL DEFAULT '{{}}')""",
    "CREATE INDEX events_family_span ON events (family, date_from, date_to)",
    "CREATE INDEX events_type_date ON events (event_type, date)",
    "CREATE INDEX events_country_date ON events (country_iso3, date)",
    "CREATE INDEX events_date ON events (date)",
    "CREATE INDEX events_geonameid ON events (geonameid)",
    """CREATE TABLE mentions (
        id {id},
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        event_id BIGINT REFERENCES events (id) ON DELETE SET NULL,
        event_type TEXT NOT NULL,
        mode TEXT,
        date TEXT,
        time_precision INTEGER,
        country_iso3 TEXT,
        geonameid BIGINT,
        lat DOUBLE PRECISION,
        lon DOUBLE PRECISION,
        source_text TEXT,
        source_country TEXT,
        source_role TEXT,
        target_text TEXT,
        target_country TEXT,
        target_role TEXT,
        sentence_start INTEGER NOT NULL,
        sentence_end INTEGER NOT NULL,
        trigger_start INTEGER NOT NULL,
        trigger_end INTEGER NOT NULL,
        sentence TEXT NOT NULL,
        confidence DOUBLE PRECISION NOT NULL,
        negated BOOLEAN NOT NULL,
        hypothetical BOOLEAN NOT NULL,
        record TEXT NOT NULL)""",
    "CREATE INDEX mentions_article ON mentions (article_id)",
    "CREATE INDEX mentions_event ON mentions (event_id)",
    "CREATE INDEX mentions_source_country ON mentions (source_country)",
    "CREATE INDEX mentions_target_country ON mentions (target_country)",
]

# The API's page queries (docs/api.md, bench/load.py): sorting by source_count, alone or after an
# exact type or country filter, and type + country + date, walk an index instead of sorting the table.
V2 = [
    "CREATE INDEX events_count ON events (source_count, id)",
    "CREATE INDEX events_type_count ON events (event_type, source_count, id)",
    "CREATE INDEX events_country_count ON events (country_iso3, source_count, id)",
    "CREATE INDEX events_type_country_date ON events (event_type, country_iso3, date)",
    "CREATE INDEX events_type_date_count ON events (event_type, date, source_count)",
    "CREATE INDEX events_date_count ON events (date, source_count)",
]

# Places and actors as tables (issue 4), referenced by mentions and events; filled from stored records.
V3: list[Step] = [
    """CREATE TABLE places (
        id {id},
        place_key TEXT NOT NULL UNIQUE,
        geonameid BIGINT,
        name_ar TEXT,
        name_en TEXT,
        country_iso3 TEXT,
        admin1 TEXT,
        lat DOUBLE PRECISION,
        lon DOUBLE PRECISION,
        feature TEXT,
        precision INTEGER)""",
    "CREATE INDEX places_country ON places (country_iso3)",
    """CREATE TABLE actors (
        id {id},
        actor_key TEXT NOT NULL UNIQUE,
        text TEXT,
        name_en TEXT,
        country TEXT,
        role TEXT)""",
    "ALTER TABLE mentions ADD COLUMN place_id BIGINT REFERENCES places (id)",
    "ALTER TABLE mentions ADD COLUMN source_actor_id BIGINT REFERENCES actors (id)",
    "ALTER TABLE mentions ADD COLUMN target_actor_id BIGINT REFERENCES actors (id)",
    "ALTER TABLE events ADD COLUMN place_id BIGINT REFERENCES places (id)",
    "CREATE INDEX mentions_place ON mentions (place_id)",
    "CREATE INDEX mentions_source_actor ON mentions (source_actor_id)",
    "CREATE INDEX mentions_target_actor ON mentions (target_actor_id)",
    "CREATE INDEX events_place ON events (place_id)",
    backfill,
]

MIGRATIONS: list[tuple[str, Sequence[Step]]] = [
    ("v1: articles, events, mentions", V1),
    ("v2: indexes for sorting events by source count and filtering by type and country", V2),
    ("v3: places and actors tables, referenced by mentions and events", V3),
    ("v4: trigram text index for the q and actor filters (FTS5 on SQLite, pg_trgm on PostgreSQL)", [index_text]),
    ("v5: event_text, one searchable row per event, replaces v4's per-mention index", [index_events]),
    ("v6: reviews beside the machine coding, anchored on evidence spans, and the audit log", V6),
]
CURRENT = len(MIGRATIONS)
REVIEWS_VERSION = 6


def current_version(db: Backend) -> int:
    """The schema version recorded in the database (0 for an empty one)."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT)"
    )
    rows = db.execute("SELECT MAX(version) FROM schema_version")
    return int(rows[0][0] or 0)


def migrate(db: Backend, applied_at: str) -> int:
    """Apply every pending migration, each in its own transaction; return the new version."""
    version = current_version(db)
    if version > CURRENT:
        raise StoreError(f"database schema v{version} is newer than this marsad (v{CURRENT}); upgrade marsad")
    for number in range(version + 1, CURRENT + 1):
        name, statements = MIGRATIONS[number - 1]

        def apply(tx: Backend, number: int = number, name: str = name, steps: Sequence[Step] = statements) -> None:
            if int(tx.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0][0]) >= number:
                return
            for step in steps:
                if isinstance(step, str):
                    tx.execute(step.format(id=tx.id_column))
                else:
                    step(tx)
            tx.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)", (number, name, applied_at)
            )

        db.transaction(apply)
    return CURRENT
