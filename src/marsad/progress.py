"""The progress line of every long-running command (`code`, `places`, `ingest`, `recode`, `spark-code`)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """A progress line on a stream (stderr; drawn only on a terminal unless `enabled` says otherwise):
    done or done/total with a bar, rate, ETA when the total is known, and failed records; redrawn at
    most 5 times a second, and once more by `close`."""

    def __init__(self, total: int | None = None, *, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.done = 0
        self.failed = 0
        self.started = self.drawn = time.monotonic()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / elapsed
        failed = f"  {self.failed} failed" if self.failed else ""
        if not self.total:
            return f"{self.done} articles  {rate:.1f}/s{failed}"
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 24)
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        return f"[{bar:<24}] {self.done}/{self.total} {share:4.0%}  {rate:.1f}/s  ETA {_clock(eta)}{failed}"

    def tick(self, *, failed: bool = False) -> None:
        """One more record done (`failed`: reported and skipped)."""
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if self.enabled and now - self.drawn >= 0.2:
            self.drawn = now
            print(f"\r{self.line()}", end="", file=self.stream, flush=True)

    def close(self) -> None:
        if self.enabled:
            print(f"\r{self.line()}", file=self.stream, flush=True)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"
