"""Where the coder spends its time: cProfile over the speed benchmark's inputs, in one process.

Builds inputs (a) and (b) of bench/speed.py (smaller by default), warms the resources on one
article, profiles `code_text` over the rest and prints the top functions by own time and by
cumulative time. docs/performance.md quotes its output.

    python bench/hotspots.py [--snn 600] [--dense 150] [--top 30]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import SEED, dense_input, news_input


def profile(texts: list[str], top: int) -> str:
    from marsad.pipeline import code_text

    code_text(texts[0])
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts[1:]:
        code_text(text)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--snn", type=int, default=600)
    parser.add_argument("--dense", type=int, default=150)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    for name, records in (("news", news_input(args.snn, random.Random(SEED))),
                          ("dense", dense_input(args.dense, random.Random(SEED)))):  # fmt: skip
        print(f"=== {name}: {len(records)} articles ===")
        print(profile([r["text"] for r in records], args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
