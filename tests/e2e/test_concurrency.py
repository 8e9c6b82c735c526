"""Two `marsad ingest` processes and `marsad serve` on one SQLite file at the same time.

Nothing may reach the user as "database is locked" (exit codes 0, clean stderr, no 5xx), no write
may be lost (every article once, with all its mentions; the overlap is reported as duplicates),
and readers only ever see committed, consistent states.
"""

import json
import socket
import sqlite3
import subprocess
import threading
import time
from contextlib import closing
from pathlib import Path

import httpx

from marsad import cli
from tests.e2e.test_crash import assert_consistent, mention_counts, start, synthetic_articles, write_jsonl

N_ARTICLES = 240
OVERLAP = 80
QUERIES = (
    "/api/events",
    "/api/events?type=PROTEST&sort=-source_count",
    "/api/events?country=IRQ&since=2024-03-01&until=2024-04-30",
    "/api/events?page=2&page_size=20&sort=date",
    "/api/stats?group=week",
    "/api/health",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Reader(threading.Thread):
    """GETs the API in a loop until stopped, keeping every status and the article counts it saw."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.stop = base, threading.Event()
        self.statuses: list[tuple[str, int]] = []
        self.articles_seen: list[int] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            n = 0
            while not self.stop.is_set():
                path = QUERIES[n % len(QUERIES)]
                response = client.get(path)
                self.statuses.append((path, response.status_code))
                if path == "/api/health" and response.status_code == 200:
                    self.articles_seen.append(response.json()["articles"])
                n += 1


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    server = start(["serve", "--db", str(db), "--port", str(port), "--log-level", "warning"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError(f"marsad serve did not start: {server.stderr and server.stderr.read()!r}")


def test_two_ingests_and_the_api_share_one_sqlite_file_without_lock_errors_or_lost_writes(tmp_path: Path) -> None:
    articles = synthetic_articles(N_ARTICLES, prefix="k")
    half = (N_ARTICLES + OVERLAP) // 2
    first = write_jsonl(tmp_path / "first.jsonl", articles[:half])
    second = write_jsonl(tmp_path / "second.jsonl", articles[N_ARTICLES - half :][::-1])
    reference = tmp_path / "ref.db"
    assert cli.main(["ingest", str(write_jsonl(tmp_path / "all.jsonl", articles)), "--db", str(reference),
                     "--no-progress"]) == 0  # fmt: skip
    db = tmp_path / "shared.db"
    assert cli.main(["ingest", str(write_jsonl(tmp_path / "seed.jsonl", articles[:1])), "--db", str(db)]) == 0

    port = _free_port()
    server = _serve(db, port)
    reader = Reader(f"http://127.0.0.1:{port}")
    reader.start()
    try:
        ingests = [start(["ingest", str(path), "--db", str(db), "--json", "--no-progress"], stdout=subprocess.PIPE)
                   for path in (first, second)]  # fmt: skip
        results = [(*proc.communicate(timeout=120), proc.returncode) for proc in ingests]
    finally:
        reader.stop.set()
        reader.join(timeout=30)
        server.terminate()
        server_err = server.communicate(timeout=30)[1].decode()

    for _, err, code in results:
        assert code == 0, err.decode()
        assert b"locked" not in err.lower() and b"Traceback" not in err, err.decode()
    assert "locked" not in server_err.lower() and "Traceback" not in server_err, server_err
    assert len(reader.statuses) >= 10
    assert [s for s in reader.statuses if s[1] != 200] == []
    assert reader.articles_seen == sorted(reader.articles_seen), "a reader saw the article count go down"

    reports = [json.loads(out) for out, _, _ in results]
    assert sum(r["stored"] for r in reports) == N_ARTICLES - 1
    assert sum(r["skipped"].get("duplicate", 0) for r in reports) == OVERLAP + 1
    assert all(r["failed"] == [] for r in reports)
    with closing(sqlite3.connect(db)) as conn:
        counts = conn.execute("SELECT COUNT(*), COUNT(DISTINCT content_hash), COUNT(DISTINCT id) FROM articles")
        assert counts.fetchone() == (N_ARTICLES, N_ARTICLES, N_ARTICLES)
    assert_consistent(db, mention_counts(reference))
    assert mention_counts(db) == mention_counts(reference)
