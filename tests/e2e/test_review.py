"""Reviewing in the dashboard, driven like an analyst would: headless Chromium on the sample store.

Confirm (one key), reject (one key), correct (selection, gazetteer search, a number, Enter), each
checked in the store, the ACLED export and the audit log; the keystrokes, clicks, round trips and
seconds of each review go to tests/artifacts/review_timing.json (README "Review (issue 17)").
"""

import csv
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marsad import cli
from marsad.store import open_store
from marsad.web.config import Settings
from tests.e2e.test_dashboard import ARTIFACTS, CHROMEDRIVER, CHROMIUM, SAMPLES, serve, wait_ready

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason=f"needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)",
)
pytest.importorskip("selenium", reason="selenium is not installed (pip install -e .[dev])")
from selenium import webdriver
from selenium.webdriver import Chrome as WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

AMAL, OMAR = "amal-token-0123456789", "omar-token-9876543210"
SETTINGS = Settings(reviewers=(("amal", AMAL), ("omar", OMAR)))
CORRECTION_BUDGET_S = 10.0


@pytest.fixture
def review_db(tmp_path: Path) -> str:
    db = str(tmp_path / "review.db")
    assert cli.main(["ingest", str(SAMPLES), "--db", db, "--no-progress"]) == 0
    return db


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def post(url: str, body: dict[str, Any], token: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {token}"})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def get(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: dict[str, Any] = json.load(response)
    return body


def press(driver: WebDriver, keys: str) -> None:
    webdriver.ActionChains(driver).send_keys(keys).perform()


def open_event(driver: WebDriver) -> int:
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return location.hash").startswith("#event/"))
    wait_ready(driver, "#event")
    return int(driver.execute_script("return location.hash").split("/")[1])


def saved(driver: WebDriver, event_id: int) -> None:
    """Wait for the review of `event_id` to be stored (the queue may already show the next event)."""
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "return document.body.dataset.review") in ("saved", "conflict", "error"))  # fmt: skip
    assert driver.execute_script("return document.body.dataset.review") == "saved"


def sign_in(driver: WebDriver, site: str, token: str) -> None:
    driver.get(site + "/")
    wait_ready(driver)
    driver.find_element(By.ID, "reviewer-token").send_keys(token + Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "reviewer-name").text.endswith("amal"))


def requests(driver: WebDriver) -> int:
    return int(driver.execute_script("return window.marsadReviewRequests"))


def wait_next(driver: WebDriver, after: int) -> int:
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return location.hash") != f"#event/{after}")
    return open_event(driver)


def test_confirm_reject_and_correct_in_the_browser_reach_the_store_the_export_and_the_audit_log(
    review_db: str, browser: WebDriver, tmp_path: Path
) -> None:
    timings: dict[str, Any] = {}
    with serve(review_db, SETTINGS) as site:
        sign_in(browser, site, AMAL)
        expected_first = get(site + "/api/review/next")["event_id"]
        press(browser, "n")
        first = open_event(browser)
        assert first == expected_first  # the queue starts with the event nearest its threshold
        assert browser.find_element(By.ID, "review").get_attribute("data-status") == "unreviewed"

        before, start = requests(browser), time.perf_counter()
        press(browser, "c")  # confirm: one keystroke
        saved(browser, first)
        timings["confirm"] = {"keystrokes": 1, "clicks": 0, "round_trips": requests(browser) - before,
                              "seconds": round(time.perf_counter() - start, 2)}  # fmt: skip
        second = wait_next(browser, first)  # the queue moves on by itself

        before, start = requests(browser), time.perf_counter()
        press(browser, "2")  # reject as "wrong type": one keystroke
        saved(browser, second)
        timings["reject"] = {"keystrokes": 1, "clicks": 0, "round_trips": requests(browser) - before,
                             "seconds": round(time.perf_counter() - start, 2)}  # fmt: skip
        third = wait_next(browser, second)

        before, start = requests(browser), time.perf_counter()
        press(browser, "e")
        WebDriverWait(browser, 5).until(lambda d: d.find_element(By.ID, "correct-form").is_displayed())
        # select the first two words of the evidence sentence, as a mouse would
        words = browser.execute_script("""
            const p = document.querySelector('#mentions p.evidence');
            const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
            let node = walker.nextNode();
            while (node && !node.textContent.trim()) node = walker.nextNode();
            const text = node.textContent, from = text.search(/\\S/);
            let to = from, spaces = 0;
            while (to < text.length && spaces < 2) { if (text[to] === ' ') spaces++; to++; }
            const range = document.createRange();
            range.setStart(node, from); range.setEnd(node, spaces === 2 ? to - 1 : to);
            getSelection().removeAllRanges(); getSelection().addRange(range);
            return getSelection().toString();""")  # fmt: skip
        press(browser, "s")  # source ← the selected words: one keystroke
        place = browser.find_element(By.ID, "c-place")
        place.click()
        place.send_keys("Basra")
        WebDriverWait(browser, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#c-place-results button"))
        place.send_keys(Keys.ENTER)  # the first match
        fatalities = browser.find_element(By.ID, "c-fatalities-min")
        fatalities.click()
        fatalities.send_keys("3" + Keys.ENTER)  # Enter saves
        saved(browser, third)
        elapsed = time.perf_counter() - start
        timings["correct"] = {"keystrokes": 1 + 1 + len("Basra") + 1 + 1 + 1, "clicks": 2,
                              "round_trips": requests(browser) - before, "seconds": round(elapsed, 2)}  # fmt: skip
        assert elapsed < CORRECTION_BUDGET_S
        assert timings["confirm"]["round_trips"] <= 2 and timings["reject"]["round_trips"] <= 2
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "review_timing.json").write_text(json.dumps(timings, indent=1) + "\n")
        browser.save_screenshot(str(ARTIFACTS / "review.png"))

        corrected = get(f"{site}/api/events/{third}")
        assert corrected["review"]["status"] == "corrected" and corrected["review"]["reviewer"] == "amal"
        assert corrected["fatalities"] == {"min": 3, "max": 3}
        assert corrected["location"]["name_en"] == "Basrah" and corrected["country_iso3"] == "IRQ"
        assert corrected["source"]["text"] == words.strip() and words.strip()
        assert set(corrected["review"]["changes"]) == {"source", "location", "fatalities"}
        assert corrected["machine"]["fatalities"] != {"min": 3, "max": 3}  # the machine coding is kept beside it
        stats = get(site + "/api/stats")["review"]
        assert stats["by_status"] == {"confirmed": 1, "corrected": 1, "rejected": 1}

    with open_store(review_db) as store:
        statuses = {e: store.event(e)["review"] for e in (first, second, third)}  # type: ignore[index]
        assert [statuses[e]["status"] for e in (first, second, third)] == ["confirmed", "rejected", "corrected"]
        assert statuses[second]["reason"] == "wrong-type"
        log = store.audit_log()
        assert [(x["actor"], x["action"], x["event_id"], x["detail"]["verdict"]) for x in log] == [
            ("amal", "review", first, "confirmed"), ("amal", "review", second, "rejected"),
            ("amal", "review", third, "corrected")]  # fmt: skip
        assert log[2]["detail"]["changes"]["fatalities"]["new"] == {"min": 3, "max": 3}

    out = tmp_path / "reviewed.csv"
    assert cli.main(["export", "--db", review_db, "--format", "acled-csv", "--review", "reviewed", "--out",
                     str(out)]) == 0  # fmt: skip
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sorted((r["marsad_event_key"], r["marsad_review_status"], r["marsad_reviewer"]) for r in rows) == sorted(
        (statuses_key, status, "amal") for statuses_key, status in ((key_of(review_db, first), "confirmed"),
                                                                     (key_of(review_db, third), "corrected")))  # fmt: skip
    row = next(r for r in rows if r["marsad_review_status"] == "corrected")
    assert (row["fatalities"], row["location"], row["iso"]) == ("3", "Basrah", "368")


def key_of(db: str, event_id: int) -> str:
    with open_store(db) as store:
        event = store.event(event_id)
        assert event is not None
        return str(event["event_key"])


def test_a_review_of_an_event_changed_since_it_was_loaded_is_refused_and_shown_again(
    review_db: str, browser: WebDriver
) -> None:
    with serve(review_db, SETTINGS) as site:
        sign_in(browser, site, AMAL)
        event_id = get(site + "/api/review/next")["event_id"]
        browser.get(f"{site}/#event/{event_id}")
        wait_ready(browser, "#event")
        loaded = browser.find_element(By.ID, "review").get_attribute("data-version")
        status, body = post(f"{site}/api/events/{event_id}/review", {"version": loaded, "verdict": "rejected",
                                                                     "reason": "duplicate"}, OMAR)  # fmt: skip
        assert status == 201 and body["review"]["reviewer"] == "omar"
        press(browser, "c")  # amal confirms the version she loaded: refused
        WebDriverWait(browser, 10).until(
            lambda d: d.execute_script("return document.body.dataset.review") == "conflict"
        )
        assert browser.find_element(By.ID, "review").get_attribute("data-status") == "rejected"
        assert browser.find_element(By.ID, "review").get_attribute("data-version") == body["version"]
        press(browser, "c")  # now against the current version
        saved(browser, event_id)
    with open_store(review_db) as store:
        event = store.event(event_id)
        assert event is not None
        assert [(r["reviewer"], r["verdict"]) for r in event["reviews"]] == [
            ("omar", "rejected"),
            ("amal", "confirmed"),
        ]
