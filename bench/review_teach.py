"""What reviews change in the detector: a simulated reviewer on the bundled samples, then a retrain.

The 29 sample articles (src/marsad/samples) are ingested into a fresh store. A simulated reviewer
then reviews the events using the hand-written expectations of tests/golden/expectations.json
(written from reading the articles, never from the coder's output): an event whose trigger lies in
a trap sentence of its type ("not_events": denied, called-for, background...) is rejected as not
reported news; an event that matches an expected event is confirmed; the rest stay unreviewed.
`marsad train --with-reviews` is then run on that store (gold: ../shared/eval/gsr_dev, the team's
annotations) with cross-validation, and the gold CV figures without and with the reviews are
written to bench/results/review_teach.json. The model goes to a temporary file: the shipped one
is not touched.

These are development figures: the reviews are simulated, and the samples were read while the
lexicons were written.

    python bench/review_teach.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from marsad import cli
from marsad.learn.build import default_annotations, train
from marsad.store import EventFilter, open_store
from marsad.store.reviews import ReviewIn
from tests.golden.expectations import coded_inside, load_expectations, matches

RESULTS = ROOT / "bench" / "results" / "review_teach.json"
GOLD = ROOT.parent / "shared" / "eval" / "gsr_dev"
SAMPLES = ROOT / "src" / "marsad" / "samples"


def simulated_reviews(db: str) -> dict[str, int]:
    """Review every event of the samples store from the expectations; counts per verdict."""
    expectations = load_expectations()
    counts = {"confirmed": 0, "rejected": 0, "unreviewed": 0}
    with open_store(db) as store:
        for event in list(store.iter_events(EventFilter())):
            first = event["mentions"][0]
            record, article_id = first["record"], first["article_id"]
            expected = expectations.get(article_id, {})
            text = store.article(article_id)["text"]  # type: ignore[index]
            trapped = any(coded_inside(t, text, [record]) for t in expected.get("not_events", []))
            if trapped:
                review = ReviewIn("simulated", "rejected", reason="not-reported")
            elif any(matches(e, record) for e in expected.get("events", [])):
                review = ReviewIn("simulated", "confirmed")
            else:
                counts["unreviewed"] += 1
                continue
            loaded = store.event(event["event_id"])
            assert loaded is not None
            store.review(event["event_id"], loaded["version"], review)
            counts[review.verdict] += 1
    return counts


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="marsad-teach-") as tmp:
        db = str(Path(tmp) / "samples.db")
        assert cli.main(["ingest", str(SAMPLES), "--db", db, "--no-progress"]) == 0
        counts = simulated_reviews(db)
        started = time.monotonic()
        card = train(GOLD, default_annotations(), Path(tmp) / "detector.npz", reviews=db,
                     progress=lambda m: print(m, file=sys.stderr, flush=True))  # fmt: skip
    reviews: dict[str, Any] = {k: v for k, v in card["reviews"].items() if k not in ("text_keys", "cv_before")}
    result = {
        "simulated_reviews": counts, "reviews": reviews, "train_seconds": round(time.monotonic() - started, 1),
        "note": "development figures: simulated reviews from tests/golden/expectations.json on the bundled samples",
        "cv_before": card["reviews"].get("cv_before", {}).get("presets"), "cv_after": card["cv"]["presets"],
    }  # fmt: skip
    print(json.dumps(result, ensure_ascii=False, indent=1))
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
