"""Readers: files and stdin → `Article` records, with bad records reported, never dropped.

`.jsonl`: one article a line, `{"id", "text", "date"?, "title"?, "source"?, "url"?}`.
`.csv`: one article a row, columns named by `CsvColumns` (a wrong name is an `InputError`).
`.html`/`.htm`: one article a page, body and metadata extracted by trafilatura.
`.xml`/`.rss`/`.atom`: RSS/Atom feeds read by feedparser, one article an entry.
Anything else: one plain-text article per file, id = file name without extension.
Directories are walked recursively (`iter_files`); `language_of` tells Arabic from the rest.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.errors import InputError
from marsad.limits import article_problem, current_limits
from marsad.model import Article

OPTIONAL_FIELDS = ("date", "title", "source", "url")
HTML_SUFFIXES = frozenset({".html", ".htm"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
KNOWN_SUFFIXES = frozenset({".txt", ".jsonl", ".csv"}) | HTML_SUFFIXES | FEED_SUFFIXES


@dataclass(frozen=True, slots=True)
class CsvColumns:
    """Which CSV columns hold the text, the id and the date.

    A column named here must exist. Left as None, `id` and `date` columns are used when the
    header has them; without an id column a row's id is `FILE:ROW`. `title`, `url` and
    `source` columns are read when present.
    """

    text: str = "text"
    id: str | None = None
    date: str | None = None


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
    for name, value in (("id", str(rid)), ("text", text), *extras.items()):
        at = unpaired_surrogate(value)
        if at is not None:
            raise InputError(f"{where}: record {rid!r} field {name!r} has an unpaired surrogate at character {at} "
                             "(a broken \\u escape such as \\ud800); fix the JSON")  # fmt: skip
    return Article(id=str(rid), text=text, **extras)


def unpaired_surrogate(value: str | None) -> int | None:
    """Where `value` holds a lone UTF-16 surrogate (JSON `"\\ud800"` decodes to one), or None.

    Such a string cannot be written as UTF-8: not to stdout, not to the store.
    """
    if not value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


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


def read_path(path: str, *, csv_columns: CsvColumns | None = None) -> Iterator[Article | BadRecord]:
    """Articles from one path (`-` = stdin, read as JSONL if it looks like JSON, else one text).

    Empty articles and articles over the size limit (`marsad.limits`) become `BadRecord`s.
    """
    limits = current_limits()
    where = "<stdin>" if path == "-" else path
    for item in _read_path(path, csv_columns):
        if isinstance(item, Article):
            problem = article_problem(item.text, limits)
            if problem:
                yield BadRecord(where, item.id, problem)
                continue
        yield item


def _read_path(path: str, csv_columns: CsvColumns | None) -> Iterator[Article | BadRecord]:
    if path == "-":
        data = sys.stdin.buffer.read()
        if data.lstrip().startswith(b"{"):
            yield from read_jsonl(data.splitlines(), "<stdin>")
        else:
            yield from _plain(data, "stdin", "<stdin>")
        return
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix == ".jsonl":
        with file.open("rb") as stream:
            yield from read_jsonl(stream, file.name)
    elif suffix == ".csv":
        yield from read_csv(file, csv_columns or CsvColumns())
    elif suffix in HTML_SUFFIXES:
        yield from read_html(file)
    elif suffix in FEED_SUFFIXES:
        yield from read_feed(file)
    else:
        yield from _plain(file.read_bytes(), file.stem, str(file))


def iter_files(paths: Iterable[str]) -> Iterator[Path]:
    """Each file named, and every readable file (known suffix, not hidden) under each directory."""
    for path in paths:
        root = Path(path)
        if not root.is_dir():
            yield root
            continue
        for file in sorted(root.rglob("*")):
            hidden = any(part.startswith(".") for part in file.relative_to(root).parts)
            if file.is_file() and not hidden and file.suffix.lower() in KNOWN_SUFFIXES:
                yield file


def _csv_rows(file: Path) -> Iterator[dict[str, str]]:
    csv.field_size_limit(2**31 - 1)
    with file.open(encoding="utf-8-sig", newline="") as stream:
        yield from csv.DictReader(stream)


def csv_columns_of(file: Path, columns: CsvColumns) -> CsvColumns:
    """The columns to read from `file`, checked against its header (`InputError` names what is missing)."""
    with file.open(encoding="utf-8-sig", newline="") as stream:
        header = next(csv.reader(stream), [])
    wanted = [name for name in (columns.text, columns.id, columns.date) if name is not None]
    missing = [name for name in wanted if name not in header]
    if missing:
        raise InputError(
            f"{file}: no column {', '.join(map(repr, missing))}; the header has {header}; "
            "choose with --csv-text-col / --csv-id-col / --csv-date-col"
        )
    return CsvColumns(
        text=columns.text,
        id=columns.id or ("id" if "id" in header else None),
        date=columns.date or ("date" if "date" in header else None),
    )


def read_csv(file: Path, columns: CsvColumns) -> Iterator[Article | BadRecord]:
    """Articles from CSV rows (header required); rows with an empty id or text are bad records."""
    columns = csv_columns_of(file, columns)
    for number, row in enumerate(_csv_rows(file), 2):
        where = f"{file.name}:row{number - 1}"
        rid = (row.get(columns.id) or "").strip() if columns.id else f"{file.stem}:{number - 1}"
        text = row.get(columns.text) or ""
        if not rid or not text.strip():
            yield BadRecord(where, rid or None, "empty id" if not rid else "empty text")
            continue
        extra = {name: (row.get(name) or None) for name in ("title", "url", "source")}
        date = (row.get(columns.date) or None) if columns.date else None
        yield Article(id=rid, text=text, date=date, **extra)


def read_html(file: Path) -> Iterator[Article | BadRecord]:
    """One article from an HTML page: trafilatura extracts the body, title, date and canonical URL."""
    import trafilatura

    document = trafilatura.bare_extraction(file.read_bytes(), with_metadata=True)
    text = getattr(document, "text", None)
    if not text:
        yield BadRecord(str(file), file.stem, "no article text found in the HTML page")
        return
    url = getattr(document, "url", None)
    yield Article(id=url or file.stem, text=text, date=getattr(document, "date", None),
                  title=getattr(document, "title", None), url=url)  # fmt: skip


def _entry_date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def _entry_text(entry: Any) -> str:
    import trafilatura

    contents = entry.get("content") or []
    markup = contents[0].get("value") if contents else entry.get("summary")
    return trafilatura.html2txt(f"<html><body>{markup}</body></html>") if markup else ""


def read_feed(file: Path) -> Iterator[Article | BadRecord]:
    """One article per RSS/Atom entry; an entry without an id/link or text is a bad record."""
    import feedparser  # type: ignore[import-untyped,unused-ignore]

    feed = feedparser.parse(file.read_bytes())
    if not feed.entries:
        reason = f"not a readable RSS/Atom feed ({feed.get('bozo_exception')})" if feed.bozo else "feed has no entries"
        yield BadRecord(str(file), None, reason)
        return
    for number, entry in enumerate(feed.entries, 1):
        where = f"{file.name}#entry{number}"
        rid = entry.get("id") or entry.get("link")
        text = _entry_text(entry)
        if not rid or not text.strip():
            yield BadRecord(where, rid, "entry has no id or link" if not rid else "entry has no text")
            continue
        yield Article(id=rid, text=text, date=_entry_date(entry), title=entry.get("title"), url=entry.get("link"))


def language_of(text: str) -> str:
    """The ISO 639-1 code py3langid gives the start of `text` ("ar" for Arabic)."""
    import py3langid  # type: ignore[import-untyped,unused-ignore]

    return str(py3langid.classify(text[:2000])[0])


def _plain(data: bytes, article_id: str, where: str) -> Iterator[Article | BadRecord]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield BadRecord(where, article_id, f"not valid UTF-8 at byte {exc.start}")
        return
    yield Article(id=article_id, text=text)
