"""What reviews change in the detector: a simulated reviewer on the bundled samples, then a retrain.

The 29 sample articles (src/marsad/samples) are ingested into a fresh store. A simulated reviewer
then reviews the events using the hand-written expectations of tests/golden/expectations.json
(written from reading the articles, never from the coder's output): an event whose trigger lies in
a trap sentence of its type ("not_events": denied, called-for, background...) is rejected as not
reported news; an event that matches an expected event is confirmed; the rest stay unreviewed.
The gold cross-validation of `marsad train` (nested, grouped by document; gold:
../shared/eval/gsr_dev, with the team's annotations) is then run without and with the reviews
(`learn/reviews.py`, as `marsad train --with-reviews` adds them), and both figures and their
difference go to bench/results/review_teach.json. `--folds` defaults to 3 (the card's figures are
5-fold) so that the two runs fit in minutes on a shared machine. No model is written.

These are development figures: the reviews are simulated, and the samples were read while the
lexicons were written.

    python bench/review_teach.py [--folds 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from marsad import cli
from marsad.learn.build import default_annotations, load_items
from marsad.learn.data_sources import examples
from marsad.learn.evaluation import cross_validate
from marsad.learn.reviews import review_effect, with_reviews
from marsad.lexicon.loader import default_lexicon
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=3)
    args = parser.parse_args(argv)
    say = partial(print, file=sys.stderr, flush=True)
    lex = default_lexicon()
    with tempfile.TemporaryDirectory(prefix="marsad-teach-") as tmp:
        db = str(Path(tmp) / "samples.db")
        assert cli.main(["ingest", str(SAMPLES), "--db", db, "--no-progress"]) == 0
        counts = simulated_reviews(db)
        started = time.monotonic()
        items = load_items(GOLD, default_annotations())
        batch = examples(items, lex)
        say(f"{len(items)} sentences, {len(batch)} examples; cross-validation without the reviews")
        before = cross_validate(items, batch, lex, k=args.folds, progress=say)
        items, batch, reviews = with_reviews(items, batch, db, lex)
        say(f"{reviews['sentences']} reviewed sentences, {reviews['examples']} examples; with the reviews")
        after = cross_validate(items, batch, lex, k=args.folds, progress=say)
    del reviews["text_keys"]
    result = {
        "simulated_reviews": counts, "reviews": reviews, "folds": args.folds,
        "seconds": round(time.monotonic() - started, 1), "effect": review_effect(before, after),
        "note": "development figures: simulated reviews from tests/golden/expectations.json on the bundled samples",
        "cv_before": before, "cv_after": after,
    }  # fmt: skip
    print(json.dumps(result, ensure_ascii=False, indent=1))
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
