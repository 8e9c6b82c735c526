"""`marsad recode` after a model or lexicon change keeps every review on its evidence span."""

from pathlib import Path

import pytest

from marsad import cli
from marsad.store import EventFilter, open_store
from marsad.store.reviews import ReviewIn
from tests.e2e.test_dashboard import SAMPLES


def test_reviews_survive_marsad_recode_and_the_export_still_carries_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "recode.db")
    assert cli.main(["ingest", str(SAMPLES), "--db", db, "--no-progress"]) == 0
    with open_store(db) as store:
        picked = [e["event_id"] for e in store.iter_events(EventFilter(limit=3))]
        spans = {}
        for n, event_id in enumerate(picked):
            event = store.event(event_id)
            assert event is not None
            verdict = ReviewIn("amal", "confirmed") if n else ReviewIn("amal", "rejected", reason="duplicate")
            store.review(event_id, event["version"], verdict)
            mention = event["mentions"][0]
            spans[(mention["article_id"], mention["record"]["evidence"]["trigger_start"])] = verdict.verdict
    capsys.readouterr()
    monkeypatch.setattr("marsad.store.commands.lexicon_version", lambda: "changed")
    assert cli.main(["recode", "--db", db, "--no-progress"]) == 0
    assert "reviews: 3 events keep theirs, 0 of them coded differently since" in capsys.readouterr().err
    with open_store(db) as store:
        assert store.db.read("SELECT DISTINCT lexicon_version FROM articles") == [("changed",)]
        assert store.detached_reviews() == []
        found = {}
        for event in store.iter_events(EventFilter(review="any")):
            mention = store.event(event["event_id"])["mentions"][0]  # type: ignore[index]
            found[(mention["article_id"], mention["record"]["evidence"]["trigger_start"])] = event["review"]["status"]
        assert found == spans
