"""Two `marsad ingest` processes and `marsad serve` on one SQLite file at the same time; eight
threads coding at once, in one process and in the API's thread pool.

Nothing may reach the user as "database is locked" (exit codes 0, clean stderr, no 5xx), no write
may be lost (every article once, with all its mentions; the overlap is reported as duplicates),
and readers only ever see committed, consistent states. Threads sharing the lexicon, the gazetteer
and their memos must get exactly what one thread gets.
"""

import json
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import httpx
import pytest

import marsad
from marsad import cli
from marsad.extract.place_rules import clitic_forms
from marsad.geo.gazetteer import load_gazetteer
from marsad.lexicon.loader import default_lexicon
from marsad.store import open_store
from marsad.text.tokens import analyse
from marsad.web.spans import spans_of
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


# --- shared resources under threads: the coder and the API's thread pool -------------------------

CODINGS_PER_THREAD = 1_000
THREADS = 8
ARTICLE_DATE = "2024-03-10"


def short_samples(n: int = THREADS) -> list[str]:
    """The `n` shortest bundled sample articles (about 1,900 characters each)."""
    paths = sorted(cli.samples_dir().glob("*.txt"), key=lambda p: (p.stat().st_size, p.name))[:n]
    return [p.read_text(encoding="utf-8") for p in paths]


def serial_records(texts: list[str], ids: list[str]) -> list[list[dict[str, object]]]:
    return [[e.to_dict() for e in marsad.code(t, article_id=i, date=ARTICLE_DATE)] for t, i in zip(texts, ids)]


def forget_everything_learnt() -> None:
    """Drop the loaded resources and every token memo, so that the threads race to rebuild them."""
    default_lexicon.cache_clear()
    load_gazetteer.cache_clear()
    for memo in (analyse, clitic_forms):
        memo.cache_clear()


def test_eight_threads_coding_different_articles_8000_times_get_the_serial_results() -> None:
    texts = short_samples()
    ids = [f"s{k}" for k in range(len(texts))]
    serial = serial_records(texts, ids)
    assert all(serial), "every sample should code to some events"
    forget_everything_learnt()
    start = threading.Barrier(THREADS)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)  # switch threads 50x more often than usual: more interleavings

    def work(thread: int) -> list[int]:
        start.wait()
        wrong = []
        for step in range(CODINGS_PER_THREAD):
            k = (thread + step) % len(texts)  # at every step the threads code different articles
            got = [e.to_dict() for e in marsad.code(texts[k], article_id=ids[k], date=ARTICLE_DATE)]
            if got != serial[k]:
                wrong.append(step)
        return wrong

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            wrong = list(pool.map(work, range(THREADS)))
    finally:
        sys.setswitchinterval(interval)
    assert wrong == [[]] * THREADS, f"codings that differ from the serial ones, per thread: {wrong}"
    assert default_lexicon.cache_info().misses == 1 and load_gazetteer.cache_info().misses == 1


def _post(client: httpx.Client, article_id: str, text: str) -> dict[str, object]:
    body = {"id": article_id, "text": text, "date": ARTICLE_DATE, "source": "thread-test"}
    response = client.post("/api/articles", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_concurrent_posts_to_the_api_store_and_show_the_serial_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "thread-test-token"
    monkeypatch.setenv("MARSAD_API_TOKEN", token)
    texts = [f"{text}\n(نسخة {copy})" for text in short_samples() for copy in range(4)]  # 32 distinct reports
    ids = [f"p{k:02d}" for k in range(len(texts))]
    serial = dict(zip(ids, serial_records(texts, ids)))
    db = tmp_path / "api.db"
    assert cli.main(["ingest", str(write_jsonl(tmp_path / "seed.jsonl", synthetic_articles(1))), "--db", str(db)]) == 0
    port = _free_port()
    server = _serve(db, port)
    # Every report is posted twice at once, by two of the eight threads (under two ids).
    jobs = [(k, copy) for copy in range(2) for k in range(len(texts))]
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60,
                          headers={"Authorization": f"Bearer {token}"}) as client:  # fmt: skip
            with ThreadPoolExecutor(THREADS) as pool:
                answers = list(pool.map(lambda job: (job[0], _post(client, f"{ids[job[0]]}-{job[1]}", texts[job[0]])),
                                        jobs))  # fmt: skip
            shown = {k: client.get(f"/api/articles/{a['article_id']}").json() for k, a in answers if a["stored"]}
    finally:
        server.terminate()
        server_err = server.communicate(timeout=30)[1].decode()
    assert "Traceback" not in server_err, server_err
    by_report: dict[int, list[dict[str, object]]] = {}
    for k, answer in answers:
        by_report.setdefault(k, []).append(answer)
    for k, pair in by_report.items():
        assert sorted(a["stored"] for a in pair) == [False, True], pair  # one stored, the other a duplicate
        assert len({a["article_id"] for a in pair}) == 1 and {a["reason"] for a in pair} == {None, "duplicate"}
    with open_store(str(db)) as store:
        for k, article in shown.items():
            stored = [m["record"] for m in store.article(article["id"])["mentions"]]
            expected = [{**r, "article_id": article["id"]} for r in serial[ids[k]]]
            assert stored == expected, f"report {k}: stored events differ from the serial coding"
            assert _spans(article["spans"]) == _spans(spans_of(texts[k], _as_mentions(expected))), k


def _as_mentions(records: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{"mention_id": n, "event_id": None, "record": r} for n, r in enumerate(records)]


def _spans(spans: list[dict[str, object]]) -> list[tuple[object, ...]]:
    """What a reader sees of each highlight (the store's ids aside)."""
    return sorted((s["start"], s["end"], s["kind"], s["label_en"], s["label_ar"]) for s in spans)
