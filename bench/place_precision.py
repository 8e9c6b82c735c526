"""Place mentions on real news that are not places: a hand-labelled sample of what the recogniser finds.

400 SaudiNewsNet articles (CC BY-NC-SA, read from ../shared at run time) were drawn at random (seed
2041, none of bench/speed.py's 3,000 articles, on which the session's guards were developed) and run
through `find_places` as it was at commit b3eae5b; 120 of its 2,350 mentions drawn at random (seed
2042) and all 73 that the next commits' guards removed were labelled by hand from their sentence:
`right` (a place, resolved to it), `wrong` (a place, resolved to another) or `no` (not a place: a
common word, a person, a newspaper, a virus). `bench/data/place_precision_labels.tsv` keeps only the
article id, the end offset of the mention (the start moves when clitics are left out of the text),
whether it is in the random 120, the label and a second annotator's label (`second`: another person
who saw the sentence and the resolved place, not the first labels nor which mentions the guards
removed). Never used for training.

Reported: over the random 120, the share that are places and the share resolved right, for the
old recogniser (all 120) and for today's (the labelled mentions it still finds); and the labelled
places and non-places today's recogniser no longer finds; and the two annotators' agreement. The
first labels (`label`, the figures) are the developer's of the guards, who saw which mentions they
removed.

    python bench/place_precision.py     # bench/results/place_precision.json
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from snn import labels_tsv, records, write_result

from marsad.extract.places import find_places
from marsad.geo.gazetteer import load_gazetteer
from marsad.text.normalize import normalize
from marsad.text.segment import segment

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "bench" / "data" / "place_precision_labels.tsv"
RESULT = ROOT / "bench" / "results" / "place_precision.json"
PLACE = ("right", "wrong")


def _rate(rows: list[dict[str, str]], test: Callable[[dict[str, str]], bool]) -> float | None:
    """The share of `rows` that pass `test` (None for no rows)."""
    return round(sum(map(test, rows)) / len(rows), 3) if rows else None


def measure(rows: list[dict[str, str]], found: dict[str, set[int]]) -> dict[str, Any]:
    """The figures, given the labelled rows and, per article id, the end offsets of today's mentions."""

    def still(r: dict[str, str]) -> bool:
        return int(r["end"]) in found.get(r["id"], set())

    def place(r: dict[str, str]) -> bool:
        return r["label"] in PLACE

    def right(r: dict[str, str]) -> bool:
        return r["label"] == "right"

    drawn = [r for r in rows if r["random"] == "1"]
    kept = [r for r in drawn if still(r)]
    lost = [r for r in rows if not still(r)]
    return {
        "random_sample": len(drawn),
        "before": {"places": _rate(drawn, place), "right": _rate(drawn, right)},
        "now": {"found": len(kept), "places": _rate(kept, place), "right": _rate(kept, right)},
        "labelled_places_no_longer_found": sum(map(place, lost)),
        "of_them_resolved_right_before": sum(map(right, lost)),
        "labelled_non_places_no_longer_found": sum(r["label"] == "no" for r in lost),
        "agreement": {"place_or_not": _rate(rows, lambda r: place(r) == (r["second"] in PLACE)),
                      "three_way": _rate(rows, lambda r: r["label"] == r["second"]),
                      "second_annotator_random_sample": {"places": _rate(drawn, lambda r: r["second"] in PLACE),
                                                         "right": _rate(drawn, lambda r: r["second"] == "right")}},
    }  # fmt: skip


def main() -> int:
    rows = labels_tsv(LABELS)
    wanted = {r["id"] for r in rows}
    gaz = load_gazetteer()
    found: dict[str, set[int]] = {}
    for article_id, record in records():
        if article_id in wanted:
            seg = segment(normalize(record["content"]))
            found[article_id] = {m.place.end for m in find_places(seg, gaz)}
    missing = wanted - set(found)
    if missing:
        print(f"articles not in the corpus: {sorted(missing)[:5]} ...", file=sys.stderr)
        return 1
    write_result(measure(rows, found), RESULT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
