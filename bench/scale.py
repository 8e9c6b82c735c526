"""Single-process cost curve: articles/s and peak RSS at growing corpus sizes.

The SaudiNewsNet corpus (../shared/corpus/saudinewsnet, 31,030 articles, read in place from its zips,
never copied) is resampled by cycling through it, streamed, never held in memory. Each size runs in a
fresh process pinned to one core, so its peak RSS is its own. Sizes too slow to run are estimated
from a least-squares line through the measured ones and marked "estimated". Writes
bench/results/scale.json.

    python bench/scale.py [--sizes 10000 31030 100000 300000] [--estimate 1000000] [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DEFAULT_CORPUS = BENCH.parents[0] / ".." / "shared" / "corpus" / "saudinewsnet"


def machine() -> dict[str, object]:
    """The machine a figure was measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False).stderr.splitlines()
    try:
        import pyspark

        spark = pyspark.__version__
    except ImportError:
        spark = None
    load = [round(x, 2) for x in os.getloadavg()]  # other work on the machine skews every figure
    return {"load_average_1_5_15": load, "nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "java": java[0] if java else None, "spark": spark, "os": platform.platform()}  # fmt: skip


def resampled(corpus: Path, count: int) -> Iterator[str]:
    """`count` article texts, cycling through the corpus (or the bundled samples without it)."""
    sys.path.insert(0, str(BENCH))
    from throughput import corpus_articles

    if corpus.is_dir():
        stream = itertools.chain.from_iterable(corpus_articles(corpus) for _ in itertools.count())
    else:
        from marsad.cli import samples_dir

        texts = [p.read_text(encoding="utf-8") for p in sorted(samples_dir().glob("*.txt"))]
        stream = itertools.cycle(texts)
    return itertools.islice(stream, count)


def measure(corpus: Path, count: int) -> dict[str, object]:
    """Code `count` articles in this process (one core) and report the rate and peak RSS."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from marsad.pipeline import code_text

    code_text("تظاهر مئات الطلاب أمام الوزارة في بغداد.")  # load resources before the clock starts
    started = time.perf_counter()
    articles = events = words = 0
    for text in resampled(corpus, count):
        events += len(code_text(text))
        words += len(text.split())
        articles += 1
    seconds = time.perf_counter() - started
    return {"articles": articles, "seconds": round(seconds, 1), "articles_per_s": round(articles / seconds, 1),
            "words_per_article": round(words / max(articles, 1)), "events": events,
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}  # fmt: skip


def fit(points: list[dict[str, object]]) -> tuple[float, float]:
    """Least squares seconds = a + b * articles."""
    xs = [float(p["articles"]) for p in points]  # type: ignore[arg-type]
    ys = [float(p["seconds"]) for p in points]  # type: ignore[arg-type]
    n, mx, my = len(xs), sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / max(sum((x - mx) ** 2 for x in xs), 1e-9)
    return my - slope * mx, slope if n > 1 else ys[0] / xs[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 31_030, 100_000, 300_000])
    parser.add_argument("--estimate", type=int, nargs="*", default=[1_000_000], help="sizes estimated, not run")
    parser.add_argument("--quick", action="store_true", help="CI smoke: 200 and 400 articles, no result file")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: measure one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.corpus, args.one)))
        return 0
    sizes = [200, 400] if args.quick else args.sizes
    points = []
    for size in sizes:
        child = [sys.executable, __file__, "--corpus", str(args.corpus), "--one", str(size)]
        points.append(json.loads(subprocess.run(child, capture_output=True, text=True, check=True).stdout))
        print(json.dumps(points[-1]), file=sys.stderr)
    intercept, per_article = fit(points)
    rates = [float(p["articles_per_s"]) for p in points]  # type: ignore[arg-type]
    result = {
        "input": f"SaudiNewsNet resampled ({args.corpus.name})" if args.corpus.is_dir() else "bundled samples",
        "measured": points,
        "linear_fit": {
            "seconds_intercept": round(intercept, 2),
            "ms_per_article": round(per_article * 1000, 3),
            "rate_spread": round((max(rates) - min(rates)) / max(rates), 3),
        },
        "estimated": [
            {
                "articles": n,
                "seconds": round(intercept + per_article * n),
                "hours": round((intercept + per_article * n) / 3600, 2),
                "estimated": True,
            }
            for n in ([] if args.quick else args.estimate)
        ],
        "machine": machine(),
        "note": "one core per run (sched_setaffinity); rate_spread = (max-min)/max articles/s over sizes",
    }
    publish(result, "scale", quick=args.quick)
    return 0


def publish(result: Mapping[str, object], name: str, *, quick: bool) -> None:
    """Print a benchmark's result; a full run (not --quick) also writes bench/results/{name}.json."""
    print(json.dumps(result, indent=1))
    if not quick:
        (BENCH / "results" / f"{name}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
