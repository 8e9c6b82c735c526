"""Date resolution accuracy on bench/data/dates_gold.tsv, and its cost on real articles.

A positive row is right when a mention overlapping the annotated expression has the expected date
(within one day for Hijri rows: tabular arithmetic vs the Umm al-Qura calendar) and precision; a
negative row is right when no mention overlaps the expression. `--dateparser` also scores
dateparser 1.5.0 on the annotated expressions alone (its best case: the span is given to it).
Cost: find_dates over every sentence of SaudiNewsNet articles (read in place, never copied),
anchored on 2015-08-01, best of three runs.
Writes bench/results/dates.json.

    python bench/dates.py [--dateparser] [--articles N]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from marsad.extract.dates import find_dates, parse_record_date
from marsad.text.normalize import normalize
from marsad.text.segment import sentence_spans

HERE = Path(__file__).resolve().parent
GOLD = HERE / "data" / "dates_gold.tsv"
RESULTS = HERE / "results" / "dates.json"
CORPUS = HERE.parents[0] / ".." / "shared" / "corpus" / "saudinewsnet"


def gold_rows() -> list[dict[str, str]]:
    with GOLD.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def score_row(row: dict[str, str]) -> tuple[bool, str]:
    sentence, expression = row["sentence"], row["expression"]
    anchor = parse_record_date(row["anchor"])
    norm = normalize(sentence)
    e_start = sentence.index(expression)
    e_end = e_start + len(expression)
    hits = []
    for m in find_dates(norm.text, 0, len(norm.text), anchor):
        o_start, o_end = norm.orig_span(m.start, m.end)
        if o_start < e_end and e_start < o_end:
            hits.append((m.date, m.precision, sentence[o_start:o_end]))
    if not row["expected"]:
        return not hits, f"found {hits}" if hits else ""
    expected = dt.date.fromisoformat(row["expected"])
    slack = 1 if row["note"].startswith("hijri") else 0
    for date, precision, _ in hits:
        if abs((date - expected).days) <= slack and precision == int(row["precision"]):
            return True, ""
    return False, f"expected {expected} p{row['precision']}, found {hits}"


def score_dateparser(rows: list[dict[str, str]]) -> dict[str, Any]:
    """dateparser on the annotated expression itself, anchored like our rules."""
    import dateparser  # imported here: only this comparison needs it

    right = 0
    positives = [r for r in rows if r["expected"]]
    t0 = time.perf_counter()
    for row in positives:
        anchor = parse_record_date(row["anchor"]) or dt.date(2022, 3, 15)
        base = dt.datetime(anchor.year, anchor.month, anchor.day, 12)
        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        parsed = dateparser.parse(row["expression"], languages=["ar"], settings=settings)  # type: ignore[arg-type]
        slack = 1 if row["note"].startswith("hijri") else 0
        expected = dt.date.fromisoformat(row["expected"])
        right += parsed is not None and abs((parsed.date() - expected).days) <= slack
    per_call_ms = (time.perf_counter() - t0) * 1000 / len(positives)
    return {"positives": len(positives), "right_date": right, "ms_per_expression": round(per_call_ms, 2)}


def corpus_texts(limit: int) -> list[str]:
    import zipfile

    texts: list[str] = []
    for archive in sorted(CORPUS.glob("*.zip")):
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                for record in json.loads(zf.read(name).decode("utf-8")) if name.endswith(".json") else []:
                    if (record.get("content") or "").strip():
                        texts.append(record["content"])
                    if len(texts) >= limit:
                        return texts
    return texts


def cost(limit: int) -> dict[str, Any]:
    texts = corpus_texts(limit)
    if not texts:
        return {"articles": 0}
    prepared = [(n.text, sentence_spans(n.text)) for n in map(normalize, texts)]
    anchor = dt.date(2015, 8, 1)
    find_dates("امس", 0, 4, anchor)  # load the lexicon outside the timing
    timings = []
    for _ in range(3):  # best of three; each round rescans the texts (the per-text cache holds 8)
        t0 = time.perf_counter()
        found = sum(len(find_dates(text, s, e, anchor)) for text, spans in prepared for s, e in spans)
        timings.append(time.perf_counter() - t0)
    elapsed = min(timings)
    words = sum(len(t.split()) for t in texts)
    return {
        "articles": len(texts),
        "words_per_article": round(words / len(texts)),
        "mentions": found,
        "ms_per_article": round(elapsed * 1000 / len(texts), 4),
        "ms_per_500_words": round(elapsed * 1000 * 500 / words, 4),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dateparser", action="store_true", help="also score dateparser on the expressions")
    parser.add_argument("--articles", type=int, default=500, help="SaudiNewsNet articles for the cost")
    parser.add_argument("--show", action="store_true", help="print every wrong row")
    args = parser.parse_args()
    rows = gold_rows()
    verdicts = [(row, *score_row(row)) for row in rows]
    wrong = [(r, why) for r, ok, why in verdicts if not ok]
    positives = [v for v in verdicts if v[0]["expected"]]
    result: dict[str, Any] = {
        "rows": len(rows),
        "right": len(rows) - len(wrong),
        "accuracy": round((len(rows) - len(wrong)) / len(rows), 4),
        "positives_right": sum(ok for _, ok, _ in positives),
        "positives": len(positives),
        "negatives_right": sum(ok for r, ok, _ in verdicts if not r["expected"]),
        "negatives": len(rows) - len(positives),
        "wrong": [f"{r['expression']} | {r['note']} | {why}" for r, why in wrong],
        "cost": cost(args.articles),
    }
    if args.dateparser:
        result["dateparser"] = score_dateparser(rows)
    if args.show:
        for line in result["wrong"]:
            print("WRONG", line)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "wrong"}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
