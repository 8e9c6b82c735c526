"""The event store: articles, mentions (one coded event in one report), deduplicated events,
and the places and actors they name.

SQLite (WAL) for a path or `sqlite:///path`, PostgreSQL for `postgresql://user@host:port/db`,
both behind one `Store` (see docs/store.md).

>>> from marsad.store import open_store
>>> with open_store(":memory:") as store:
...     store.schema_version()
6
"""

from __future__ import annotations

from marsad.store.backend import StoreError
from marsad.store.store import EventFilter, Store, open_store

__all__ = ["EventFilter", "Store", "StoreError", "open_store"]
