"""bench/load.py in its smoke mode: it builds a store, serves it, fires its requests and stops.

Timings are benchmark figures (bench/results/load.json, docs/reliability.md), not test assertions.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_quick_load_run_completes_without_errors(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "--quick", "--out", str(out)],
                          check=False, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["setup"]["events"] == 1_000
    assert (result["structured"]["requests"], result["structured"]["errors"]) == (300, 0)
    assert (result["text_filters"]["requests"], result["text_filters"]["errors"]) == (30, 0)
    assert result["structured"]["p99_ms"] >= result["structured"]["p50_ms"] > 0
