"""The gazetteer index in memory and on disk.

On disk the index is data only, never code: one JSON header line (what the file is, its format,
the hash of the sources it was built from and a checksum of the body), then the body as compact
JSON. Reading it cannot run anything, whoever wrote the cache directory; a file that is not such
an index, is damaged, of another format or built from other sources raises `CacheError`, and the
loader rebuilds it. JSON is read in ~20 ms (the pickle it replaces: ~15 ms).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from marsad.errors import MarsadError
from marsad.memo import BoundedMemo

MAGIC = "marsad-gazetteer-index"
FORMAT = 4  # 3: small namesakes kept as context-only candidates; 4: JSON instead of pickle
MEMO_LIMIT = 300_000  # distinct tokens whose reading a gazetteer remembers (a few tens of MB at most)

__all__ = ["CacheError", "CacheWarning", "Gazetteer", "GeoEntry", "NameRow", "read_index", "write_index"]


class CacheError(MarsadError):
    """A cache file is not a Marsad index, is damaged, or was built from other sources or by
    another format (it is rebuilt; nothing in it is ever executed)."""

    code = "E120"


class CacheWarning(UserWarning):
    """A cache was rebuilt because the file found was unusable (the message says why)."""


class GeoEntry(NamedTuple):
    """A place the gazetteer knows."""

    geonameid: int | None
    name_en: str
    iso2: str | None
    iso3: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    feature: str  # country / admin / city / landmark
    precision: int


class NameRow(NamedTuple):
    """One indexed name: its token key, the entries it may mean, and the form as written."""

    key: tuple[str, ...]
    entries: tuple[int, ...]
    written: str


Names = dict[tuple[str, ...], tuple[tuple[int, ...], str]]
Namesakes = dict[tuple[str, ...], tuple[int, ...]]


def _token_memo() -> BoundedMemo[str, Any]:
    return BoundedMemo(MEMO_LIMIT)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """The loaded index: entries, names by first token, stoplist rules, nisba forms, namesakes.

    `names[token]` lists the names starting with that token, longest first. `stop[key]` is
    "never" (a common word, not a place) or "cue" (a place only after a locative cue); a `never`
    key may hold words around the name (جوز الهند). `roles[word]` are the roles of a context word.
    `namesakes[key]` are the small foreign towns a name also means (الإسكندرية: Alexandria, VA):
    never recognised on their own, candidates only when a qualifier names their country or unit.
    `memo` remembers what each token the recogniser has seen can start (bounded, thread-safe).
    `compound_ends` are the last words of the `never` rows of more than one word (جوز الهند → الهند).
    """

    entries: tuple[GeoEntry, ...]
    names: dict[str, tuple[NameRow, ...]]
    stop: dict[tuple[str, ...], str]
    nisba: dict[str, str]
    roles: dict[str, frozenset[str]]
    namesakes: Namesakes = field(default_factory=dict)
    memo: BoundedMemo[str, Any] = field(default_factory=_token_memo, compare=False, repr=False)
    compound_ends: frozenset[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        ends = frozenset(key[-1] for key in self.stop if len(key) > 1)
        object.__setattr__(self, "compound_ends", ends)

    def lookup(self, key: tuple[str, ...]) -> NameRow | None:
        """The name row for an exact token key."""
        for row in self.names.get(key[0], ()) if key else ():
            if row.key == key:
                return row
        return None


def checksum(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def _body(gaz: Gazetteer) -> dict[str, Any]:
    """The index as JSON values: entries by column, names by first token (longest first)."""
    return {
        "entries": [list(column) for column in zip(*gaz.entries, strict=True)] if gaz.entries else [],
        "names": {head: [[row.key, row.entries, row.written] for row in rows] for head, rows in gaz.names.items()},
        "stop": [[key, kind] for key, kind in gaz.stop.items()],
        "nisba": gaz.nisba,
        "roles": {word: sorted(kinds) for word, kinds in gaz.roles.items()},
        "namesakes": [[key, ids] for key, ids in gaz.namesakes.items()],
    }


def write_index(path: Path, gaz: Gazetteer, *, source: str) -> int:
    """Write `gaz` to `path` atomically (temporary file, fsync, rename); returns the bytes written."""
    body = json.dumps(_body(gaz), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    header = {"magic": MAGIC, "format": FORMAT, "source": source, "checksum": checksum(body)}
    data = json.dumps(header).encode() + b"\n" + body
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(data)


def read_index(path: Path, *, source: str | None = None) -> Gazetteer:
    """Read an index written by `write_index`; with `source`, it must have been built from it.

    Raises CacheError (never anything else about the file's content) when it cannot be used.
    """
    data = path.read_bytes()
    head, _, body = data.partition(b"\n")
    header = _header(path, head)
    if header.get("format") != FORMAT:
        raise CacheError(f"{path}: index format {header.get('format')!r}, expected {FORMAT}")
    if source is not None and header.get("source") != source:
        raise CacheError(f"{path}: built from other sources ({header.get('source')!r}, now {source!r})")
    if header.get("checksum") != checksum(body):
        raise CacheError(f"{path}: damaged (checksum mismatch)")
    try:
        with _collector_paused():
            return _gazetteer(json.loads(body))
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise CacheError(f"{path}: unreadable index body ({type(error).__name__}: {error})") from None


def _header(path: Path, head: bytes) -> dict[str, Any]:
    try:
        header = json.loads(head)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("magic") != MAGIC:
        raise CacheError(f"{path}: not a Marsad gazetteer index")
    return header


def _gazetteer(body: dict[str, Any]) -> Gazetteer:
    columns = body["entries"]
    if columns and (len(columns) != len(GeoEntry._fields) or len({len(c) for c in columns}) != 1):
        raise ValueError("entries must be one list per GeoEntry field, all of one length")
    entries = tuple(map(GeoEntry, *columns)) if columns else ()
    names = {
        head: tuple([NameRow(tuple(key), tuple(ids), written) for key, ids, written in rows])
        for head, rows in body["names"].items()
    }
    stop = {tuple(key): str(kind) for key, kind in body["stop"]}
    nisba = {str(form): str(iso3) for form, iso3 in body["nisba"].items()}
    roles = {str(word): frozenset(kinds) for word, kinds in body["roles"].items()}
    namesakes = {tuple(key): tuple(ids) for key, ids in body["namesakes"]}
    return Gazetteer(entries, names, stop, nisba, roles, namesakes)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Tens of thousands of small containers are created at once: the cyclic collector would scan
    them again and again (it doubles the load time) and there are no cycles to find."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
