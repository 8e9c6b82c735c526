"""Readers: files and stdin → `Article` records, with bad records reported, never dropped.

`.jsonl`: one article a line, `{"id", "text", "date"?, "title"?, "source"?, "url"?}`.
Anything else: one plain-text article per file, id = file name without extension.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from marsad.errors import InputError
from marsad.model import Article

OPTIONAL_FIELDS = ("date", "title", "source", "url")


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record that could not be read: where it was and why."""

    where: str
    record_id: str | None
    reason: str


def article_from_json(obj: object, where: str) -> Article:
    """Validate one decoded JSONL record; raise `InputError` naming `where` on a bad one."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: a record must be a JSON object, got {type(obj).__name__}")
    rid, text = obj.get("id"), obj.get("text")
    if not isinstance(rid, (str, int)) or isinstance(rid, bool) or str(rid) == "":
        raise InputError(f'{where}: missing or invalid "id" (a non-empty string)')
    if not isinstance(text, str):
        raise InputError(f'{where}: record {rid!r} has no "text" string')
    extras: dict[str, str | None] = {}
    for name in OPTIONAL_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}: record {rid!r} field {name!r} must be a string")
        extras[name] = value
    return Article(id=str(rid), text=text, **extras)


def read_jsonl(lines: Iterable[bytes], name: str) -> Iterator[Article | BadRecord]:
    """Articles from JSONL lines; each bad line becomes a `BadRecord` with its line number."""
    for number, raw in enumerate(lines, 1):
        where = f"{name}:{number}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield BadRecord(where, None, f"not valid UTF-8 at byte {exc.start}")
            continue
        if not line.strip():
            continue
        try:
            yield article_from_json(json.loads(line), where)
        except json.JSONDecodeError as exc:
            yield BadRecord(where, None, f"invalid JSON: {exc.msg} at column {exc.colno}")
        except InputError as exc:
            yield BadRecord(where, None, str(exc))


def read_path(path: str) -> Iterator[Article | BadRecord]:
    """Articles from one path (`-` = stdin, read as JSONL if it looks like JSON, else one text)."""
    if path == "-":
        data = sys.stdin.buffer.read()
        if data.lstrip().startswith(b"{"):
            yield from read_jsonl(data.splitlines(), "<stdin>")
        else:
            yield from _plain(data, "stdin", "<stdin>")
        return
    file = Path(path)
    if file.suffix.lower() == ".jsonl":
        with file.open("rb") as stream:
            yield from read_jsonl(stream, file.name)
        return
    yield from _plain(file.read_bytes(), file.stem, str(file))


def _plain(data: bytes, article_id: str, where: str) -> Iterator[Article | BadRecord]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield BadRecord(where, article_id, f"not valid UTF-8 at byte {exc.start}")
        return
    yield Article(id=article_id, text=text)
