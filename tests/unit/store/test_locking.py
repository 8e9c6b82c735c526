"""SQLite lock contention: writers wait and retry with backoff; a lock that never ends is a StoreError."""

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from marsad.store import StoreError, open_store
from marsad.store.backend import SQLiteBackend


def _hold_write_lock(path: Path, seconds: float, held: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    held.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def test_a_writer_retries_until_another_writer_commits(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    open_store(str(path)).close()
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 0.4, held))
    holder.start()
    held.wait()
    db = SQLiteBackend(str(path), busy_timeout_ms=50)
    started = time.monotonic()
    assert db.transaction(lambda tx: tx.execute("SELECT COUNT(*) FROM articles")) == [(0,)]
    assert time.monotonic() - started >= 0.3
    holder.join()
    db.close()


def test_a_lock_that_outlasts_every_retry_is_a_store_error_naming_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.db"
    open_store(str(path)).close()
    monkeypatch.setattr("marsad.store.backend._backoff", lambda attempt: None)
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 1.0, held))
    holder.start()
    held.wait()
    db = SQLiteBackend(str(path), busy_timeout_ms=10)
    with pytest.raises(StoreError, match=r"\[E401\].*m\.db.*stayed locked through 8 attempts"):
        db.transaction(lambda tx: tx.execute("SELECT 1"))
    holder.join()
    db.close()
