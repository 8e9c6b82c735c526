"""Review at scale: first render of the dashboard and review write latency at 100,000 events.

Builds a store of 100,000 events with the load test's synthetic builder (bench/load.py), starts
the app under uvicorn in a child process with two reviewer tokens, then:

1. writes `--reviews` reviews through the API, one at a time on a keep-alive connection, each
   after a GET of the event for its version (as the dashboard does): confirm, reject and correct
   in turn; the POST is timed (p50/p95/p99), and a second phase has two reviewers racing on the
   same events (every race must end in one 201 and one 409);
2. times the queue (`GET /api/review/next`) and `GET /api/stats` (with its review section);
3. opens the dashboard in headless Chromium (if installed) signed in as a reviewer and reads the
   first render time the page records (`window.marsadFirstRender`), as tests/e2e/test_dashboard.py.

Writes bench/results/review.json (or review-postgresql.json with --postgres).

    python bench/review.py            # 100,000 events, 1,000 reviews
    python bench/review.py --quick    # 2,000 events, 100 reviews
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.load import build_store, free_port, machine, percentile, store_url

RESULTS = ROOT / "bench" / "results" / "review.json"
RESULTS_PG = ROOT / "bench" / "results" / "review-postgresql.json"
TOKENS = {"amal": "amal-bench-token-0123456789", "omar": "omar-bench-token-0123456789"}
SERVER = """
import sys
import uvicorn
from marsad.web.app import create_app
uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), workers=1, log_level="warning",
            access_log=False, server_header=False)
"""
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def start_server(url: str, port: int) -> Any:
    import os
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"),
           "MARSAD_REVIEW_TOKENS": ",".join(f"{n}:{t}" for n, t in TOKENS.items())}  # fmt: skip
    server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)], env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


class Client:
    """One keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any, float]:
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.conn.close()  # the server closed an idle keep-alive connection (uvicorn: after 5 s)
            self.conn = http.client.HTTPConnection(self.conn.host, self.conn.port, timeout=60)
            started = time.perf_counter()
            self.conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            response = self.conn.getresponse()
        data = json.loads(response.read() or b"null")
        return response.status, data, (time.perf_counter() - started) * 1000


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"n": len(ordered), **{f"p{int(p * 100)}_ms": round(percentile(ordered, p), 2) for p in (0.5, 0.95, 0.99)},
            "max_ms": round(ordered[-1], 2)}  # fmt: skip


def decision(n: int) -> dict[str, Any]:
    if n % 3 == 0:
        return {"verdict": "confirmed"}
    if n % 3 == 1:
        return {"verdict": "rejected", "reason": ("not-reported", "wrong-type", "duplicate", "not-political")[n % 4]}
    return {"verdict": "corrected", "changes": {"fatalities": {"min": n % 50, "max": n % 50 + 1}}}


def review_writes(port: int, event_ids: list[int]) -> dict[str, Any]:
    client, timings, failures = Client(port), [], 0
    for n, event_id in enumerate(event_ids):
        _, event, _ = client.call("GET", f"/api/events/{event_id}")
        status, _, ms = client.call("POST", f"/api/events/{event_id}/review", {"version": event["version"],
                                    **decision(n)}, TOKENS["amal"])  # fmt: skip
        timings.append(ms)
        failures += status != 201
    return {**summary(timings), "failures": failures}


def races(port: int, event_ids: list[int]) -> dict[str, Any]:
    """Two reviewers POST a review of the same event version at the same moment."""
    outcomes: dict[str, int] = {}
    clients = {name: Client(port) for name in TOKENS}
    reader = Client(port)
    for event_id in event_ids:
        _, event, _ = reader.call("GET", f"/api/events/{event_id}")
        barrier, found = threading.Barrier(2), []

        def post(name: str, event_id: int = event_id, version: str = event["version"],
                 barrier: threading.Barrier = barrier, found: list[int] = found) -> None:  # fmt: skip
            barrier.wait()
            found.append(clients[name].call("POST", f"/api/events/{event_id}/review",
                                            {"version": version, "verdict": "confirmed"}, TOKENS[name])[0])  # fmt: skip

        threads = [threading.Thread(target=post, args=(name,)) for name in TOKENS]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        key = "+".join(str(s) for s in sorted(found))
        outcomes[key] = outcomes.get(key, 0) + 1
    return {"races": len(event_ids), "outcomes": outcomes}


def first_render(port: int) -> dict[str, Any] | None:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        return None
    from selenium import webdriver
    from selenium.webdriver.support.wait import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    try:
        driver.get("data:text/html,<title>warm-up</title>")
        renders = []
        for attempt in range(3):
            driver.get(f"http://127.0.0.1:{port}/")
            if attempt == 0:
                driver.execute_script(f"sessionStorage.setItem('marsadReviewToken', '{TOKENS['amal']}')")
                driver.get(f"http://127.0.0.1:{port}/")
            WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.body.dataset.state") == "ready")
            renders.append(float(driver.execute_script("return window.marsadFirstRender")))
        WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.body.dataset.reviewer") == "amal")
        return {"first_render_ms": [round(r, 1) for r in renders], "best_ms": round(min(renders), 1),
                "worst_ms": round(max(renders), 1), "signed_in_as": "amal"}  # fmt: skip
    finally:
        driver.quit()


def run(events: int, reviews: int, race_count: int, postgres: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"machine": machine()}
    with store_url(postgres) as (url, description):
        build = build_store(url, events)
        port = free_port()
        server = start_server(url, port)
        try:
            reader = Client(port)
            first_page = reader.call("GET", "/api/events?page_size=500&sort=-date")[1]["events"]
            ids = [e["event_id"] for e in first_page]
            step = max(1, events // (reviews + race_count))
            spread = [i for i in range(1, events + 1, step)]
            result["review_write"] = review_writes(port, spread[:reviews])
            result["concurrent_reviewers"] = races(port, spread[reviews : reviews + race_count])
            result["queue_next"] = summary([reader.call("GET", "/api/review/next")[2] for _ in range(30)])
            result["stats"] = summary([reader.call("GET", "/api/stats?group=day")[2] for _ in range(10)])
            result["events_page"] = summary([reader.call("GET", "/api/events?page_size=25")[2] for _ in range(30)])
            result["event_detail"] = summary([reader.call("GET", f"/api/events/{i}")[2] for i in ids[:100]])
            result["dashboard"] = first_render(port)
            result["review_progress"] = reader.call("GET", "/api/stats")[1]["review"]
            del result["review_progress"]["precision_by_type"]
        finally:
            server.terminate()
            server.wait(timeout=30)
    result["setup"] = {"events": events, "store": description, "build_seconds": round(build, 1),
                       "server": "marsad.web.create_app under uvicorn, 1 worker, 127.0.0.1",
                       "reviews": "confirm / reject / correct in turn, one keep-alive client, each after a GET",
                       "targets": {"first_render_ms": 1000, "review_write_p99_ms": 100}}  # fmt: skip
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2,000 events, 100 reviews, 10 races")
    parser.add_argument("--events", type=int)
    parser.add_argument("--reviews", type=int)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    events = args.events or (2_000 if args.quick else 100_000)
    reviews = args.reviews or (100 if args.quick else 1_000)
    result = run(events, reviews, 10 if args.quick else 100, args.postgres)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    out = args.out or (None if args.quick else RESULTS_PG if args.postgres else RESULTS)
    if out:
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    races_ok = set(result["concurrent_reviewers"]["outcomes"]) == {"201+409"}
    return 0 if races_ok and not result["review_write"]["failures"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
