"""Speed as a new user meets it: a cold `marsad code` process pinned to one core, output to a file.

Two inputs, built at run time in a temporary directory outside the repository (deleted afterwards):
(a) 3,000 random SaudiNewsNet articles (fixed seed; ../shared/corpus/saudinewsnet, read in place),
(b) 2,000 event-dense articles of 25 sentences each drawn (fixed seed) from the gold dev split's
sentences (../shared/eval/gsr_dev, read in place; only counts are stored).
Each run is a fresh process (`taskset -c 0 marsad code IN --out OUT --workers 1`: start-up, loading
and writing included), then the same with `--workers 2` on two cores (`taskset -c 0,1`), whose
output must be byte-identical. Spark: `marsad spark-code` on local[1] (one core) and local[2] (two
cores) on input (a) against the plain process. Peak RSS is the largest peak of one process of the
run's tree (the parent or one worker), sampled from /proc every 0.2 s. The load average is recorded before every run: other processes on the
machine slow a run down, never speed it up. Writes bench/results/speed.json.

    python bench/speed.py [--snn N] [--dense N] [--no-spark]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SNN = SHARED / "corpus" / "saudinewsnet"
GOLD_DEV = SHARED / "eval" / "gsr_dev"
SEED = 16
SENTENCES_PER_DENSE_ARTICLE = 25
RESULTS = ROOT / "bench" / "results" / "speed.json"
TARGETS = {"dense_words_per_s": 150_000, "news_words_per_s": 250_000, "workers_2_speedup": 1.8,
           "spark_local1_over_plain": 1.5, "spark_local2_speedup": 1.8, "peak_rss_mib": 1024}  # fmt: skip


def snn_articles(directory: Path) -> Iterator[dict[str, Any]]:
    for archive in sorted(directory.glob("*.zip")):
        with zipfile.ZipFile(archive) as zf:
            for name in (n for n in zf.namelist() if n.endswith(".json")):
                for n, record in enumerate(json.loads(zf.read(name).decode("utf-8"))):
                    text = record.get("content") or ""
                    if text.strip():
                        yield {"id": f"{archive.stem}/{n}", "text": text, "date": archive.stem,
                               "source": record.get("source")}  # fmt: skip


def news_input(n: int, rng: random.Random) -> list[dict[str, Any]]:
    """`n` SaudiNewsNet articles drawn at random (in corpus order)."""
    everything = list(snn_articles(SNN))
    chosen = sorted(rng.sample(range(len(everything)), min(n, len(everything))))
    return [everything[i] for i in chosen]


def gold_sentences(directory: Path) -> list[str]:
    """The distinct sentences of the gold dev split's GSR files (event-word sentences by construction)."""
    seen: dict[str, None] = {}
    for file in sorted(directory.glob("*_gsr.csv")):
        with file.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                text = " ".join((row.get("text") or "").split())
                if text:
                    seen.setdefault(text, None)
    return list(seen)


def dense_input(n: int, rng: random.Random) -> list[dict[str, Any]]:
    sentences = gold_sentences(GOLD_DEV)
    return [{"id": f"dense-{i}", "text": "\n".join(rng.choices(sentences, k=SENTENCES_PER_DENSE_ARTICLE)),
             "date": "2024-01-15"} for i in range(n)]  # fmt: skip


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> dict[str, Any]:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    words = sum(len(r["text"].split()) for r in records)
    return {"articles": len(records), "words": words, "words_per_article": round(words / max(len(records), 1))}


def marsad_bin() -> str:
    found = Path(sys.executable).with_name("marsad")
    return str(found) if found.exists() else "marsad"


def _descendants(root: int) -> set[int]:
    """`root` and every process below it (forkserver workers are its grandchildren)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        found |= more
        grew = bool(more)
    return found


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time the process has used so far (None once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _peak_rss_kib(pid: int) -> int:
    """The process's own peak resident set (VmHWM), 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(argv: list[str], cores: str) -> dict[str, Any]:
    """Run `argv` pinned to `cores` in a fresh process: wall seconds, the largest peak RSS of one process
    of its tree (sampled every 0.2 s, and the parent's own at exit), the load average before it."""
    load = os.getloadavg()
    started = time.perf_counter()
    proc = subprocess.Popen(["taskset", "-c", cores, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out_reader = _Drain(proc)
    peak_kib, cpu = 0, {}
    while proc.poll() is None:
        tree = _descendants(proc.pid)
        peak_kib = max([peak_kib, *map(_peak_rss_kib, tree)])
        cpu.update({pid: used for pid in tree if (used := _cpu_seconds(pid)) is not None})
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    stdout, stderr = out_reader.result()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}): {stderr.decode()[-2000:]}")
    parent = cpu.pop(proc.pid, 0.0)
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(peak_kib / 1024, 1),
            "cpu_s_parent": round(parent, 2), "cpu_s_others": sorted((round(c, 2) for c in cpu.values()), reverse=True),
            "load_avg_1min_before": round(load[0], 2), "exit_code": proc.returncode, "stdout": stdout.decode()}  # fmt: skip


class _Drain:
    """Read a child's stdout and stderr in threads, so a chatty child never blocks on a full pipe."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.chunks: dict[str, bytes] = {}
        self.threads = [threading.Thread(target=self._read, args=(name, stream), daemon=True)
                        for name, stream in (("out", proc.stdout), ("err", proc.stderr))]  # fmt: skip
        for thread in self.threads:
            thread.start()

    def _read(self, name: str, stream: Any) -> None:
        self.chunks[name] = stream.read()

    def result(self) -> tuple[bytes, bytes]:
        for thread in self.threads:
            thread.join()
        return self.chunks.get("out", b""), self.chunks.get("err", b"")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_runs(name: str, source: Path, size: dict[str, Any], work: Path) -> dict[str, Any]:
    """One worker on one core, then two workers on two cores; rates include start-up."""
    runs: dict[str, Any] = {}
    outputs = {}
    for workers, cores in ((1, "0"), (2, "0,1")):
        out = work / f"{name}-w{workers}.jsonl"
        run = timed([marsad_bin(), "code", str(source), "--out", str(out), "--workers", str(workers)], cores)
        run.pop("stdout")
        run["words_per_s"] = round(size["words"] / run["seconds"])
        run["words_per_cpu_s"] = round(size["words"] / (run["cpu_s_parent"] + sum(run["cpu_s_others"])))
        run["articles_per_s"] = round(size["articles"] / run["seconds"], 1)
        run["articles_per_s_at_500_words"] = round(size["words"] / run["seconds"] / 500, 1)
        run["events"] = sum(1 for _ in out.open(encoding="utf-8"))
        outputs[workers] = digest(out)
        runs[f"workers_{workers}"] = run
    runs["workers_2_speedup"] = round(runs["workers_1"]["seconds"] / runs["workers_2"]["seconds"], 2)
    runs["workers_2_speedup_cpu_bound"] = _cpu_bound_speedup(runs["workers_1"], runs["workers_2"])
    runs["workers_2_identical_output"] = outputs[1] == outputs[2]
    return runs


def _cpu_bound_speedup(one: dict[str, Any], two: dict[str, Any]) -> float:
    """What two workers would gain on two idle cores, from CPU times alone (immune to other jobs on a
    shared machine): one worker's CPU over the busiest of the two workers' (the parent, mostly
    waiting, fits beside them). An estimate: it assumes each process gets a core of its own."""
    busiest = max(two["cpu_s_others"][:2] or [two["cpu_s_parent"]])
    return round((one["cpu_s_parent"] + sum(one["cpu_s_others"])) / busiest, 2) if busiest else 0.0


def start_up(work: Path) -> dict[str, Any]:
    """A cold process coding one short article: the fixed cost inside every rate above."""
    one = work / "one.jsonl"
    write_jsonl(one, [{"id": "one", "text": "تظاهر مئات الطلاب أمام وزارة التربية في بغداد يوم الأحد."}])
    run = timed([marsad_bin(), "code", str(one), "--out", str(work / "one-out.jsonl"), "--workers", "1"], "0")
    return {"seconds": run["seconds"], "peak_rss_mib": run["peak_rss_mib"]}


def spark_runs(source: Path, plain_seconds: float, work: Path) -> dict[str, Any]:
    runs: dict[str, Any] = {}
    for master, cores in (("local[1]", "0"), ("local[2]", "0,1")):
        out = work / f"spark-{master[6]}"
        run = timed([marsad_bin(), "spark-code", str(source), str(out), "--master", master], cores)
        report = json.loads(run.pop("stdout").strip().splitlines()[-1])
        run["job_s"] = report["seconds"]
        run["report"] = report
        runs[master] = run
    runs["plain_process_s"] = plain_seconds
    runs["local1_over_plain"] = round(runs["local[1]"]["seconds"] / plain_seconds, 2)
    runs["local2_speedup"] = round(runs["local[1]"]["seconds"] / runs["local[2]"]["seconds"], 2)
    return runs


def verdicts(result: dict[str, Any]) -> dict[str, bool]:
    news, dense = result["news"], result["dense"]
    met = {
        "dense_words_per_s": dense["workers_1"]["words_per_s"] >= TARGETS["dense_words_per_s"],
        "news_words_per_s": news["workers_1"]["words_per_s"] >= TARGETS["news_words_per_s"],
        "workers_2_speedup": min(news["workers_2_speedup"], dense["workers_2_speedup"]) >= TARGETS["workers_2_speedup"]
        and news["workers_2_identical_output"] and dense["workers_2_identical_output"],
        "peak_rss_mib": max(r[k]["peak_rss_mib"] for r in (news, dense) for k in ("workers_1", "workers_2"))
        <= TARGETS["peak_rss_mib"],
    }  # fmt: skip
    if "spark" in result:
        met["spark_local1_over_plain"] = result["spark"]["local1_over_plain"] <= TARGETS["spark_local1_over_plain"]
        met["spark_local2_speedup"] = result["spark"]["local2_speedup"] >= TARGETS["spark_local2_speedup"]
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snn", type=int, default=3000, help="SaudiNewsNet articles (default 3000)")
    parser.add_argument("--dense", type=int, default=2000, help="dense articles of 25 gold sentences (default 2000)")
    parser.add_argument("--no-spark", action="store_true", help="skip the Spark runs")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not SNN.is_dir() or not GOLD_DEV.is_dir():
        print(f"speed: needs {SNN} and {GOLD_DEV}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="marsad-speed-"))
    try:
        news_path, dense_path = work / "news.jsonl", work / "dense.jsonl"
        news = write_jsonl(news_path, news_input(args.snn, random.Random(SEED)))
        dense = write_jsonl(dense_path, dense_input(args.dense, random.Random(SEED)))
        result: dict[str, Any] = {"inputs": {"news": {"what": "SaudiNewsNet, random, seed 16", **news},
                                             "dense": {"what": "gold dev sentences x25, seed 16", **dense}},
                                  "start_up": start_up(work)}  # fmt: skip
        result["news"] = code_runs("news", news_path, news, work)
        result["dense"] = code_runs("dense", dense_path, dense, work)
        if not args.no_spark:
            result["spark"] = spark_runs(news_path, result["news"]["workers_1"]["seconds"], work)
        result["targets"] = TARGETS
        result["met"] = verdicts(result)
        result["machine"] = {"cores": os.cpu_count(), "python": sys.version.split()[0],
                             "load_avg_after": [round(x, 2) for x in os.getloadavg()],
                             "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
