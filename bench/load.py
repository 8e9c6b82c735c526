"""A bounded load test of GET /api/events on loopback: a fixed number of requests, then it stops.

Builds a SQLite store of 100,000 events with the synthetic builder of the API tests
(tests/unit/web/synthetic.py: real coded records written straight through the store's
transaction API, 5,000 articles per transaction, one event per article; no per-article
deduplication, which is what makes `marsad ingest` slow and is not what this measures), starts
`marsad serve`'s app under uvicorn in a child process (one worker, 127.0.0.1), and fires the
requests from a fixed pool of client threads, each with its own keep-alive connection
(http.client). The filter mix (type, country, since/until, page, page_size, sort) is drawn from a
seeded generator, so every run asks the same questions. The free-text filters (`q`, `actor`) are
measured in a second phase of their own. Writes bench/results/load.json (SQLite) or
bench/results/load-postgresql.json (`--postgres`: the same store in PostgreSQL, $MARSAD_TEST_PG or a
throwaway server started like the tests do).

    python bench/load.py             # 100,000 events, 5,000 requests (+ 1,000 with q/actor)
    python bench/load.py --quick     # 1,000 events, 300 requests (+ 30): the smoke test runs this
    python bench/load.py --postgres  # the same on PostgreSQL
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import queue
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from marsad.store import open_store
from tests.unit.store import pg_server
from tests.unit.web.synthetic import fill_events

RESULTS = ROOT / "bench" / "results" / "load.json"
RESULTS_PG = ROOT / "bench" / "results" / "load-postgresql.json"
TYPES = ("PROTEST", "COERCE", "ASSAULT", "CONSULT", "FIGHT")
COUNTRIES = ("IRQ", "EGY", "JOR", "SYR", "TUN", "LBN", "MAR", "SDN", "YEM", "IRN")
SORTS = ("-date", "date", "-source_count", "source_count")
# broad needles (a quarter of the events each), a city (5 %), a rare title (a dozen events)
TEXTS = ("الطلاب", "عمال", "وزير الخارجية", "بغداد", "قوات الأمن", "خبر 4242")
ACTORS = ("EDU", "GOV", "IRQ", "الطلاب", "LAB")
SERVER = """
import sys
import uvicorn
from marsad.web.app import create_app
uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), workers=1, log_level="warning",
            access_log=False, server_header=False)
"""


def structured_query(rng: random.Random) -> str:
    """One GET /api/events URL with a random mix of the indexed filters, page and sort."""
    params: dict[str, Any] = {}
    if rng.random() < 0.6:
        params["type"] = rng.choice(TYPES)
    if rng.random() < 0.4:
        params["country"] = rng.choice(COUNTRIES)
    if rng.random() < 0.4:
        year, month = rng.randint(2022, 2024), rng.randint(1, 12)
        params["since"] = f"{year}-{month:02d}-01"
        if rng.random() < 0.7:
            params["until"] = f"{year + rng.randint(0, 1)}-{month:02d}-28"
    if rng.random() < 0.5:
        params["sort"] = rng.choice(SORTS)
    if rng.random() < 0.3:
        params["page"] = rng.randint(2, 20)
    if rng.random() < 0.2:
        params["page_size"] = rng.choice((10, 20, 100))
    return "/api/events" + (f"?{urlencode(params)}" if params else "")


def text_query(rng: random.Random) -> str:
    """One GET /api/events URL with a free-text filter (`q` or `actor`), sometimes with a type."""
    params = {"q": rng.choice(TEXTS)} if rng.random() < 0.5 else {"actor": rng.choice(ACTORS)}
    if rng.random() < 0.5:
        params["type"] = rng.choice(TYPES)
    return f"/api/events?{urlencode(params)}"


def build_store(url: str, events: int) -> float:
    started = time.monotonic()
    with open_store(url) as store:
        fill_events(store, events)
        # after a bulk load, what autovacuum would soon do (PostgreSQL: the visibility map lets counts use
        # index-only scans; measured 24.6 -> 16.1 ms a text request at 30,000 events)
        store.db.execute("ANALYZE" if store.dialect == "sqlite" else "VACUUM ANALYZE")
    return time.monotonic() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            status, _ = get(http.client.HTTPConnection("127.0.0.1", port, timeout=5), "/api/health")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not answer /api/health within 60 s")


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def client(port: int, work: queue.Queue[str], results: list[tuple[float, int]]) -> None:
    """Take URLs until the queue is empty; record (seconds, status) per request (0: no answer, -1: bad body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while True:
        try:
            path = work.get_nowait()
        except queue.Empty:
            break
        started = time.perf_counter()
        try:
            status, body = get(conn, path)
            if status == 200 and not (body.startswith(b'{"total":') and body.endswith(b"}")):
                status = -1  # cheap: a full json.loads per response would load the shared CPUs
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        results.append((time.perf_counter() - started, status))
    conn.close()


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


def fire(port: int, paths: list[str], concurrency: int) -> dict[str, Any]:
    """Send every path once from `concurrency` threads; throughput, latency percentiles and errors."""
    work: queue.Queue[str] = queue.Queue()
    for path in paths:
        work.put(path)
    results: list[tuple[float, int]] = []
    threads = [threading.Thread(target=client, args=(port, work, results)) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds * 1000 for seconds, _ in results)
    errors = sum(1 for _, status in results if status != 200)
    return {
        "requests": len(results), "errors": errors, "seconds": round(elapsed, 2),
        "requests_per_s": round(len(results) / elapsed, 1),
        **{f"p{int(p * 100)}_ms": round(percentile(latencies, p), 1) for p in (0.5, 0.95, 0.99)},
        "max_ms": round(latencies[-1], 1),
    }  # fmt: skip


def machine() -> str:
    model = ""
    if Path("/proc/cpuinfo").exists():
        lines = [x for x in Path("/proc/cpuinfo").read_text().splitlines() if x.startswith("model name")]
        model = lines[0].split(":", 1)[1].strip() if lines else ""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.machine()} {model}, {os.cpu_count()} CPUs, CPython {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, load average {load:.1f} at the start")  # fmt: skip


@contextmanager
def store_url(postgres: bool) -> Iterator[tuple[str, str]]:
    """(url, description) of an empty store: a SQLite file in a temporary directory, or a new PostgreSQL
    database ($MARSAD_TEST_PG's server, else a throwaway one with fsync on)."""
    if not postgres:
        with tempfile.TemporaryDirectory(prefix="marsad-load-") as tmp:
            yield str(Path(tmp) / "load.db"), "SQLite (WAL), file in a temporary directory"
        return
    admin, server = os.environ.get("MARSAD_TEST_PG"), None
    if not admin:
        reason = pg_server.why_not()
        if reason:
            raise SystemExit(f"no PostgreSQL for --postgres: {reason}")
        server = pg_server.start(fsync=True)
        admin = server.url
    try:
        # a UTF-8 LC_CTYPE, as on a usual install: under C, pg_trgm extracts no trigram from Arabic
        url = pg_server.create_database(admin, f"marsad_load_{os.getpid()}", ctype="C.UTF-8")
        yield url, f"PostgreSQL {pg_version(url)} (pg8000), local server, fsync on, LC_CTYPE C.UTF-8"
    finally:
        if server:
            server.stop()


def pg_version(url: str) -> str:
    with open_store(url) as store:
        return str(store.db.read("SHOW server_version")[0][0])


def run(events: int, requests: int, text_requests: int, concurrency: int, seed: int,
        postgres: bool = False) -> dict[str, Any]:  # fmt: skip
    rng = random.Random(seed)
    structured = [structured_query(rng) for _ in range(requests)]
    text = [text_query(rng) for _ in range(text_requests)]
    result: dict[str, Any] = {"machine": machine()}
    with store_url(postgres) as (url, store):
        build = build_store(url, events)
        port = free_port()
        server = start_server(url, port)
        try:
            fire(port, structured[: max(20, requests // 50)], concurrency)  # warm-up: caches, thread pool
            result["structured"] = fire(port, structured, concurrency)
            result["text_filters"] = fire(port, text, concurrency) if text else None
        finally:
            server.terminate()
            server.wait(timeout=30)
    result["setup"] = {
        "events": events, "store": store, "build_seconds": round(build, 1),
        "server": "marsad.web.create_app under uvicorn, 1 worker, 127.0.0.1, asyncio + h11",
        "client": f"{concurrency} threads, one keep-alive http.client connection each, same machine",
        "mix": "GET /api/events; type 60%, country 40%, since/until 40%, sort 50%, page 2-20 30%, page_size 20%; "
               "text phase: q or actor (50/50), half with type", "seed": seed,
    }  # fmt: skip
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke run: 1,000 events, 300 requests (+30 text)")
    parser.add_argument("--events", type=int, help="events in the store (default 100,000; quick 1,000)")
    parser.add_argument("--requests", type=int, help="structured requests (default 5,000; quick 300)")
    parser.add_argument("--text-requests", type=int, help="q/actor requests (default 1,000; quick 30)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help=f"JSON results (default {RESULTS.relative_to(ROOT)}; quick: none)")
    args = parser.parse_args(argv)
    events = args.events or (1_000 if args.quick else 100_000)
    requests = args.requests or (300 if args.quick else 5_000)
    text_requests = args.text_requests if args.text_requests is not None else (30 if args.quick else 1_000)
    result = run(events, requests, text_requests, args.concurrency, args.seed, args.postgres)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    out = args.out or (None if args.quick else RESULTS_PG if args.postgres else RESULTS)
    if out:
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    failed = result["structured"]["errors"] + (result["text_filters"] or {}).get("errors", 0)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
