"""Who did what to whom on real news: coded events of SaudiNewsNet judged by hand.

The issue's real-news check, made repeatable. A fixed random sample of 3,000 SaudiNewsNet articles
(CC BY-NC-SA, read from ../shared at run time) is coded; 60 of its factual events (seeded) were
given to an annotator who saw the sentence, the trigger and the type — not the coder's actors or
place — and wrote down whether it is a reported event of that type and, if so, its source, target
and place as they are written in the article. `bench/data/arguments_news_labels.tsv` keeps only
ids, character offsets into the article's content and the labels (no text). Never used for
training or tuning.

    python bench/arguments_news.py                 # score the current coder: bench/results/arguments_news.json
    python bench/arguments_news.py --worksheet F   # write the labelling worksheet (with text) to F, outside the repo

Scoring, per labelled event the annotator called reported and rightly typed: the coder's factual
event of that type at that trigger (after any code change it may be gone: counted as "not coded"),
its source/target right when it overlaps the annotator's span or both are empty (lenient, like the
gold's span measure: "قوات" overlaps "قوات البيشمركة الكردية"), its place right — over the events
whose annotator named a place — when it overlaps the annotator's place span, has the same name, or
lies within 50 km of where the annotator's words resolve (the same country for a country). One
mention coded as several records (one per place or actor) is right when one of them is. "All
right" takes an event without a gold place as right only when the coder gives none either.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from idrisi import haversine
from snn import labels_tsv, records, write_result

from marsad.extract.places import find_places
from marsad.geo.gazetteer import load_gazetteer
from marsad.model import Event, Place
from marsad.pipeline import code_text
from marsad.text.morph import bare
from marsad.text.normalize import normalize
from marsad.text.segment import segment

DATA = Path(__file__).resolve().parent / "data" / "arguments_news_labels.tsv"
RESULTS = Path(__file__).resolve().parent / "results" / "arguments_news.json"
ARTICLE_SEED, ARTICLES = 2027, 3000
EVENT_SEED, EVENTS = 2028, 60
FIELDS = ("article_id", "trigger_start", "event_type", "reported", "type_right", "source_start", "source_end",
          "target_start", "target_end", "place_start", "place_end", "note")  # fmt: skip


def sample_articles() -> list[tuple[str, dict[str, Any]]]:
    """The fixed article sample (seeded; the same on every machine with the same corpus)."""
    return random.Random(ARTICLE_SEED).sample(list(records()), ARTICLES)


def coded(articles: list[tuple[str, dict[str, Any]]], scenes: str = "learned") -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = {}
    for n, (article_id, record) in enumerate(articles, 1):
        found = code_text(record["content"], article_id=article_id, scenes=scenes)
        out[article_id] = [e for e in found if e.factual]
        if n % 500 == 0:
            print(f"coded {n}/{len(articles)} articles", file=sys.stderr)
    return out


def worksheet(path: Path) -> int:
    """The events to label, with their sentence and the article's opening (for its dateline)."""
    articles = sample_articles()
    events = [(a, e) for a, found in coded(articles).items() for e in found]
    chosen = sorted(random.Random(EVENT_SEED).sample(events, min(EVENTS, len(events))),
                    key=lambda x: (x[0], x[1].evidence.trigger_start))  # fmt: skip
    content = dict(articles)
    with path.open("w", encoding="utf-8") as handle:
        for article_id, e in chosen:
            row = {"article_id": article_id, "trigger_start": e.evidence.trigger_start, "event_type": e.event_type,
                   "trigger": e.evidence.trigger, "sentence": e.evidence.sentence, "sentence_start": e.evidence.start,
                   "opening": content[article_id]["content"][:300]}  # fmt: skip
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(chosen)} events of {len(events)} to {path}")
    return 0


def labels() -> list[dict[str, str]]:
    return labels_tsv(DATA)


def _span(row: dict[str, str], part: str) -> tuple[int, int] | None:
    start, end = row[f"{part}_start"], row[f"{part}_end"]
    return (int(start), int(end)) if start and end else None


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[0] < b[1] and b[0] < a[1]


NEAR_KM = 50.0  # a place this near the annotator's is the same scene ("بصرى" for "ريف درعا")


def _km(a: Place, b: Place) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    return haversine(a.lat, a.lon, b.lat, b.lon)


def _same_place(e: Event, gold: tuple[int, int], text: str) -> bool:
    """The coder's place is the annotator's: their spans overlap, the names are the same, or the
    annotator's words resolve (gazetteer) to a place within NEAR_KM of it — for a country or region,
    to the same country."""
    where = e.location
    if where is None:
        return False
    if _overlaps((where.start, where.end), gold):
        return True
    words = text[gold[0] : gold[1]]
    written = bare(normalize(words).text.removeprefix("#"))
    if written in (bare(normalize(where.text).text), bare(normalize(where.name_ar).text)):
        return True
    found = find_places(segment(normalize(words)), load_gazetteer())
    if not found:
        return False
    meant = found[-1].place  # "مقر الوزارة في الرياض": the last name is the town
    if meant.feature in ("country", "region"):
        return meant.country_iso3 is not None and meant.country_iso3 == where.country_iso3
    return _km(meant, where) <= NEAR_KM


def score(scenes: str = "learned") -> dict[str, Any]:
    rows = labels()
    wanted = {r["article_id"] for r in rows}
    articles = [(a, r) for a, r in sample_articles() if a in wanted]
    found = coded(articles, scenes)
    content = {a: r["content"] for a, r in articles}
    tally: Counter[str] = Counter()
    for row in rows:
        tally["labelled"] += 1
        if row["reported"] != "1" or row["type_right"] != "1":
            tally["not a reported event of the type"] += 1
            continue
        tally["judged"] += 1
        at = int(row["trigger_start"])
        events = [e for e in found.get(row["article_id"], []) if e.evidence.trigger_start == at
                  and e.event_type == row["event_type"]]  # fmt: skip
        if not events:
            tally["not coded now"] += 1
            continue
        tally["coded"] += 1
        text = content[row["article_id"]]
        # One mention may give several records (one per place or actor): the best of them counts.
        src = any(_overlaps(None if e.source is None else (e.source.start, e.source.end), _span(row, "source"))
                  for e in events)  # fmt: skip
        tgt = any(_overlaps(None if e.target is None else (e.target.start, e.target.end), _span(row, "target"))
                  for e in events)  # fmt: skip
        gold_place = _span(row, "place")
        if gold_place is not None:
            place = any(_same_place(e, gold_place, text) for e in events)
            tally["gold place named"] += 1
            tally["place right"] += place
        else:
            # The annotator saw the sentence and the article's opening, not the paragraph: a place
            # the coder inherits from the paragraph can be neither confirmed nor refuted.
            bases = {e.location.basis if e.location else "none" for e in events}
            place = bases == {"none"}
            tally[f"no gold place, coder's: {'/'.join(sorted(bases))}"] += 1
        tally["source right"] += src
        tally["target right"] += tgt
        tally["source, target and place right"] += src and tgt and place
        tally["gold source named"] += _span(row, "source") is not None
        tally["gold source named, coder empty"] += _span(row, "source") is not None and all(
            e.source is None for e in events
        )
    n = tally["coded"] or 1
    result = {
        "counts": dict(tally),
        "source_right": round(tally["source right"] / n, 3),
        "target_right": round(tally["target right"] / n, 3),
        "place_right_where_named": round(tally["place right"] / max(tally["gold place named"], 1), 3),
        "all_right": round(tally["source, target and place right"] / n, 3),
        "precision_reported_and_typed": round(tally["judged"] / max(tally["labelled"], 1), 3),
    }
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worksheet", type=Path, help="write the labelling worksheet here (keep it out of the repo)")
    parser.add_argument("--scenes", choices=("learned", "rules", "cautious"), default="learned",
                        help="the scene setting to score (not the default: prints, writes nothing)")  # fmt: skip
    args = parser.parse_args()
    if args.worksheet:
        return worksheet(args.worksheet)
    if args.scenes != "learned":
        print(json.dumps(score(args.scenes), ensure_ascii=False, indent=1))
        return 0
    return write_result(score(), RESULTS)


if __name__ == "__main__":
    sys.exit(main())
