"""Score the coder against the hand-written expectations of the bundled samples.

    python -m tests.golden.expectations [--misses]

prints recall (expected events found), headline recall (each article's first expected event) and
the false-event rate (must-not events coded as factual); `--misses` lists what was missed and
what was wrongly coded. tests/golden/README.md says how the file was written and why the floors.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.cli import samples_dir

EXPECTATIONS = Path(__file__).with_name("expectations.json")
Record = dict[str, Any]
Coder = Callable[[str, str], Sequence[Record]]  # (text, article id) -> Event.to_dict() records


@dataclass
class Score:
    """Counts over all articles, and what went wrong (article, description) for the report."""

    expected: int = 0
    found: int = 0
    typed: int = 0  # found when only the event type is checked (source, place and date ignored)
    headlines: int = 0
    headlines_found: int = 0
    traps: int = 0
    coded_traps: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)
    false_events: list[tuple[str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.expected

    @property
    def headline_recall(self) -> float:
        return self.headlines_found / self.headlines

    @property
    def false_event_rate(self) -> float:
        return self.coded_traps / self.traps

    def summary(self) -> str:
        return (
            f"recall {self.recall:.3f} ({self.found}/{self.expected}), headline recall "
            f"{self.headline_recall:.3f} ({self.headlines_found}/{self.headlines}), false-event rate "
            f"{self.false_event_rate:.3f} ({self.coded_traps}/{self.traps}); type only: recall "
            f"{self.typed / self.expected:.3f}"
        )


def load_expectations(path: Path = EXPECTATIONS) -> dict[str, Record]:
    articles: dict[str, Record] = json.loads(path.read_text(encoding="utf-8"))["articles"]
    return articles


def factual(record: Record) -> bool:
    return not record.get("negated") and not record.get("hypothetical")


def _country(record: Record, part: str, key: str) -> str | None:
    value = (record.get(part) or {}).get(key)
    return value if isinstance(value, str) else None


def matches(expected: Record, record: Record) -> bool:
    """A factual event of the expected type whose known fields equal the expectation's."""
    got = {
        "source_country": _country(record, "source", "country"),
        "place_country": _country(record, "location", "country_iso3"),
        "date": record.get("date"),
    }
    return (
        factual(record)
        and record.get("event_type") == expected["event_type"]
        and all(expected[k] is None or expected[k] == got[k] for k in got)
    )


def coded_inside(trap: Record, text: str, records: Sequence[Record]) -> bool:
    """A factual event of the trap's type whose trigger lies inside the trap's sentence part."""
    start = text.find(trap["sentence"])
    if start < 0:
        raise ValueError(f"{trap['sentence']!r} is not in the article")
    end = start + len(trap["sentence"])
    return any(
        factual(r)
        and r.get("event_type") == trap["event_type"]
        and r["evidence"]["trigger_start"] < end
        and start < r["evidence"]["trigger_end"]
        for r in records
    )


def score(coder: Coder, expectations: dict[str, Record] | None = None, directory: Path | None = None) -> Score:
    """Code every sample and count the expected events found and the traps coded as factual."""
    expectations = expectations or load_expectations()
    directory = directory or samples_dir()
    result = Score()
    for stem, expected in sorted(expectations.items()):
        text = (directory / f"{stem}.txt").read_text(encoding="utf-8")
        records = coder(text, stem)
        for n, event in enumerate(expected["events"]):
            hit = any(matches(event, r) for r in records)
            result.expected += 1
            result.found += hit
            result.typed += any(factual(r) and r.get("event_type") == event["event_type"] for r in records)
            if n == 0:
                result.headlines += 1
                result.headlines_found += hit
            if not hit:
                result.misses.append((stem, f"{event['event_type']}: {event['what']}"))
        for trap in expected["not_events"]:
            coded = coded_inside(trap, text, records)
            result.traps += 1
            result.coded_traps += coded
            if coded:
                result.false_events.append((stem, f"{trap['event_type']}: {trap['description']}"))
    return result


def marsad_coder(text: str, article_id: str) -> list[Record]:
    """The coder as the golden files run it: no article date (the dateline gives it)."""
    from marsad.pipeline import code_text

    return [e.to_dict() for e in code_text(text, article_id=article_id)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", action="store_true", help="list missed events and coded traps")
    args = parser.parse_args(argv)
    result = score(marsad_coder)
    print(result.summary())
    if args.misses:
        for stem, what in result.misses:
            print(f"  missed  {stem}: {what}")
        for stem, what in result.false_events:
            print(f"  coded   {stem}: {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
