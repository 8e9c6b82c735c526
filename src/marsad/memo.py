"""Memos and resource loaders that threads can share.

The API codes posted articles in a thread pool and a Spark worker may run several tasks in one
process, so what coding remembers must be bounded and safe under threads:

- `BoundedMemo`: a map of at most `maxsize` items behind one lock that forgets the least
  recently used ones, for memos that belong to a resource (the gazetteer's reading of each token it has seen).
- `functools.lru_cache(maxsize=N)` for memoised pure functions of a token (`stem_keys`,
  `clitic_forms`, the matchers' heads): CPython's lru_cache is documented thread-safe and bounded.
- `load_once`: a resource loader (`default_lexicon`, `load_gazetteer`) that builds its resource
  once per process even when eight threads ask for it at the same moment.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, NamedTuple, TypeVar, cast

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")

__all__ = ["BoundedMemo", "CacheInfo", "LoadOnce", "PerKey", "load_once"]


class BoundedMemo(Generic[K, V]):
    """A memo of at most `maxsize` items, safe under threads, that forgets the least recently used.

    Two generations of `maxsize // 2`: new keys go to the young one; when it is full it becomes
    the old one and the previous old one is dropped; a key read from the old generation moves
    back to the young one. So a key read since the last turnover always survives the next, and a
    hit costs one dict lookup (a strict LRU list costs three times that on the coder's hot path).
    Values must not be None (None marks a key not yet computed).

    >>> memo: BoundedMemo[str, int] = BoundedMemo(2)
    >>> memo.lookup_many(["قم", "حمص", "قم"], len)
    [2, 3, 2]
    >>> memo.lookup_many(["غزة"], len), sorted(memo.keys())
    ([3], ['غزة', 'قم'])
    """

    __slots__ = ("_half", "_lock", "_old", "_young", "maxsize")

    def __init__(self, maxsize: int) -> None:
        if maxsize < 2:
            raise ValueError(f"maxsize must be at least 2, not {maxsize}")
        self.maxsize = maxsize
        self._half = maxsize // 2
        self._young: dict[K, V] = {}
        self._old: dict[K, V] = {}
        self._lock = threading.Lock()

    def lookup_many(self, keys: Sequence[K], compute: Callable[[K], V]) -> list[V]:
        """The value of every key, computing (with `compute`, which must not use this memo) the
        ones not remembered; one lock for the whole batch, one dict lookup a remembered key."""
        with self._lock:
            values: list[V | None] = list(map(self._young.get, keys))
            if None in values:
                for i, value in enumerate(values):
                    if value is None:
                        values[i] = self._recall(keys[i], compute)
        return cast(list[V], values)

    def _recall(self, key: K, compute: Callable[[K], V]) -> V:
        """A key the young generation lacks (called with the lock held)."""
        value = self._young.get(key)  # a repeat within the batch
        if value is None:
            value = self._old.pop(key, None)
            if value is None:
                value = compute(key)
            if len(self._young) >= self._half:
                self._old, self._young = self._young, {}
            self._young[key] = value
        return value

    def lookup(self, key: K, compute: Callable[[K], V]) -> V:
        """The value of one key (computed and remembered if new)."""
        return self.lookup_many((key,), compute)[0]

    def keys(self) -> list[K]:
        """The keys remembered now."""
        with self._lock:
            return [*self._young, *(k for k in self._old if k not in self._young)]

    def clear(self) -> None:
        with self._lock:
            self._young, self._old = {}, {}

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._young or key in self._old

    def __len__(self) -> int:
        with self._lock:
            return len(self._young) + len(self._old)


class CacheInfo(NamedTuple):
    """What `functools.lru_cache` reports, for a loader: `misses` counts the builds."""

    hits: int
    misses: int
    maxsize: int
    currsize: int


class LoadOnce(Generic[T]):
    """A zero-argument loader whose result is built once and shared (see `load_once`)."""

    def __init__(self, loader: Callable[[], T]) -> None:
        self._loader = loader
        self._lock = threading.Lock()
        self._loaded: tuple[T] | None = None
        self._hits = self._misses = 0
        functools.update_wrapper(self, loader)

    def __call__(self) -> T:
        loaded = self._loaded  # one read: a box is either absent or complete
        if loaded is None:
            with self._lock:
                loaded = self._loaded
                if loaded is None:
                    self._misses += 1
                    loaded = self._loaded = (self._loader(),)
                    return loaded[0]
        self._hits += 1  # a statistic: a lost increment under threads does not matter
        return loaded[0]

    def cache_info(self) -> CacheInfo:
        """Hits and builds so far, like `functools.lru_cache` (the Spark job counts builds)."""
        return CacheInfo(self._hits, self._misses, 1, 0 if self._loaded is None else 1)

    def cache_clear(self) -> None:
        """Forget the resource: the next call builds it again (after a rebuild, in tests)."""
        with self._lock:
            self._loaded = None
            self._hits = self._misses = 0


def load_once(loader: Callable[[], T]) -> LoadOnce[T]:
    """Decorate a resource loader: the first caller builds, concurrent callers wait for it, later
    callers get the same object; a loader that raises is tried again on the next call."""
    return LoadOnce(loader)


class PerKey(Generic[K, V]):
    """Resources read once per key (a model file per path), shared read-only under threads:
    `get(key, loader)` builds with `loader(key)` the first time, concurrent callers wait."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[K, V] = {}

    def get(self, key: K, loader: Callable[[K], V]) -> V:
        found = self._loaded.get(key)
        if found is not None:
            return found
        with self._lock:
            if key not in self._loaded:
                self._loaded[key] = loader(key)
            return self._loaded[key]
