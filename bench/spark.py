"""The Spark job in local[1] and local[2] against the single process: wall time, speed-up, overhead.

Input: the SaudiNewsNet corpus (../shared/corpus/saudinewsnet), written as JSONL to a temporary
directory outside the repository (deleted afterwards) in the `code` record format. Each Spark run
starts its own session (session start-up is reported apart from the job). Writes
bench/results/spark.json.

    python bench/spark.py [--limit N] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from scale import DEFAULT_CORPUS, machine, publish


def write_corpus(corpus: Path, target: Path, limit: int) -> int:
    """The corpus as JSONL records {id, text, date, source, title, url}; the zip's day is the date."""
    count = 0
    with target.open("w", encoding="utf-8") as out:
        for archive in sorted(corpus.glob("*.zip")):
            with zipfile.ZipFile(archive) as zf:
                for name in (n for n in zf.namelist() if n.endswith(".json")):
                    for n, record in enumerate(json.loads(zf.read(name).decode("utf-8"))):
                        text = record.get("content") or ""
                        if not text.strip():
                            continue
                        row = {"id": f"{archive.stem}/{n}", "text": text, "date": archive.stem,
                               "source": record.get("source"), "title": record.get("title"), "url": record.get("url")}  # fmt: skip
                        out.write(json.dumps(row, ensure_ascii=False) + "\n")
                        count += 1
                        if limit and count >= limit:
                            return count
    return count


def single_process(path: Path) -> dict[str, float]:
    """Code the same records in this process, on one core, as `marsad code` would."""
    from marsad.pipeline import code_text

    code_text("تظاهر مئات الطلاب أمام الوزارة في بغداد.")
    started, articles = time.perf_counter(), 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            code_text(record["text"], article_id=record["id"], date=record["date"])
            articles += 1
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 1), "articles_per_s": round(articles / seconds, 1)}


def spark_run(path: Path, master: str, workdir: Path) -> dict[str, object]:
    from marsad.spark.job import JobOptions, run_job, spark_session

    started = time.perf_counter()
    conf = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false", "spark.driver.memory": "2g"}
    spark = spark_session(master, app_name=f"marsad bench {master}", conf=conf)
    startup = time.perf_counter() - started
    try:
        report = run_job(spark, str(path), str(workdir / master.replace("[", "").replace("]", "")),
                         options=JobOptions(master=master, overwrite=True))  # fmt: skip
    finally:
        spark.stop()
    return {"master": master, "session_start_s": round(startup, 1), "job_s": round(report.seconds, 1),
            "articles_per_s": round(report.articles / report.seconds, 1), "report": report.to_dict()}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="articles (0 = the whole corpus)")
    parser.add_argument("--quick", action="store_true", help="CI smoke: 300 articles, no result file")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: nothing to measure", file=sys.stderr)
        return 0
    limit = 300 if args.quick else args.limit
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    with tempfile.TemporaryDirectory(prefix="marsad-spark-bench-") as tmp:
        work = Path(tmp)
        articles = write_corpus(args.corpus, work / "corpus.jsonl", limit)
        single = single_process(work / "corpus.jsonl")
        runs = [spark_run(work / "corpus.jsonl", master, work) for master in ("local[1]", "local[2]")]
    one, two = (float(r["job_s"]) for r in runs)  # type: ignore[arg-type]
    result = {
        "input": f"SaudiNewsNet ({articles} articles{', --quick' if args.quick else ''})",
        "single_process": single,
        "spark": runs,
        "speedup_local2_vs_local1": round(one / two, 2),
        "overhead_local1_vs_single_process": round(one / single["seconds"], 2),
        "speedup_local2_vs_single_process": round(single["seconds"] / two, 2),
        "machine": machine(),
        "note": "job_s: reading, coding, four Parquet tables and dedup; single_process: coding only; session start apart",
    }
    publish(result, "spark", quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
