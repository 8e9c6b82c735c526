"""The store subcommands `ingest`, `recode`, `events` and `export`: thin layers over `marsad.store`.

`cli.py` registers them with `add_commands(sub)`. Exit codes as for `code`: 0 all good,
1 some records failed (listed in the report), 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from marsad.errors import UsageError
from marsad.io.export import FORMATS, export
from marsad.io.readers import FEED_SUFFIXES, BadRecord, CsvColumns, csv_columns_of, iter_files, read_path
from marsad.learn.detector import MIN_CONFIDENCE_HELP, floor_filter
from marsad.model import Article
from marsad.parallel import WORKERS_HELP, worker_count
from marsad.store.ingest import Progress, Report, code_article, ingest, lexicon_version, recode, stale_count
from marsad.store.query import EventFilter
from marsad.store.store import open_store

EXIT_OK, EXIT_RECORD_FAILED, EXIT_USAGE = 0, 1, 2
DB_HELP = "database: a path, sqlite:///path or postgresql://user@host:port/db (default: $MARSAD_DB, else marsad.db)"


def default_db() -> str:
    return os.environ.get("MARSAD_DB") or "marsad.db"


def _estimate(file: Path, columns: CsvColumns) -> int:
    """How many records a file holds (exact for jsonl/csv, an estimate for feeds); checks CSV headers."""
    suffix = file.suffix.lower()
    if suffix == ".csv":
        csv_columns_of(file, columns)
        with file.open("rb") as stream:
            return max(sum(1 for _ in stream) - 1, 0)
    if suffix == ".jsonl":
        with file.open("rb") as stream:
            return sum(1 for line in stream if line.strip())
    if suffix in FEED_SUFFIXES:
        data = file.read_bytes()
        return max(data.count(b"<item") + data.count(b"<entry"), 1)
    return 1


def _records(files: Sequence[Path], columns: CsvColumns) -> Iterator[Article | BadRecord]:
    for file in files:
        yield from read_path(str(file), csv_columns=columns)


def _finish(report: Report, *, as_json: bool, verb: str) -> int:
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print("\n".join(f"marsad: {line}" if n == 0 else line for n, line in enumerate(report.lines(verb))))
    return EXIT_RECORD_FAILED if report.failed else EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    """Read, code and store articles; print the run report."""
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"marsad: cannot read {missing[0]}: no such file or directory", file=sys.stderr)
        return EXIT_USAGE
    floor_filter(args.min_confidence)  # a bad setting stops here, before any article is read
    columns = CsvColumns(text=args.csv_text_col, id=args.csv_id_col, date=args.csv_date_col)
    files = list(iter_files(args.paths))
    total = sum(_estimate(file, columns) for file in files)
    with open_store(args.db) as store:
        progress = Progress(total, enabled=None if args.progress is None else args.progress)
        coder = partial(code_article, min_confidence=args.min_confidence)
        report = ingest(store, _records(files, columns), source=args.source, progress=progress, coder=coder,
                        workers=worker_count(args.workers))  # fmt: skip
        progress.close()
    return _finish(report, as_json=args.json, verb="stored")


def cmd_recode(args: argparse.Namespace) -> int:
    """Re-code stored articles whose lexicon version differs from the current one."""
    version = lexicon_version()
    with open_store(args.db) as store:
        progress = Progress(stale_count(store, version), enabled=args.progress)
        report = recode(store, version=version, progress=progress, workers=worker_count(args.workers))
        progress.close()
        flags = store.review_flags()
    if any(flags.values()):
        print(f"marsad: reviews: {flags['attached']} events keep theirs, {flags['coding_changed']} of them coded "
              f"differently since (review.coding_changed true), {flags['detached']} detached from every event "
              "(GET /api/reviews/detached)", file=sys.stderr)  # fmt: skip
    return _finish(report, as_json=args.json, verb="recoded")


def _cell(value: Any, width: int) -> str:
    text = "" if value is None else str(value).replace("\n", " ")
    return (text[: width - 1] + "…" if len(text) > width else text).ljust(width)


def _actor(actor: dict[str, Any] | None) -> str:
    if not actor:
        return ""
    codes = "|".join(c for c in (actor.get("country"), actor.get("role")) if c)
    return f"{actor.get('text')}{f' [{codes}]' if codes else ''}"


TABLE = (("id", 6), ("date", 10), ("type", 9), ("mode", 12), ("iso3", 4), ("place", 16), ("src", 3),
         ("source", 24), ("target", 24))  # fmt: skip


def _row(event: dict[str, Any]) -> str:
    place = event["location"] or {}
    values = (event["event_id"], event["date"], event["event_type"], event["mode"], event["country_iso3"],
              place.get("name_en") or place.get("text"), event["source_count"], _actor(event["source"]),
              _actor(event["target"]))  # fmt: skip
    return " ".join(_cell(v, w) for v, (_, w) in zip(values, TABLE, strict=True)).rstrip()


def _filters(args: argparse.Namespace) -> EventFilter:
    if args.limit is not None and args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    return EventFilter(event_type=args.type, mode=args.mode, country=args.country, since=args.since,
                       until=args.until, place=args.place, actor=args.actor, text=args.text, limit=args.limit,
                       confidence=floor_filter(args.min_confidence), review=args.review)  # fmt: skip


def cmd_events(args: argparse.Namespace) -> int:
    """Print deduplicated events as a table or JSON lines."""
    filters = _filters(args)
    with open_store(args.db) as store:
        events = store.iter_events(filters)
        if args.json:
            for event in events:
                print(json.dumps(event, ensure_ascii=False))
            return EXIT_OK
        print(" ".join(_cell(name, w) for name, w in TABLE).rstrip())
        for event in events:
            print(_row(event))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write the deduplicated events that match the filters to a file."""
    filters = _filters(args)
    with open_store(args.db) as store:
        count = export(store.iter_events(filters), args.format, Path(args.out), bom=args.excel)
    print(f"marsad: wrote {count} events to {args.out} ({args.format})", file=sys.stderr)
    return EXIT_OK


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=default_db(), help=DB_HELP)
    p.add_argument("--type", help="PLOVER event type, e.g. PROTEST")
    p.add_argument("--mode", help="PLOVER mode, e.g. demo")
    p.add_argument("--country", help="ISO 3166-1 alpha-3 country of the event's place, e.g. IRN")
    p.add_argument("--since", help="first date, YYYY-MM-DD")
    p.add_argument("--until", help="last date, YYYY-MM-DD")
    p.add_argument("--place", help="place name (English or Arabic), substring")
    p.add_argument("--actor", help="source or target: text substring, country code or role code")
    p.add_argument("--text", help="substring of the evidence sentence or article title")
    p.add_argument("--limit", type=int, help="at most this many events")
    p.add_argument(
        "--min-confidence", metavar="P", help="only events with a factual mention at this level: " + MIN_CONFIDENCE_HELP
    )
    p.add_argument("--review", choices=("unreviewed", "confirmed", "corrected", "rejected", "reviewed", "any"),
                   help="review status; reviewed = confirmed or corrected by a reviewer (docs/review.md)")  # fmt: skip


def _progress_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar on stderr (default: when stderr is a terminal)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the run report as one JSON object")
    p.add_argument("--workers", type=int, metavar="N", help=WORKERS_HELP)


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `ingest`, `recode` and `events` on the `marsad` command's subparsers."""
    p = sub.add_parser("ingest", help="code articles and store them (SQLite or PostgreSQL)",
                       epilog="Example: marsad ingest news/ feed.rss --db marsad.db --source alwatan")  # fmt: skip
    p.add_argument("paths", nargs="+", help="files (.txt .jsonl .csv .html .htm .xml .rss .atom) or directories")
    p.add_argument("--db", default=default_db(), help=DB_HELP)
    p.add_argument("--source", help="outlet name for articles that do not carry one")
    p.add_argument("--csv-text-col", default="text", help="CSV column with the article text (default: text)")
    p.add_argument("--csv-id-col", help="CSV column with the article id (default: id if present, else FILE:ROW)")
    p.add_argument("--csv-date-col", help="CSV column with the publication date (default: date if present)")
    p.add_argument("--min-confidence", metavar="P", help=MIN_CONFIDENCE_HELP)
    _progress_flag(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("recode", help="re-code stored articles after a lexicon change",
                       epilog="Example: marsad recode --db marsad.db")  # fmt: skip
    p.add_argument("--db", default=default_db(), help=DB_HELP)
    _progress_flag(p)
    p.set_defaults(func=cmd_recode)

    p = sub.add_parser("events", help="list deduplicated events from the store",
                       epilog="Example: marsad events --type PROTEST --country IRN --since 2018-01-01 --json")  # fmt: skip
    _filter_args(p)
    p.add_argument("--json", action="store_true", help="print JSON lines (one event with its mentions each)")
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("export", help="export deduplicated events (ACLED CSV, PLOVER JSON, GeoJSON, Parquet)",
                       epilog="Example: marsad export --format acled-csv --type PROTEST --out protests.csv")  # fmt: skip
    p.add_argument("--format", required=True, choices=FORMATS, help="output format")
    p.add_argument("--out", required=True, help="output file")
    p.add_argument("--excel", action="store_true", help="acled-csv: start with a UTF-8 BOM so Excel reads Arabic")
    _filter_args(p)
    p.set_defaults(func=cmd_export)
