"""Coding on every core without Spark: an ordered map over worker processes.

`code`, `places`, `ingest` and `recode` hand each article to `ordered_map`: with one worker the
task runs in this process (exactly the old loop); with more, worker processes (the "forkserver"
context where the platform has it, else "spawn": no forked copy of the parent's store
connection or threads) run it in chunks, and the results come back in input order, so the
parent writes the same output and stays the only writer of files and stores. Each worker loads
the coding resources once (`marsad.memo.load_once`, per process), at most `workers * WINDOW`
chunks are in flight (memory stays bounded on any input size), and a task's exception is raised
in the parent at that item's place in the order, as the single-process loop would.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

from marsad.errors import UsageError

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["WORKERS_HELP", "default_workers", "ordered_map", "worker_count"]

CHUNK = 8  # items per task: amortises the pickling round trip, keeps the order buffer short
WINDOW = 4  # chunks in flight per worker
PARENT_CHECK_SECONDS = 1.0
WORKERS_HELP = "worker processes that code in parallel (default: every core this process may use)"


def default_workers() -> int:
    """The cores this process may run on (its affinity mask, e.g. under `taskset`), else the CPU count."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return max(os.cpu_count() or 1, 1)


def worker_count(requested: int | None) -> int:
    """`--workers N` checked: None means every core; 0 or less is a usage error."""
    if requested is None:
        return default_workers()
    if requested < 1:
        raise UsageError(f"--workers must be 1 or more, not {requested}")
    return requested


class _Failed:
    """A task's exception, carried back to the parent to be raised at the item's place."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


def _run_chunk(func: Callable[[T], R], chunk: list[T]) -> list[R | _Failed]:
    results: list[R | _Failed] = []
    for item in chunk:
        try:
            results.append(func(item))
        except Exception as exc:  # noqa: BLE001 - raised again in the parent, in order
            results.append(_Failed(exc))
    return results


def _worker_start(parent: int) -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool (they must not each print a
    traceback), and exit when the parent is gone (killed with -9, it cannot stop them)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), name="marsad-parent-watch", daemon=True).start()


def _exit_with(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # the pid now belongs to another user's process: ours is gone
            os._exit(1)


def _context() -> multiprocessing.context.BaseContext:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def ordered_map(
    func: Callable[[T], R], items: Iterable[T], *, workers: int, chunk: int = CHUNK
) -> Iterator[tuple[T, R]]:
    """(item, `func(item)`) for every item, in input order; `workers` > 1 runs `func` in that many
    processes (`func` and the items must then pickle: a module-level function and plain data)."""
    if workers <= 1:
        for item in items:
            yield item, func(item)
        return
    source = iter(items)
    pending: deque[tuple[list[T], Future[list[R | _Failed]]]] = deque()
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=_worker_start, initargs=(os.getpid(),)
    )
    try:
        while True:
            while len(pending) < workers * WINDOW and (batch := list(islice(source, chunk))):
                pending.append((batch, pool.submit(_run_chunk, func, batch)))
            if not pending:
                break
            batch, future = pending.popleft()
            for item, result in zip(batch, future.result(), strict=True):
                if isinstance(result, _Failed):
                    raise result.error
                yield item, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
