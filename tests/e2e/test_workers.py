"""`--workers N`: the same output, error report and exit code with one worker and with two, and a
resume after a kill -9 of a run with workers gives the uninterrupted output."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marsad import cli
from marsad.errors import UsageError
from marsad.parallel import default_workers, ordered_map, worker_count
from tests.e2e.test_crash import snapshot, synthetic_articles, write_jsonl

DATA = Path(__file__).parents[1] / "unit" / "store" / "data"
CSV_OPTIONS = ["--csv-text-col", "body", "--csv-id-col", "story", "--csv-date-col", "published"]


def corpus(path: Path, n: int) -> Path:
    """`n` synthetic articles with, among them, a broken line, an article without text, one with an
    unreadable date, and a repeated id: every kind of record the commands report."""
    articles = synthetic_articles(n, prefix="w")
    lines = [json.dumps(a, ensure_ascii=False) for a in articles]
    lines.insert(n // 3, "{not json")
    lines.insert(n // 2, json.dumps({"id": "no-text", "text": ""}))
    lines.insert(2 * n // 3, json.dumps({"id": "bad-date", "text": articles[0]["text"] + " ب", "date": "الأحد؟"},
                                        ensure_ascii=False))  # fmt: skip
    lines.append(json.dumps(articles[5], ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["code", "places"])
def test_code_and_places_write_the_same_lines_and_errors_with_two_workers(tmp_path, capsys, command):
    source = corpus(tmp_path / "in.jsonl", 120)
    results = []
    for workers in ("1", "2"):
        out = tmp_path / f"{command}-{workers}.jsonl"
        code, _, err = run([command, str(source), "--out", str(out), "--workers", workers], capsys)
        results.append((code, out.read_bytes(), err))
    assert results[0] == results[1]
    code, lines, err = results[0]
    assert code == 1
    assert "in.jsonl:41: invalid JSON" in err
    assert len(lines.splitlines()) > 100


def test_errors_and_warnings_are_reported_once_each_in_input_order(tmp_path, capsys):
    source = corpus(tmp_path / "in.jsonl", 30)
    code, _, err = run(["code", str(source), "--out", str(tmp_path / "o.jsonl"), "--workers", "2"], capsys)
    assert code == 1
    assert err.replace(str(tmp_path) + "/", "").splitlines() == [
        "marsad: skipped in.jsonl:11: invalid JSON: Expecting property name enclosed in double quotes at column 2",
        "marsad: skipped in.jsonl (id no-text): empty text",
        "marsad: article bad-date: unreadable date 'الأحد؟', coded without it",
    ]


def test_ingest_and_recode_store_the_same_with_two_workers(tmp_path, capsys, monkeypatch):
    from marsad.store import commands

    stores, reports = [], []
    for workers in ("1", "2"):
        db = tmp_path / f"m{workers}.db"
        monkeypatch.setattr(commands, "lexicon_version", lambda: "v1")
        args = ["ingest", str(DATA), str(corpus(tmp_path / "in.jsonl", 60)), "--db", str(db), *CSV_OPTIONS]
        code, out, _ = run([*args, "--json", "--workers", workers], capsys)
        first = json.loads(out)
        monkeypatch.setattr(commands, "lexicon_version", lambda: "v2")
        rcode, rout, _ = run(["recode", "--db", str(db), "--json", "--workers", workers], capsys)
        second = json.loads(rout)
        for report in (first, second):
            del report["seconds"], report["rate"]
        reports.append((code, first, rcode, second))
        stores.append(snapshot(db))
    assert reports[0] == reports[1]
    assert stores[0] == stores[1]
    code, first, rcode, second = reports[0]
    assert (code, rcode) == (1, 0)
    assert first["skipped"] == {"language:en": 1, "duplicate": 1}
    assert {f["id"] for f in first["failed"]} >= {"gulf-2", "no-text"}
    assert second["read"] == second["stored"] == first["stored"]


RUNNER = "import sys\nfrom marsad import cli\nsys.exit(cli.main(sys.argv[1:]))\n"


def test_resume_after_kill_of_a_run_with_workers_gives_the_uninterrupted_output(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", synthetic_articles(2500, prefix="k"))
    reference, out = tmp_path / "reference.jsonl", tmp_path / "out.jsonl"
    assert cli.main(["code", str(source), "--out", str(reference), "--workers", "1"]) == 0
    proc = subprocess.Popen([sys.executable, "-c", RUNNER, "code", str(source), "--out", str(out), "--workers", "2"],
                            stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 60
    while (not out.exists() or out.stat().st_size < 50_000) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert 0 < out.stat().st_size < reference.stat().st_size
    assert cli.main(["code", str(source), "--out", str(out), "--resume", "--workers", "2"]) == 0
    assert out.read_bytes() == reference.read_bytes()


def test_ordered_map_keeps_order_and_raises_a_task_error_at_its_place():
    items = [str(n) for n in range(50)] + ["x"] + ["7"]
    got = []
    with pytest.raises(ValueError, match="invalid literal for int"):
        for item, value in ordered_map(int, items, workers=2, chunk=3):
            got.append((item, value))
    assert got == [(str(n), n) for n in range(50)]


def test_worker_count_defaults_to_the_usable_cores_and_refuses_zero():
    assert worker_count(None) == default_workers() >= 1
    assert worker_count(3) == 3
    with pytest.raises(UsageError, match="--workers must be 1 or more"):
        worker_count(0)
