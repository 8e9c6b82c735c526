"""The subcommands `spark-code` (run the Spark job) and `ingest-events` (load its output into the store).

`cli.py` registers them with `add_commands(sub)`. pyspark is imported only when `spark-code` runs, so
`marsad --help` and `ingest-events` (pyarrow only) work without it. Exit codes as for `ingest`:
0 all good, 1 some records failed, 2 usage error (also: pyspark missing, with how to install it).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from marsad.errors import UsageError
from marsad.io.readers import BadRecord
from marsad.model import Article, Event
from marsad.store.commands import DB_HELP, default_db
from marsad.store.ingest import Progress, Report, ingest
from marsad.store.store import open_store

if TYPE_CHECKING:
    from marsad.spark.job import JobOptions

__all__ = ["add_commands", "options_of", "spark_code_arguments", "spark_output_items"]

EXIT_OK, EXIT_RECORD_FAILED, EXIT_USAGE = 0, 1, 2


def spark_code_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of `marsad spark-code` and of `python -m marsad.spark.job`."""
    from marsad.spark.blocks import MAX_BLOCK_DAYS

    p.add_argument("input", help="JSONL or Parquet file or directory, records {id, text, date?, title?, source?, url?}")
    p.add_argument("output", help="output directory: mentions/, articles/, errors/, events/ (Parquet by date)")
    p.add_argument("--master", help="Spark master, e.g. local[2] (default: spark-submit's, else local[*])")
    p.add_argument("--partitions", type=int, help="coding partitions (default: at least 2 per core)")
    p.add_argument("--format", default="auto", choices=("auto", "jsonl", "parquet"),
                   help="input format (default: Parquet for *.parquet or a directory of them, else JSONL)")  # fmt: skip
    p.add_argument("--max-block-days", type=int, default=MAX_BLOCK_DAYS,
                   help=f"dedup: cut a block longer than this many days (default {MAX_BLOCK_DAYS})")  # fmt: skip
    p.add_argument("--overwrite", action="store_true", help="replace the tables if OUTPUT has them")


def options_of(args: argparse.Namespace) -> JobOptions:
    """The `JobOptions` of parsed `spark-code` arguments."""
    from marsad.spark.job import JobOptions

    if args.partitions is not None and args.partitions < 1:
        raise UsageError("--partitions must be 1 or more")
    if args.max_block_days < 1:
        raise UsageError("--max-block-days must be 1 or more")
    return JobOptions(master=args.master, partitions=args.partitions, input_format=args.format,
                      max_block_days=args.max_block_days, overwrite=args.overwrite)  # fmt: skip


def cmd_spark_code(args: argparse.Namespace) -> int:
    """Code a corpus on Spark and write the Parquet tables; print the run report (JSON)."""
    from marsad.spark.job import pyspark_available, run_cli

    if not pyspark_available():
        from marsad.spark.job import INSTALL_HINT

        raise UsageError(INSTALL_HINT)
    return run_cli(args)


class _Coded:
    """An event record already coded by the Spark job; the store's ingest reads only `to_dict()`."""

    __slots__ = ("record",)

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record

    def to_dict(self) -> dict[str, Any]:
        return self.record


def _partitions(table: Path) -> Iterator[list[dict[str, Any]]]:
    """The rows of each `date=` partition of a job table, partitions in date order, rows in seq order."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]

    for part in sorted(table.glob("date=*")):
        rows = pq.read_table(part).sort_by("seq").to_pylist()
        yield [dict(row, date=part.name.split("=", 1)[1]) for row in rows]


def spark_output_items(output: Path, coded: dict[str, list[dict[str, Any]]]) -> Iterator[Article | BadRecord]:
    """The job's bad records, then its coded articles (by date, then input order); each article's
    records are left in `coded` under its id just before it is yielded."""
    for rows in _partitions(output / "errors"):
        yield from (BadRecord(f"{r['file']}#{r['seq']}", r["id"], r["reason"]) for r in rows)
    for rows in _partitions(output / "articles"):
        for r in rows:
            if not r["ok"]:
                continue  # its coding failure is in errors/
            coded.clear()
            coded[r["id"]] = [json.loads(record) for record in r["records"]]
            yield Article(id=r["id"], text=r["text"], date=r["article_date"], title=r["title"],
                          source=r["source"], url=r["url"])  # fmt: skip


def ingest_spark_output(output: Path, db: str, *, progress: Progress | None = None) -> Report:
    """Store every article of a job's OUTPUT through the store's own write path (and dedup)."""
    for table in ("articles", "errors"):
        if not (output / table).is_dir():
            raise UsageError(f"{output} has no {table}/ table: is it the OUTPUT of `marsad spark-code`?")
    coded: dict[str, list[dict[str, Any]]] = {}

    def recorded(article: Article) -> list[Event]:
        return cast(list[Event], [_Coded(r) for r in coded.get(article.id, [])])

    with open_store(db) as store:
        return ingest(store, spark_output_items(output, coded), coder=recorded, progress=progress)


def cmd_ingest_events(args: argparse.Namespace) -> int:
    """Load a `spark-code` OUTPUT into the store; print the run report."""
    progress = Progress(None, enabled=args.progress)
    report = ingest_spark_output(Path(args.output), args.db, progress=progress)
    progress.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print("\n".join(f"marsad: {line}" if n == 0 else line for n, line in enumerate(report.lines("stored"))))
    return EXIT_RECORD_FAILED if report.failed else EXIT_OK


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `spark-code` and `ingest-events` on the `marsad` command's subparsers."""
    p = sub.add_parser("spark-code", help="code a corpus on Apache Spark into Parquet tables (needs pyspark)",
                       epilog="Example: marsad spark-code corpus.jsonl out/ --master 'local[2]' && "
                              "marsad ingest-events out/ --db marsad.db")  # fmt: skip
    spark_code_arguments(p)
    p.set_defaults(func=cmd_spark_code)

    p = sub.add_parser("ingest-events", help="load a spark-code OUTPUT into the store (SQLite or PostgreSQL)",
                       epilog="Example: marsad ingest-events out/ --db marsad.db")  # fmt: skip
    p.add_argument("output", help="the OUTPUT directory of `marsad spark-code`")
    p.add_argument("--db", default=default_db(), help=DB_HELP)
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar on stderr (default: when stderr is a terminal)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the run report as one JSON object")
    p.set_defaults(func=cmd_ingest_events)
