"""`marsad ingest / recode / events` end to end on SQLite, including a kill -9 in mid-ingest."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marsad import cli

DATA = Path(__file__).parents[1] / "unit" / "store" / "data"
ROOT = Path(__file__).parents[2]
CSV_OPTIONS = ["--csv-text-col", "body", "--csv-id-col", "story", "--csv-date-col", "published"]


def cli_main(argv):
    return cli.main(argv)


def run(argv, capsys):
    code = cli_main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_directory_reports_and_reruns_idempotently(tmp_path, capsys):
    db = str(tmp_path / "m.db")
    code, out, err = run(["ingest", str(DATA), "--db", db, "--source", "fixtures", *CSV_OPTIONS], capsys)
    assert code == 1, err
    assert out.startswith("marsad: read 10, stored 8 (")
    assert "skipped 1 (language:en 1), failed 1" in out
    assert "failed feed.rss#entry2 (id gulf-2): entry has no text" in out
    code, out, _ = run(["ingest", str(DATA), "--db", db, *CSV_OPTIONS, "--json"], capsys)
    report = json.loads(out)
    assert (code, report["stored"], report["skipped"]) == (1, 0, {"duplicate": 8, "language:en": 1})


def test_ingest_all_good_exits_zero_and_events_lists_them(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MARSAD_DB", str(tmp_path / "env.db"))
    code, out, err = run(["ingest", str(DATA / "articles.jsonl"), str(DATA / "amman_fuel_protest.txt")], capsys)
    assert code == 0, err
    assert (tmp_path / "env.db").exists()
    code, out, _ = run(["events", "--json"], capsys)
    events = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {m["article_id"] for e in events for m in e["mentions"]} >= {"cairo-arrests", "basra-strike"}
    code, out, _ = run(["events", "--type", "protest", "--mode", "strike"], capsys)
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["id", "date", "type", "mode"]
    assert len(lines) == 2 and "PROTEST   strike" in lines[1]


def test_csv_with_wrong_columns_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(["ingest", str(DATA / "articles.csv"), "--db", str(tmp_path / "m.db")], capsys)
    assert code == 2
    assert "[E201]" in err and "no column 'text'" in err and "--csv-text-col" in err


def test_missing_path_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(["ingest", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "m.db")], capsys)
    assert code == 2 and "no such file" in err


def test_unknown_database_url_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(["events", "--db", "mysql://x/y"], capsys)
    assert code == 2 and "[E401]" in err


@pytest.mark.parametrize("option", ["--type", "--mode", "--country", "--place", "--actor", "--text"])
def test_sql_injection_in_events_filters_finds_nothing_and_harms_nothing(tmp_path, capsys, option):
    db = str(tmp_path / "m.db")
    run(["ingest", str(DATA / "articles.jsonl"), "--db", db], capsys)
    for attack in ("x' OR '1'='1", "'; DROP TABLE events; --", "%", "1) OR (1=1"):
        code, out, _ = run(["events", "--db", db, option, attack, "--json"], capsys)
        assert (code, out) == (0, "")
    code, out, _ = run(["events", "--db", db, "--json"], capsys)
    assert len(out.splitlines()) >= 2


def test_bad_since_date_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(["events", "--db", str(tmp_path / "m.db"), "--since", "2024' OR '1'='1"], capsys)
    assert code == 2 and "not an ISO date" in err


def test_recode_after_a_lexicon_change_keeps_articles(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "m.db")
    run(["ingest", str(DATA / "articles.jsonl"), "--db", db], capsys)
    code, out, _ = run(["recode", "--db", db], capsys)
    assert code == 0 and out.startswith("marsad: read 0, recoded 0")
    monkeypatch.setattr("marsad.store.commands.lexicon_version", lambda: "changed")
    code, out, _ = run(["recode", "--db", db, "--json"], capsys)
    assert (code, json.loads(out)["stored"]) == (0, 2)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT DISTINCT lexicon_version FROM articles").fetchall() == [("changed",)]


def _corpus(path: Path, n: int) -> None:
    places = ["عمان", "القاهرة", "بغداد", "تونس", "الرباط"]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = (f"تظاهر {i + 10} شخصا أمام مبنى البلدية في {places[i % 5]} يوم {i % 28 + 1} مارس احتجاجا على "
                    f"رفع أسعار الخبز، واعتقلت الشرطة {i % 7 + 2} منهم. وقال شهود إن المحتجين هتفوا ضد الحكومة.")  # fmt: skip
            out.write(json.dumps({"id": f"n{i:04d}", "text": text, "date": "2024-03-30",
                                  "source": f"outlet{i % 4}"}, ensure_ascii=False) + "\n")  # fmt: skip


def test_kill_9_during_ingest_then_rerun_stores_each_article_exactly_once(tmp_path, capsys):
    n, db, corpus = 400, tmp_path / "crash.db", tmp_path / "corpus.jsonl"
    _corpus(corpus, n)
    script = "import sys; from tests.e2e.test_store_cli import cli_main; sys.exit(cli_main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}"}
    proc = subprocess.Popen([sys.executable, "-c", script, "ingest", str(corpus), "--db", str(db)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    stored, deadline = 0, time.monotonic() + 30
    while stored < 40 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
        if db.exists():
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                    stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < stored < n, "the ingest should be killed part-way"
    code, out, _ = run(["ingest", str(corpus), "--db", str(db), "--json"], capsys)
    report = json.loads(out)
    assert code == 0 and report["read"] == n and report["stored"] + report["skipped"]["duplicate"] == n
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone() == (n, n)
    assert conn.execute(
        "SELECT COUNT(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)"
    ).fetchone() == (0,)
    assert conn.execute(
        "SELECT COUNT(*) FROM articles WHERE id NOT IN (SELECT article_id FROM mentions)"
    ).fetchone() == (0,)
    orphan_events = (
        "SELECT COUNT(*) FROM events WHERE id NOT IN (SELECT event_id FROM mentions WHERE event_id IS NOT NULL)"
    )
    assert conn.execute(orphan_events).fetchone() == (0,)
    per_article = conn.execute("SELECT article_id, COUNT(*) FROM mentions GROUP BY article_id").fetchall()
    assert len({count for _, count in per_article}) == 1  # every article has all of its mentions
    unlinked = "SELECT COUNT(*) FROM mentions WHERE event_id IS NULL AND NOT negated AND NOT hypothetical"
    assert conn.execute(unlinked).fetchone() == (0,)


@pytest.mark.parametrize("fmt", ["acled-csv", "plover-json", "geojson", "parquet"])
def test_samples_ingest_then_export_every_format(tmp_path, capsys, fmt):
    db = str(tmp_path / "m.db")
    samples = ROOT / "src" / "marsad" / "samples"
    assert cli_main(["ingest", str(samples), "--db", db, "--source", "samples", "--no-progress"]) == 0
    out = tmp_path / f"events.{fmt}"
    assert cli_main(["export", "--format", fmt, "--type", "PROTEST", "--db", db, "--out", str(out)]) == 0
    assert out.stat().st_size > 0
    if fmt == "acled-csv":
        import csv

        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        assert rows and all(r["event_type"] in ("Protests", "Riots") for r in rows)
        assert any(r["latitude"] for r in rows)
    if fmt == "geojson":
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data["type"] == "FeatureCollection" and data["features"]


def test_export_unknown_format_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli_main(["export", "--format", "xlsx", "--db", str(tmp_path / "m.db"), "--out", str(tmp_path / "x")])
    assert exit_info.value.code == 2
