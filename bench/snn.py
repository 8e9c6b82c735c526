"""SaudiNewsNet (CC BY-NC-SA) read at run time from ../shared: never copied into the repo.

An article's id is "<archive stem>/<index in its JSON list>" (e.g. "2015-07-21/17"), stable across
machines; `relevance_sample()` draws the fixed random sample that bench/data/relevance_labels.tsv
labels (ids and labels only).
"""

from __future__ import annotations

import json
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "saudinewsnet"
SAMPLE_SEED = 2026
SAMPLE_SIZE = 300


def records(directory: Path = CORPUS) -> Iterator[tuple[str, dict[str, Any]]]:
    """(id, record) for every article with non-empty content, in archive order."""
    for archive in sorted(directory.glob("*.zip")):
        with zipfile.ZipFile(archive) as zf:
            for name in sorted(zf.namelist()):
                if not name.endswith(".json"):
                    continue
                for index, record in enumerate(json.loads(zf.read(name).decode("utf-8"))):
                    if (record.get("content") or "").strip():
                        yield f"{archive.stem}/{index}", record


def relevance_sample(directory: Path = CORPUS, size: int = SAMPLE_SIZE) -> list[tuple[str, dict[str, Any]]]:
    """The fixed random sample of the relevance benchmark (seeded; same on every machine)."""
    everything = list(records(directory))
    return random.Random(SAMPLE_SEED).sample(everything, size)


if __name__ == "__main__":
    import sys

    start, stop = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) > 2 else (0, SAMPLE_SIZE)
    for article_id, record in relevance_sample()[start:stop]:
        print(f"=== {article_id} | {record.get('source')} | {record.get('title')}")
        print(record["content"][:2500])


def labels_tsv(path: Path) -> list[dict[str, str]]:
    """The rows of a hand-labelled sample (ids, offsets, labels; no text)."""
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def write_result(result: dict[str, Any], path: Path) -> int:
    """Print a benchmark's result and write it to `path` (bench/results/...)."""
    print(json.dumps(result, ensure_ascii=False, indent=1))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0
