"""One open store per worker thread: SQLite connections stay in the thread that opened them,
PostgreSQL connections are reused instead of opened per request."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from marsad.store import Store, open_store

log = logging.getLogger("marsad.web")


class StoreProvider:
    """Opens the store at `url` lazily in each thread; a connection that failed is dropped."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Store] = []

    def check(self) -> int:
        """Open, migrate and close the store once (fail fast at start-up); its schema version."""
        with open_store(self.url) as store:
            return store.schema_version()

    @contextmanager
    def session(self) -> Iterator[Store]:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.url)
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        try:
            yield store
        except Exception:
            self._local.store = None
            self._forget(store)
            raise

    def _forget(self, store: Store) -> None:
        with self._lock:
            if store in self._opened:
                self._opened.remove(store)
        try:
            store.close()
        except Exception as exc:  # noqa: BLE001 - a broken connection may fail to close; it is dropped anyway
            log.debug("closing a failed store connection: %s", exc)

    def close_all(self) -> None:
        """Close every connection that can be closed from this thread (others close with their thread)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for store in opened:
            try:
                store.close()
            except Exception as exc:  # noqa: BLE001 - sqlite3 refuses to close another thread's connection
                log.debug("store connection left to its thread: %s", exc)
