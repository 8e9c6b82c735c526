"""`marsad eval` says when its figures are in-sample (the shipped model saw those sentences)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from marsad.cli import main

GOLD = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval" / "gsr_dev"
HEADER = ["id", "event_type", "label", "accept", "reject", "total", "text"]
# Our own sentences (never in any training data): a report and a trial.
OURS = [
    [
        "T1-0",
        "ASSAULT",
        "yes",
        "3",
        "0",
        "3",
        "قتل مسلحون مجهولون أربعة جنود في هجوم على نقطة تفتيش قرب كركوك فجر اليوم.",
    ],
    [
        "T2-0",
        "ASSAULT",
        "easy no",
        "0",
        "3",
        "3",
        "أرجأت المحكمة النظر في قضية المتهمين بتفجير محطة الحافلات إلى الشهر المقبل.",
    ],
]


def _write(directory: Path, rows: list[list[str]]) -> None:
    directory.mkdir()
    with (directory / "assault_gsr.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


def test_eval_on_unseen_sentences_says_held_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "gold", OURS)
    assert main(["eval", str(tmp_path / "gold")]) == 0
    out = capsys.readouterr().out
    assert "held-out" in out and "IN-SAMPLE" not in out


@pytest.mark.skipif(not GOLD.is_dir(), reason=f"no gold at {GOLD}")
def test_eval_on_training_sentences_says_in_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (GOLD / "assault_gsr.csv").open(encoding="utf-8", newline="") as handle:
        rows = [[r[h] for h in HEADER] for r in csv.DictReader(handle)][:5]
    _write(tmp_path / "gold", rows + OURS)
    assert main(["eval", str(tmp_path / "gold")]) == 0
    out = capsys.readouterr().out
    assert "IN-SAMPLE: the shipped model was trained on 5 of these 7 sentences" in out


def test_a_bad_min_confidence_is_refused_before_any_article(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["code", "--min-confidence", "strict", "/dev/null"]) == 2
    assert "give a probability 0-1 or a preset" in capsys.readouterr().err


def test_ingest_and_events_take_min_confidence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from marsad.cli import samples_dir

    counts = {}
    for setting in ("0", "precision"):
        db = tmp_path / f"{setting}.db"
        assert main(["ingest", str(samples_dir()), "--db", str(db), "--json", "--min-confidence", setting]) == 0
        counts[setting] = json.loads(capsys.readouterr().out)["mentions"]
        assert main(["events", "--db", str(db), "--json"]) == 0
        every = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
        assert main(["events", "--db", str(db), "--json", "--min-confidence", "0.8"]) == 0
        sure = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
        assert 0 < len(sure) < len(every)
        for event in every:
            records = [m["record"] for m in event["mentions"]]
            high = any(not r["negated"] and not r["hypothetical"] and r["confidence"] >= 0.8 for r in records)
            assert high == (event["event_id"] in {e["event_id"] for e in sure})
    assert counts["precision"] < counts["0"]
