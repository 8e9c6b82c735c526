"""The dashboard driven like a person would: headless Chromium on the sample store, filter, open, read.

Needs Debian's `chromium` and `chromium-driver` packages (`.ci/run` installs them); without them the
tests are skipped. Screenshots and timings go to tests/artifacts/ (a test artefact, not committed).
"""

import json
import math
import shutil
import socket
import sqlite3
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from marsad import cli
from marsad.web.config import Settings
from marsad.web.spans import readable

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SAMPLES = Path(__file__).parents[2] / "src" / "marsad" / "samples"
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
FIRST_RENDER_BUDGET_MS = 1000

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason=f"needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)",
)
pytest.importorskip("selenium", reason="selenium is not installed (pip install -e .[dev])")
from selenium import webdriver
from selenium.webdriver import Chrome as WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

Json = dict[str, Any]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(db: str, settings: Settings | None = None) -> Iterator[str]:
    """The app on a free localhost port, in a background thread, for the length of the block."""
    from marsad.web.app import create_app

    config = uvicorn.Config(create_app(db, settings=settings), host="127.0.0.1", port=free_port(), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(10)


def get_json(url: str) -> Json:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: Json = json.load(response)
    return body


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("dashboard") / "samples.db")
    assert cli.main(["ingest", str(SAMPLES), "--db", db, "--no-progress"]) == 0
    return db


@pytest.fixture(scope="module")
def site(sample_db: str) -> Iterator[str]:
    with serve(sample_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                     "--lang=en-US"):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    driver.get("data:text/html,<title>warm-up</title>")  # start the renderer: time the page, not the browser
    yield driver
    driver.quit()


def wait_ready(driver: WebDriver, selector: str = "body") -> None:
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.querySelector(arguments[0]).dataset.state", selector) == "ready"
    )


def first_render_ms(driver: WebDriver) -> dict[str, float]:
    """When the table, timeline and map were first drawn, and the navigation timing, in ms."""
    timing: dict[str, float] = driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return {first_render: window.marsadFirstRender, dom_content_loaded: n.domContentLoadedEventEnd,"
        " load: n.loadEventEnd, transfer_kb: performance.getEntriesByType('resource')"
        "   .reduce((s, r) => s + r.transferSize, n.transferSize) / 1024};"
    )
    return timing


def record_timing(name: str, timing: dict[str, float]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "timing.json"
    timings = json.loads(path.read_text()) if path.exists() else {}
    timings[name] = {k: round(v, 1) for k, v in timing.items()}
    path.write_text(json.dumps(timings, indent=1) + "\n")


def severe_console_messages(driver: WebDriver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]  # type: ignore[no-untyped-call]


def test_filter_by_protest_open_an_event_and_read_its_highlighted_arabic_evidence(
    site: str, browser: WebDriver
) -> None:
    browser.get(site + "/")
    wait_ready(browser)
    timing = first_render_ms(browser)
    record_timing("samples", timing)
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == "Marsad · مرصد"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#countries-layer path")) == 177
    assert browser.find_elements(By.CSS_SELECTOR, "#countries-layer path.has-events")
    assert browser.find_elements(By.CSS_SELECTOR, "#points-layer circle")
    assert browser.find_elements(By.CSS_SELECTOR, "#timeline rect.bar")
    all_types = {r.get_attribute("data-type") for r in browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")}
    assert len(all_types) > 1

    Select(browser.find_element(By.ID, "f-type")).select_by_value("PROTEST")
    WebDriverWait(browser, 10).until(lambda d: "type=PROTEST" in d.current_url)
    wait_ready(browser)
    rows = browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    protests = get_json(site + "/api/events?type=PROTEST&page_size=25")
    assert [r.get_attribute("data-type") for r in rows] == ["PROTEST"] * len(protests["events"])
    assert [r.get_attribute("data-event-id") for r in rows] == [str(e["event_id"]) for e in protests["events"]]
    assert browser.find_element(By.ID, "total").text.startswith(f"{protests['total']} ")
    assert "PROTEST · احتجاج" in rows[0].text

    located = [e for e in protests["events"] if e["location"] and e["source"]]
    located.sort(key=lambda e: (-e["mention_count"], e["event_id"]))
    # the busiest located event with a mention whose own record has a source and a place
    event, full, at = next(
        (e, full, at)
        for e in located
        for full in [get_json(f"{site}/api/events/{e['event_id']}")]
        for at in [
            next((k for k, m in enumerate(full["mentions"]) if m["record"]["source"] and m["record"]["location"]), None)
        ]
        if at is not None
    )
    browser.find_element(By.CSS_SELECTOR, f'#events tr[data-event-id="{event["event_id"]}"] a').click()
    wait_ready(browser, "#event")
    assert browser.current_url.endswith(f"?type=PROTEST#event/{event['event_id']}")
    evidence = browser.find_elements(By.CSS_SELECTOR, "#mentions p.evidence")
    assert len(evidence) == len(full["mentions"])
    first = evidence[at]
    assert (first.get_attribute("dir"), first.get_attribute("lang")) == ("rtl", "ar")
    assert first.value_of_css_property("direction") == "rtl"
    assert first.text.replace("\n", " ") == full["mentions"][at]["display"]["sentence"]
    trigger = first.find_element(By.CSS_SELECTOR, "mark.k-trigger[data-kind=trigger]")
    assert trigger.text == readable(full["mentions"][at]["record"]["evidence"]["trigger"])
    assert (trigger.get_attribute("title") or "").startswith("trigger · الحدث")
    kinds = {m.get_attribute("data-kind") for m in first.find_elements(By.CSS_SELECTOR, "mark")}
    assert {"trigger", "location", "source"} <= kinds
    place = first.find_element(By.CSS_SELECTOR, "mark[data-kind=location]")
    assert place.text == readable(full["mentions"][at]["record"]["location"]["text"])
    panel = browser.find_element(By.ID, "event").text
    for label in ("PROTEST · احتجاج", "Date · التاريخ", "Place · المكان", "Source · الفاعل", "trigger · الحدث",
                  "place · المكان", "Evidence · الأدلة"):  # fmt: skip
        assert label in panel
    ARTIFACTS.mkdir(exist_ok=True)
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(ARTIFACTS / "dashboard.png"))
    browser.find_element(By.CSS_SELECTOR, "#mentions details.article summary").click()
    article = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "#mentions .article-text"))
    assert article.get_attribute("dir") == "rtl"
    assert article.find_elements(By.CSS_SELECTOR, "mark[data-kind=trigger]")

    browser.back()  # closes the event, keeps the filter
    WebDriverWait(browser, 10).until(lambda d: not d.find_element(By.ID, "event").is_displayed())
    assert browser.current_url.endswith("?type=PROTEST")
    browser.back()  # the unfiltered dashboard again
    WebDriverWait(browser, 10).until(lambda d: "type=" not in d.current_url)
    wait_ready(browser)
    assert Select(browser.find_element(By.ID, "f-type")).first_selected_option.get_attribute("value") == ""
    browser.forward()
    WebDriverWait(browser, 10).until(lambda d: "type=PROTEST" in d.current_url)
    wait_ready(browser)
    assert Select(browser.find_element(By.ID, "f-type")).first_selected_option.get_attribute("value") == "PROTEST"
    assert severe_console_messages(browser) == []  # no CSP violation, no failed request


RAW_ENTITIES = ("&quot;", "&amp;", "&#39;", "&#x27;", "&nbsp;", "&lt;", "&gt;")


def part_text(text: str, record: Json, kind: str) -> str | None:
    """The original article text under a record's part of `kind` (sliced by its offsets)."""
    if kind == "trigger":
        start, end = record["evidence"]["trigger_start"], record["evidence"]["trigger_end"]
    else:
        part = record.get("date_source" if kind == "date" else kind) or {}
        start, end = part.get("start"), part.get("end")
    return None if start is None or end is None else text[start:end]


def test_evidence_scraped_with_html_entities_reads_decoded_with_each_highlight_on_its_words(
    site: str, browser: WebDriver
) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SAMPLES.glob("*.txt")}
    listed = get_json(site + "/api/events?page_size=500")["events"]
    details = [get_json(f"{site}/api/events/{e['event_id']}") for e in listed]
    scraped = [d for d in details
               if any(x in m["record"]["evidence"]["sentence"] for m in d["mentions"] for x in RAW_ENTITIES)]  # fmt: skip
    assert len(scraped) >= 5, "the samples should have events whose evidence holds &quot; or &amp;"
    for event in scraped:
        browser.get(f"{site}/#event/{event['event_id']}")
        wait_ready(browser, "#event")
        panel = browser.find_element(By.ID, "event").text
        assert not [x for x in RAW_ENTITIES if x in panel], (event["event_id"], panel)
        shown = browser.find_elements(By.CSS_SELECTOR, "#mentions li.mention")
        assert len(shown) == len(event["mentions"])
        for item, mention in zip(shown, event["mentions"], strict=True):
            record, text = mention["record"], texts[mention["article_id"]]
            evidence = item.find_element(By.CSS_SELECTOR, "p.evidence")
            assert evidence.text.replace("\n", " ") == readable(record["evidence"]["sentence"]).replace("\n", " ")
            marks = evidence.find_elements(By.CSS_SELECTOR, "mark")
            assert "trigger" in {m.get_attribute("data-kind") for m in marks}
            for mark in marks:
                kind = mark.get_attribute("data-kind") or ""
                assert mark.text == readable(part_text(text, record, kind) or ""), (event["event_id"], kind)
    browser.get(f"{site}/#event/{scraped[0]['event_id']}")
    wait_ready(browser, "#event")
    browser.find_element(By.CSS_SELECTOR, "#mentions details.article summary").click()
    article = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "#mentions .article-text"))
    body = get_json(f"{site}/api/articles/{scraped[0]['mentions'][0]['article_id']}")
    assert any(x in body["text"] for x in RAW_ENTITIES) and not [x for x in RAW_ENTITIES if x in article.text]
    expected = {(s["kind"], readable(body["text"][s["start"] : s["end"]])) for s in body["spans"]}
    marks = article.find_elements(By.CSS_SELECTOR, "mark")
    assert marks and {(m.get_attribute("data-kind"), m.text) for m in marks} <= expected
    assert severe_console_messages(browser) == []


def test_a_shared_link_restores_filters_and_paging(site: str, browser: WebDriver) -> None:
    browser.get(site + "/?country=IRQ&q=%D8%A7%D9%84%D8%A8%D8%B5%D8%B1%D8%A9")  # البصرة
    wait_ready(browser)
    assert browser.find_element(By.ID, "f-country").get_attribute("value") == "IRQ"
    assert browser.find_element(By.ID, "f-q").get_attribute("value") == "البصرة"
    expected = get_json(site + "/api/events?country=IRQ&q=%D8%A7%D9%84%D8%A8%D8%B5%D8%B1%D8%A9")["total"]
    assert browser.find_element(By.ID, "total").text.startswith(f"{expected} ")
    browser.get(site + "/?page=2")
    wait_ready(browser)
    assert browser.find_element(By.ID, "page-info").text.startswith("Page 2 / ")
    assert severe_console_messages(browser) == []


def clone_events(db: str, at_least: int) -> int:
    """Copy every event (and its mentions) until the store holds `at_least` events, dates shifted a day a copy."""
    con = sqlite3.connect(db)
    count: int = con.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    event_cols = [c[1] for c in con.execute("PRAGMA table_info(events)")]
    mention_cols = [c[1] for c in con.execute("PRAGMA table_info(mentions)")]
    shifted = {"id": "id + :offset", "event_key": "event_key || :suffix", "event_id": "event_id + :offset",
               "date": "CASE WHEN LENGTH(date) = 10 THEN DATE(date, :days) ELSE date END"}  # fmt: skip
    for copy in range(1, math.ceil(at_least / count)):
        params = {"offset": copy * 1_000_000, "suffix": f"~{copy}", "days": f"-{copy} days"}
        for table, cols in (("events", event_cols), ("mentions", mention_cols)):
            select = ", ".join(shifted.get(c, c) for c in cols)
            con.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} FROM {table} WHERE id < 1000000", params
            )
    con.commit()
    total: int = con.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    con.close()
    return total


def test_first_render_with_10000_events_is_under_a_second(sample_db: str, tmp_path: Path, browser: WebDriver) -> None:
    db = str(tmp_path / "big.db")
    shutil.copy(sample_db, db)
    assert clone_events(db, 10_000) >= 10_000
    with serve(db) as url:
        get_json(url + "/api/health")  # the server is warm, the browser cache cold (a new origin)
        browser.get(url + "/")
        wait_ready(browser)
        timing = first_render_ms(browser)
        record_timing("10000_events", timing)
        assert browser.find_element(By.ID, "total").text.startswith(f"{get_json(url + '/api/events')['total']} ")
        assert len(browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")) == 25
        browser.save_screenshot(str(ARTIFACTS / "dashboard-10000.png"))
    assert timing["first_render"] < FIRST_RENDER_BUDGET_MS, timing


def test_next_goes_past_the_count_cap_of_a_text_filter(sample_db: str, tmp_path: Path, browser: WebDriver) -> None:
    db = str(tmp_path / "capped.db")
    shutil.copy(sample_db, db)
    clone_events(db, 2_000)
    with serve(db, Settings(count_cap=30)) as url:
        needle = "%D9%81%D9%8A"  # في: in nearly every sentence
        first = get_json(url + f"/api/events?q={needle}&page_size=25")
        assert first["total_exact"] is False and first["total"] == 30  # so 2 pages by the capped total
        browser.get(url + f"/?q={needle}&page=2")
        wait_ready(browser)
        assert browser.find_element(By.ID, "page-info").text.startswith("Page 2 / 2+")
        assert browser.find_element(By.ID, "total").text.startswith("30+ ")
        browser.find_element(By.ID, "next").click()  # page 3: beyond what the capped total promises
        WebDriverWait(browser, 10).until(lambda d: "page=3" in d.current_url)
        wait_ready(browser)
        WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "page-info").text.startswith("Page 3 / "))
        assert len(browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")) == 25
        assert browser.find_element(By.ID, "next").is_enabled()
        assert severe_console_messages(browser) == []
