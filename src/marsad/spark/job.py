"""The batch job on Apache Spark: code a corpus in Arrow batches (mapInArrow), then deduplicate by blocks.

    spark-submit --py-files marsad.whl -m marsad.spark.job INPUT OUTPUT   (see docs/spark.md)
    python -m marsad.spark.job corpus.jsonl out/ --master 'local[2]'

Stage 1 reads JSONL or Parquet records, codes them in Arrow batches with `marsad.code`
(`marsad.spark.arrow`; lexicon and gazetteer load once per Python worker process through their
cached loaders) and writes
OUTPUT/mentions, OUTPUT/articles and OUTPUT/errors as Parquet partitioned by `date`. Stage 2 groups
the factual mentions into blocks (`marsad.spark.blocks`) and runs `dedup.cluster` in each, writing
OUTPUT/events. pyspark is imported only here, and only when a job runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from marsad.errors import InputError, UsageError
from marsad.spark.arrow import KINDS, TAGGED_COLUMNS, code_batches, kind_columns
from marsad.spark.blocks import (
    EVENT_COLUMNS,
    MAX_BLOCK_DAYS,
    MentionRow,
    Point,
    Signature,
    Span,
    block_labels,
    cluster_block,
    link_blocks,
    link_signature,
    mention_point,
    widen,
)
from marsad.spark.records import Coder, ddl
from marsad.store.dedup import mention_key

__all__ = [
    "LOCAL_DRIVER_JAVA",
    "JobOptions",
    "JobReport",
    "local_conf",
    "main",
    "read_frame",
    "run_job",
    "spark_session",
    "worker_loads",
]

INSTALL_HINT = "pyspark is not installed: pip install 'marsad[spark]' (or pip install pyspark) and a Java 17 runtime"
INPUT_FIELDS = ("id", "text", "date", "title", "source", "url")
LOCAL_DRIVER_JAVA = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


@dataclass(frozen=True, slots=True)
class JobOptions:
    """How to run: Spark master, coding partitions (None: at least 2 per core), input format
    ("auto": Parquet for *.parquet or a directory of them, else JSONL), the longest block in days,
    and whether OUTPUT may be replaced."""

    master: str | None = None
    partitions: int | None = None
    input_format: str = "auto"
    max_block_days: int = MAX_BLOCK_DAYS
    overwrite: bool = False


@dataclass(frozen=True, slots=True)
class JobReport:
    """What a run did; `failed` counts error rows (bad records and coding failures)."""

    articles: int
    failed: int
    mentions: int
    factual: int
    events: int
    blocks: int
    cuts: int
    partitions: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def pyspark_available() -> bool:
    try:
        import pyspark  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
    except ImportError:
        return False
    return True


def local_conf(master: str | None, conf: dict[str, str] | None = None) -> dict[str, str]:
    """`conf` plus the defaults of a local run whose driver JVM this process starts: the JVM only
    JIT-compiles with its quick compiler and collects garbage on one thread (`LOCAL_DRIVER_JAVA`).
    In a local job the JVM only moves Arrow batches and writes Parquet for a minute or so, and the
    full optimising compiler and parallel GC threads then cost more CPU than they save (on one core
    they took a third of the job's time; docs/spark.md). Anything the caller sets wins, and
    `MARSAD_SPARK_DRIVER_JAVA` replaces the flags ("" for the JVM's own defaults)."""
    merged = dict(conf or {})
    if master and master.startswith("local") and "PYSPARK_GATEWAY_PORT" not in os.environ:
        flags = os.environ.get("MARSAD_SPARK_DRIVER_JAVA", LOCAL_DRIVER_JAVA)
        if flags.strip():
            merged.setdefault("spark.driver.extraJavaOptions", flags)
    return merged


def spark_session(master: str | None = None, *, app_name: str = "marsad", conf: dict[str, str] | None = None) -> Any:
    """A SparkSession (quiet logs); local masters run the workers on this interpreter and start the
    driver JVM with `local_conf`'s flags."""
    if not pyspark_available():
        raise UsageError(INSTALL_HINT)
    from pyspark.sql import SparkSession  # type: ignore[import-not-found,unused-ignore]

    if master and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    for name, value in local_conf(master, conf).items():
        builder = builder.config(name, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def worker_loads() -> tuple[int, int, int]:
    """(process id, lexicon loads, gazetteer loads) in this Python process: each load is a cache miss."""
    from marsad.geo.gazetteer import load_gazetteer
    from marsad.lexicon.loader import default_lexicon

    return os.getpid(), default_lexicon.cache_info().misses, load_gazetteer.cache_info().misses


def _default_coder(text: str, *, article_id: str | None = None, date: str | None = None) -> list[Any]:
    import marsad

    return marsad.code(text, article_id=article_id, date=date)


def _is_parquet(spark: Any, path: str, input_format: str) -> bool:
    if input_format not in ("auto", "jsonl", "parquet"):
        raise UsageError(f"unknown input format {input_format!r}: choose auto, jsonl or parquet")
    if input_format != "auto":
        return input_format == "parquet"
    if path.rstrip("/").endswith(".parquet"):
        return True
    jvm = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    fs = hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if not fs.exists(hadoop_path):
        raise InputError(f"cannot read {path}: no such file or directory")
    if not fs.getFileStatus(hadoop_path).isDirectory():
        return False
    return any(str(s.getPath().getName()).endswith(".parquet") for s in fs.listStatus(hadoop_path))


def read_frame(spark: Any, path: str, input_format: str = "auto") -> Any:
    """DataFrame of (`_file`, `seq`, the JSONL line `value` or the Parquet record's columns), `seq`
    numbering the records in read order."""
    from pyspark.sql import functions as F  # type: ignore[import-not-found,unused-ignore]

    if _is_parquet(spark, path, input_format):
        frame = spark.read.parquet(path)
        missing = [name for name in ("id", "text") if name not in frame.columns]
        if missing:
            raise InputError(f"{path}: no column {', '.join(missing)}; the code format is {{id, text, date?, ...}}")
        payload = [name for name in INPUT_FIELDS if name in frame.columns]
    else:
        frame, payload = spark.read.text(path), ["value"]
    named = frame.select(F.substring_index(F.input_file_name(), "/", -1).alias("_file"), *payload)
    return _numbered(named).select("_file", "seq", *payload)


def _numbered(frame: Any) -> Any:
    """`frame` with `seq` = its row number in read order (what `zipWithIndex` gives, computed in the
    JVM: one count per partition, then the partition's offset plus the row's place in it)."""
    from pyspark.sql import functions as F

    tagged = frame.withColumn("_pid", F.spark_partition_id()).withColumn("_row", F.monotonically_increasing_id())
    offsets, total = [], 0
    for pid, count in sorted((int(r[0]), int(r[1])) for r in tagged.groupBy("_pid").count().collect()):
        offsets += [F.lit(pid), F.lit(total)]
        total += count
    start = F.create_map(*offsets)[F.col("_pid")] if offsets else F.lit(0)
    first_row = F.shiftleft(F.col("_pid").cast("long"), 33)  # monotonically_increasing_id's layout
    return tagged.withColumn("seq", (start + F.col("_row") - first_row).cast("long"))


def _write(spark: Any, rows: Any, columns: Sequence[tuple[str, str]], path: str, mode: str) -> None:
    """Parquet partitioned by `date`, one file per date (rows of a date are shuffled together)."""
    frame = spark.createDataFrame(rows, schema=ddl(columns), verifySchema=False)
    frame.repartition(rows.getNumPartitions(), "date").write.mode(mode).partitionBy("date").parquet(path)


def _write_frame(frame: Any, kind: str, path: str, partitions: int, mode: str) -> None:
    """One kind of the tagged rows as its table: Parquet partitioned by `date`, one file per date."""
    from pyspark.sql import functions as F

    table = frame.filter(F.col("kind") == kind).select(*[F.col(t).alias(c) for t, c in kind_columns(kind)])
    table.repartition(partitions, "date").write.mode(mode).partitionBy("date").parquet(path)


def _counts(coded: Any) -> dict[str, int]:
    """Rows by kind, factual mentions (neither negated nor hypothetical) counted as "f"."""
    from pyspark.sql import functions as F

    factual = (F.col("kind") == "m") & ~F.col("m_negated") & ~F.col("m_hypothetical")
    kinds = coded.select(F.when(factual, F.lit("f")).otherwise(F.col("kind")).alias("k")).groupBy("k").count()
    return {str(r[0]): int(r[1]) for r in kinds.collect()}


def _factual_mentions(coded: Any) -> Any:
    """RDD of (mention_id, record JSON, outlet) of the factual mentions: the dedup stage's input."""
    from pyspark.sql import functions as F

    factual = (F.col("kind") == "m") & ~F.col("m_negated") & ~F.col("m_hypothetical")
    rows = coded.filter(factual).select("m_mention_id", "m_record", "m_outlet").rdd
    return rows.map(lambda r: (int(r[0]), str(r[1]), str(r[2])))


def _placed(mention: MentionRow) -> tuple[Point, Span, Signature | None]:
    mid, record_json, outlet = mention
    key = mention_key(json.loads(record_json), mid, outlet)
    return (*mention_point(key), link_signature(key))


def dedup_stage(spark: Any, mentions: Any, output: str, options: JobOptions, mode: str) -> tuple[int, int, int]:
    """Stage 2: blocks on the driver from the (family, country, day) points, `cluster` per block.
    Returns (events, blocks, approximate cuts)."""
    pointed = mentions.map(lambda m: (_placed(m), m)).cache()
    spans = pointed.map(lambda pm: pm[0][:2]).reduceByKey(widen).collectAsMap()
    runs, cuts = block_labels(spans, max_days=options.max_block_days)
    merged = link_blocks(runs, pointed.flatMap(lambda pm: [pm[0][2]] if pm[0][2] else []).distinct().collect())
    labels = {point: merged.get(label, label) for point, label in runs.items()}
    shared = spark.sparkContext.broadcast(labels)
    blocks = pointed.map(lambda pm: (shared.value[pm[0][0]], pm[1])).groupByKey(mentions.getNumPartitions())
    events = blocks.flatMap(lambda block: cluster_block(block[0], block[1])).cache()
    _write(spark, events, EVENT_COLUMNS, f"{output}/events", mode)
    count = events.count()
    events.unpersist()
    pointed.unpersist()
    return count, len(set(labels.values())), cuts


def _prepare_local_cache(master: str | None) -> None:
    """Build the gazetteer cache once on this machine before local workers race to build it."""
    if master and master.startswith("local"):
        from marsad.geo.gazetteer import build_gazetteer, cache_path

        if not cache_path().exists():
            build_gazetteer(cache_path())


def run_job(
    spark: Any, input_path: str, output: str, *, options: JobOptions | None = None, coder: Coder | None = None
) -> JobReport:
    """Code `input_path` and write OUTPUT/{mentions,articles,errors,events}; bad records never fail it."""
    from pyspark import StorageLevel  # type: ignore[import-not-found,unused-ignore]

    options = options or JobOptions()
    started = time.monotonic()
    _prepare_local_cache(options.master or spark.sparkContext.master)
    frame = read_frame(spark, input_path, options.input_format)
    wanted = options.partitions or 2 * spark.sparkContext.defaultParallelism
    if options.partitions or frame.rdd.getNumPartitions() < wanted:
        frame = frame.repartition(wanted)
    partitions = frame.rdd.getNumPartitions()
    mode = "overwrite" if options.overwrite else "errorifexists"
    code = coder or _default_coder
    coded = frame.mapInArrow(lambda batches: code_batches(batches, code), ddl(TAGGED_COLUMNS))
    coded = coded.persist(StorageLevel.MEMORY_AND_DISK)
    for kind, name, _ in KINDS:
        _write_frame(coded, kind, f"{output}/{name}", partitions, mode)
    counts = _counts(coded)
    events, blocks, cuts = dedup_stage(spark, _factual_mentions(coded), output, options, mode)
    coded.unpersist()
    return JobReport(
        articles=counts.get("a", 0), failed=counts.get("e", 0), mentions=counts.get("m", 0) + counts.get("f", 0),
        factual=counts.get("f", 0), events=events, blocks=blocks, cuts=cuts, partitions=partitions,
        seconds=round(time.monotonic() - started, 3),
    )  # fmt: skip


def run_cli(args: argparse.Namespace) -> int:
    """Run the job from `marsad spark-code` arguments; print the report as JSON; 1 when records failed."""
    from marsad.spark.commands import options_of

    options = options_of(args)
    in_submit = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit launched us: its master applies
    master = options.master or (None if in_submit else "local[*]")
    spark = spark_session(master, app_name="marsad spark-code", conf={"spark.ui.showConsoleProgress": "false"})
    try:
        report = run_job(spark, args.input, args.output, options=options)
    except Exception as exc:
        if type(exc).__name__ == "AnalysisException" and "already exists" in str(exc):
            raise UsageError(f"{args.output} already has the job's tables; pass --overwrite to replace them") from exc
        raise
    finally:
        spark.stop()
    print(json.dumps(report.to_dict()))
    return 1 if report.failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m marsad.spark.job INPUT OUTPUT [options]`, the entry point for spark-submit."""
    from marsad.spark.commands import spark_code_arguments

    p = argparse.ArgumentParser(prog="python -m marsad.spark.job", description=(__doc__ or "").splitlines()[0])
    spark_code_arguments(p)
    args = p.parse_args(argv)
    try:
        return run_cli(args)
    except (InputError, UsageError) as exc:
        print(f"marsad: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
