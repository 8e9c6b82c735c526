"""The scene choice on real news where the rules' cues tie: the rules, the learned model, "cautious".

The learned scene model (docs/places.md) acts only where the rules' cues cannot tell a sentence's
places apart and the rules fall back on the place nearest the trigger. This benchmark measures
exactly those decisions on real text. A fixed random sample of SaudiNewsNet articles (CC BY-NC-SA,
read from ../shared at run time) is coded with the rules; of the factual events whose place was
chosen among two or more tied candidates, a seeded sample was given to an annotator who saw the
sentence, the article's opening, the trigger, the type and the sentence's candidate places in
text order — not which one either coder chose — and wrote down whether it is a reported event of
that type and which candidate (if any) is where it happened. `bench/data/scenes_news_labels.tsv`
keeps only ids, character offsets and labels (no text). Never used for training or tuning.

    python bench/scenes_news.py                 # score: bench/results/scenes_news.json
    python bench/scenes_news.py --worksheet F   # write the labelling worksheet (with text) to F, outside the repo

Two samples: "dev" (seed 2032) was read while trying a policy for bare ties (`--scenes cautious`),
"test" (seed 2033, none of dev's events) was drawn and labelled by another annotator afterwards.

Scoring, over the labelled events the annotator called reported events of the coded type: the
coder's factual event of that type at that trigger, right when one of its records' places overlaps
the annotator's scene or is the same gazetteer place as it (no scene labelled: right when the coder
gives no place of the sentence), and
how often it gives a place of the sentence that is not the scene.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from snn import labels_tsv, records, write_result

from marsad.extract.places import find_places
from marsad.extract.scene import candidates, setting, undecided
from marsad.geo.gazetteer import load_gazetteer
from marsad.model import Event
from marsad.pipeline import code_text
from marsad.text.normalize import normalize
from marsad.text.segment import segment

DATA = Path(__file__).resolve().parent / "data" / "scenes_news_labels.tsv"
RESULTS = Path(__file__).resolve().parent / "results" / "scenes_news.json"
ARTICLE_SEED, ARTICLES = 2031, 6000
EVENT_SEEDS = {"dev": 2032, "test": 2033}  # the "test" sample was drawn after the "dev" one was read
EVENTS = 80
FIELDS = ("sample", "article_id", "trigger_start", "event_type", "reported", "scene_start", "scene_end", "note")


def sample_articles() -> list[tuple[str, dict[str, Any]]]:
    return random.Random(ARTICLE_SEED).sample(list(records()), ARTICLES)


def tied_candidates(text: str, event: Event) -> list[tuple[int, int, str]] | None:
    """The sentence's candidate places (original start, end, text) when the rules' cues tie on two
    or more of them for this event; None otherwise."""
    seg = segment(normalize(text))
    trigger = seg.token_at(event.evidence.trigger_start)
    if trigger is None:
        return None
    here = candidates(seg, setting(seg, None, load_gazetteer()), seg.sentence_of(trigger), trigger)
    if len(here) < 2 or len(undecided(seg, here, trigger)) < 2:
        return None
    out = []
    for p in sorted(here, key=lambda p: p.first_token):
        lo, hi = seg.norm.orig_span(seg.starts[p.first_token], seg.ends[p.last_token - 1])
        out.append((lo, hi, text[lo:hi]))
    return out


def worksheet(path: Path, sample: str) -> int:
    """The events to label: a seeded sample of the tied ones, none already in the labels file."""
    done = {(r["article_id"], int(r["trigger_start"])) for r in labels()} if DATA.exists() else set()
    pool = []
    for n, (article_id, record) in enumerate(sample_articles(), 1):
        text = record["content"]
        for e in code_text(text, article_id=article_id, scenes="rules"):  # the sample is of the rules' ties
            if e.factual and e.location is not None and e.location.chosen_by == "nearest":
                tied = tied_candidates(text, e)
                if tied and (article_id, e.evidence.trigger_start) not in done:
                    pool.append((article_id, e, tied, text))
        if n % 1000 == 0:
            print(f"coded {n} articles, {len(pool)} tied events", file=sys.stderr)
    chosen = sorted(random.Random(EVENT_SEEDS[sample]).sample(pool, min(EVENTS, len(pool))),
                    key=lambda x: (x[0], x[1].evidence.trigger_start))  # fmt: skip
    with path.open("w", encoding="utf-8") as handle:
        for article_id, e, tied, text in chosen:
            row = {"article_id": article_id, "trigger_start": e.evidence.trigger_start, "event_type": e.event_type,
                   "trigger": e.evidence.trigger, "sentence": e.evidence.sentence, "opening": text[:300],
                   "candidates": [{"n": i + 1, "text": t, "start": lo, "end": hi} for i, (lo, hi, t) in enumerate(tied)]}  # fmt: skip
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(chosen)} events of {len(pool)} tied ones to {path}")
    return 0


def labels() -> list[dict[str, str]]:
    return labels_tsv(DATA)


def _place_at(text: str, span: tuple[int, int]) -> tuple[object, str] | None:
    """(geonameid, English name) of the gazetteer's reading of the mention at `span`."""
    seg = segment(normalize(text))
    for p in find_places(seg, load_gazetteer()):
        lo, hi = seg.norm.orig_span(seg.starts[p.first_token], seg.ends[p.last_token - 1])
        if lo < span[1] and span[0] < hi:
            return p.place.geonameid, p.place.name_en
    return None


def _right(found: list[Event], row: dict[str, str], text: str) -> bool:
    """One of the records' places is the annotator's scene: the same mention, or another mention
    of the same place ("بمكة المكرمة" for the candidate "مكة", "العاصمة الإيرانية" for "طهران")."""
    gold = (int(row["scene_start"]), int(row["scene_end"])) if row["scene_start"] else None
    places = [e.location for e in found if e.location is not None and e.location.basis == "sentence"]
    if gold is None:
        return not places
    if any(p.start < gold[1] and gold[0] < p.end for p in places):
        return True
    meant = _place_at(text, gold)
    return meant is not None and any((p.geonameid, p.name_en) == meant for p in places)


VARIANTS = ("rules", "cautious", "learned")  # the `--scenes` settings scored


def score() -> dict[str, Any]:
    rows = labels()
    wanted = {r["article_id"] for r in rows}
    articles = {a: r["content"] for a, r in sample_articles() if a in wanted}
    result: dict[str, Any] = {
        "what": "scene choice on SaudiNewsNet events whose rules' cues tie (bench/scenes_news.py)"
    }
    for sample in EVENT_SEEDS:
        tally: Counter[str] = Counter()
        for row in (r for r in rows if r["sample"] == sample):
            tally["labelled"] += 1
            if row["reported"] != "1":
                tally["not a reported event of the type"] += 1
                continue
            tally["judged"] += 1
            tally["no candidate is the scene"] += not row["scene_start"]
            text, at, kind = articles[row["article_id"]], int(row["trigger_start"]), row["event_type"]
            for name in VARIANTS:
                coded = code_text(text, article_id=row["article_id"], scenes=name)
                found = [e for e in coded if e.factual and e.evidence.trigger_start == at and e.event_type == kind]
                right = bool(found) and _right(found, row, text)
                tally[f"{name}: right"] += right
                tally[f"{name}: not coded"] += not found
                tally[f"{name}: a wrong place of the sentence"] += not right and any(
                    e.location is not None and e.location.basis == "sentence" for e in found
                )
        n = max(tally["judged"], 1)
        result[sample] = {"counts": dict(tally), "judged": tally["judged"],
                          **{name: round(tally[f"{name}: right"] / n, 3) for name in VARIANTS}}  # fmt: skip
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worksheet", type=Path, help="write the labelling worksheet here (keep it out of the repo)")
    parser.add_argument("--sample", choices=tuple(EVENT_SEEDS), default="test", help="which sample the worksheet draws")
    args = parser.parse_args()
    if args.worksheet:
        return worksheet(args.worksheet, args.sample)
    return write_result(score(), RESULTS)


if __name__ == "__main__":
    sys.exit(main())
