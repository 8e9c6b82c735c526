"""Database connections: SQLite and PostgreSQL (pg8000) behind one small DB-API wrapper.

SQL is written once with `?` placeholders; the PostgreSQL backend rewrites them to pg8000's
`%s`. Values always travel as parameters, never inside the SQL text.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from marsad.errors import MarsadError

T = TypeVar("T")
Params = Sequence[Any]
Row = tuple[Any, ...]
RETRIES = 8


class StoreError(MarsadError):
    """The store cannot be opened or written (the message names the database and the fix)."""

    code = "E401"


class Backend:
    """One open connection; `transaction()` runs a unit of work atomically, retrying on lock."""

    dialect = ""
    id_column = ""

    def execute(self, sql: str, params: Params = ()) -> list[Row]:
        raise NotImplementedError

    def executescript(self, statements: Sequence[str]) -> None:
        for statement in statements:
            self.execute(statement)

    def transaction(self, work: Callable[[Backend], T]) -> T:
        raise NotImplementedError

    def read(self, sql: str, params: Params = ()) -> list[Row]:
        """Run a query outside any write transaction."""
        return self.execute(sql, params)

    def close(self) -> None:
        raise NotImplementedError


def _backoff(attempt: int) -> None:
    time.sleep(min(2.0, 0.02 * 2**attempt) * (0.5 + random.random()))


class SQLiteBackend(Backend):
    """SQLite in WAL mode with foreign keys on; `BEGIN IMMEDIATE` so writers queue, not deadlock."""

    dialect = "sqlite"
    id_column = "INTEGER PRIMARY KEY AUTOINCREMENT"

    def __init__(self, path: str, *, busy_timeout_ms: int = 5000) -> None:
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open SQLite database {path!r}: {exc}; check the path and permissions") from exc
        self.path = path
        self.conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        if path != ":memory:":
            self._retry(lambda: self.conn.execute("PRAGMA journal_mode = WAL").fetchall())
        self.conn.execute("PRAGMA synchronous = NORMAL")

    def execute(self, sql: str, params: Params = ()) -> list[Row]:
        return self.conn.execute(sql, tuple(params)).fetchall()

    def _retry(self, work: Callable[[], T]) -> T:
        for attempt in range(RETRIES):
            try:
                return work()
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc):
                    raise
                if attempt == RETRIES - 1:
                    raise StoreError(f"SQLite database {self.path!r} stayed locked through {RETRIES} attempts ({exc}); "
                                     "another process holds a long write transaction: run again when it ends") from exc  # fmt: skip
                _backoff(attempt)
        raise AssertionError("unreachable")

    def transaction(self, work: Callable[[Backend], T]) -> T:
        def attempt() -> T:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(self)
                self.conn.execute("COMMIT")
                return result
            except BaseException:
                self.conn.rollback()
                raise

        return self._retry(attempt)

    def close(self) -> None:
        self.conn.close()


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


@dataclass(frozen=True, slots=True)
class PgParams:
    """Connection parameters parsed from a `postgresql://` URL."""

    user: str
    host: str
    port: int
    database: str
    password: str | None
    unix_sock: str | None


def parse_pg_url(url: str) -> PgParams:
    """`postgresql://user[:pw]@host[:port]/db[?host=/socket/dir]` → connection parameters."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    port = parts.port or 5432
    socket_dir = query.get("host", [None])[0]
    database = unquote(parts.path.lstrip("/")) or "postgres"
    return PgParams(
        user=unquote(parts.username or "postgres"),
        host=parts.hostname or "localhost",
        port=port,
        database=database,
        password=unquote(parts.password) if parts.password else None,
        unix_sock=f"{socket_dir}/.s.PGSQL.{port}" if socket_dir else None,
    )


class PostgresBackend(Backend):
    """PostgreSQL through pg8000; each transaction takes an advisory lock so dedup is serial."""

    dialect = "postgresql"
    id_column = "BIGSERIAL PRIMARY KEY"
    LOCK_KEY = 0x6D617273

    def __init__(self, url: str) -> None:
        import pg8000.dbapi  # type: ignore[import-untyped,unused-ignore]

        p = parse_pg_url(url)
        try:
            if p.unix_sock:
                self.conn = pg8000.dbapi.connect(
                    user=p.user, database=p.database, password=p.password, unix_sock=p.unix_sock
                )
            else:
                self.conn = pg8000.dbapi.connect(
                    user=p.user, host=p.host, port=p.port, database=p.database, password=p.password
                )
        except Exception as exc:  # pg8000 raises InterfaceError/DatabaseError/OSError here
            raise StoreError(f"cannot connect to PostgreSQL {_redact(url)}: {exc}; is the server running?") from exc
        self.conn.autocommit = True
        self.errors = pg8000.dbapi.DatabaseError

    def execute(self, sql: str, params: Params = ()) -> list[Row]:
        cursor = self.conn.cursor()
        try:
            cursor.execute(sql.replace("?", "%s"), tuple(params))
            return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
        finally:
            cursor.close()

    def transaction(self, work: Callable[[Backend], T]) -> T:
        for attempt in range(RETRIES):
            self.execute("BEGIN")
            try:
                self.execute("SELECT pg_advisory_xact_lock(?)", (self.LOCK_KEY,))
                result = work(self)
                self.execute("COMMIT")
                return result
            except self.errors as exc:
                self.execute("ROLLBACK")
                if not _is_retryable_pg(exc) or attempt == RETRIES - 1:
                    raise
                _backoff(attempt)
            except BaseException:
                self.execute("ROLLBACK")
                raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


def _is_retryable_pg(exc: Exception) -> bool:
    detail = exc.args[0] if exc.args else None
    return isinstance(detail, dict) and detail.get("C") in ("40001", "40P01")


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def connect(url: str) -> Backend:
    """A backend for a store URL: a path, `sqlite:///path`, or `postgresql://...`."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(url)
    if url.startswith("sqlite:///"):
        return SQLiteBackend(url[len("sqlite:///") :] or ":memory:")
    if url.startswith("sqlite://"):
        return SQLiteBackend(":memory:")
    if "://" in url:
        raise StoreError(f"unknown database URL {url!r}: use a path, sqlite:///path or postgresql://user@host/db")
    return SQLiteBackend(url)


def escape_like(value: str) -> str:
    """`value` with LIKE's wildcards and the escape character escaped (for `ESCAPE '\\'`), case kept."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(value: str) -> str:
    """A case-insensitive substring pattern for `LOWER(column) LIKE ? ESCAPE '\\'`: `value`
    lower-cased, its LIKE wildcards and the escape character escaped, wrapped in %."""
    return f"%{escape_like(value.lower())}%"
