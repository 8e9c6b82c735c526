"""Article relevance on real news: how many coded events come from non-political articles.

300 random SaudiNewsNet articles (bench/snn.py's fixed sample), labelled political or not by the
team (bench/data/relevance_labels_*.tsv: ids and labels only; the text is read from ../shared at
run time and never stored). Never used for training. Prints and saves bench/results/relevance.json:
factual events per article class, the share of events coded in non-political articles, and the
events kept in political articles (compare `--no-gate`).

    python bench/relevance.py [--no-gate] [--list]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from snn import relevance_sample

from marsad.pipeline import code_text

DATA = Path(__file__).resolve().parent / "data"
RESULTS = Path(__file__).resolve().parent / "results" / "relevance.json"


def labels() -> dict[str, tuple[int, str]]:
    out: dict[str, tuple[int, str]] = {}
    for path in sorted(DATA.glob("relevance_labels_*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                out[row["id"]] = (int(row["political"]), row["category"])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-gate", action="store_true", help="code without the article relevance gate")
    parser.add_argument("--list", action="store_true", help="print the events of non-political articles")
    args = parser.parse_args()
    gold = labels()
    events = Counter()
    articles = Counter()
    by_type: Counter[str] = Counter()
    for article_id, record in relevance_sample():
        if article_id not in gold:
            continue
        political, category = gold[article_id]
        text = record["content"]
        coded = [e for e in code_text(text, article_id=article_id, relevance_gate=not args.no_gate) if e.factual]
        kind = "political" if political else "other"
        articles[kind] += 1
        events[kind] += len(coded)
        articles[f"{kind}_with_events"] += bool(coded)
        if not political:
            by_type.update(f"{category}:{e.event_type}" for e in coded)
            if args.list:
                for e in coded:
                    print(article_id, category, e.event_type, round(e.confidence, 2), e.evidence.trigger, sep="\t")
    total = events["political"] + events["other"]
    result = {
        "gate": not args.no_gate,
        "articles": dict(articles),
        "events": dict(events),
        "share_of_events_in_non_political": round(events["other"] / total, 4) if total else 0.0,
        "non_political_events_by_category_type": dict(by_type.most_common()),
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if not args.list:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        name = RESULTS if not args.no_gate else RESULTS.with_name("relevance_no_gate.json")
        name.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
