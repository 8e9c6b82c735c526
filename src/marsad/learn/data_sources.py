"""Training and evaluation data of the detector, read at run time, never copied into the repo.

- GSR gold (openeventdata/arabic_event_gsr, MIT): `*_gsr.csv` rows, one sentence each, labelled
  PROTEST or ASSAULT by 3–7 annotators; `accept/total` is their agreement (a soft label). The
  cross-validation group is the source document: the id without its `-N` sentence suffix.
- The team's annotated sentences (`data/annotations/*.jsonl`, MIT, docs/annotation.md).

Each sentence becomes `Example`s: one per candidate the lexicon proposes, with its hashed
features and a soft target.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.errors import InputError
from marsad.extract.proposals import propose_all
from marsad.learn.features import HASH_BITS, features, hashed
from marsad.lexicon.loader import Lexicon

POSITIVE = "yes"
NEGATIVE = frozenset({"easy no", "difficult no"})
REPORTED = "reported"


@dataclass(frozen=True, slots=True)
class Item:
    """One sentence of a corpus, with what its gold says."""

    corpus: str  # "gsr" or "team"
    id: str
    group: str  # cross-validation group (source document)
    index: int  # the sentence's position in its document
    text: str
    gold_type: str | None  # gsr: the type it was annotated for
    label: str | None  # gsr: yes / easy no / difficult no / ambiguous
    agreement: float  # gsr: accept/total; team: 1.0
    reported: frozenset[str]  # team: the types reported in it
    events: tuple[dict[str, Any], ...] = ()  # team: the annotated events
    domain: str = ""

    @property
    def scored(self) -> bool:
        """A gsr row counted in P/R/F1 ("ambiguous" rows are used for training only)."""
        return self.corpus == "gsr" and (self.label == POSITIVE or self.label in NEGATIVE)


@dataclass(frozen=True, slots=True)
class Example:
    """One candidate event of an item: hashed features and the soft target of its type."""

    item: int  # index into the items list
    event_type: str  # the type the coder would emit (after PLOVER's riot retyping)
    factual: bool
    indices: tuple[int, ...]
    target: float
    weight: float


def text_key(text: str) -> str:
    """A short fingerprint of a sentence (the model card lists those it was trained on)."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def _gsr_index(row_id: str) -> tuple[str, int]:
    doc, _, number = row_id.rpartition("-")
    if not doc or not number.isdigit():
        return row_id, 0
    return doc, int(number)


def load_gsr(directory: Path) -> list[Item]:
    """Every row of the `*_gsr.csv` files in `directory`."""
    if not directory.is_dir():
        raise InputError(f"{directory}: not a directory of GSR files")
    items: list[Item] = []
    for path in sorted(directory.glob("*_gsr.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                doc, index = _gsr_index(row["id"].strip())
                total = int(row["total"] or 0)
                agreement = int(row["accept"] or 0) / total if total else 0.0
                label = row["label"].strip()
                items.append(
                    Item(
                        "gsr",
                        row["id"].strip(),
                        doc,
                        index,
                        row["text"],
                        row["event_type"].strip(),
                        label,
                        1.0 if label == POSITIVE else agreement,
                        frozenset(),
                    )
                )
    if not items:
        raise InputError(f"{directory}: no *_gsr.csv files found")
    return items


def load_team(directory: Path) -> list[Item]:
    """The team's annotated sentences (docs/annotation.md), in file and line order."""
    if not directory.is_dir() or not any(directory.glob("*.jsonl")):
        raise InputError(f"{directory}: no annotated sentences (*.jsonl) there; give --annotations DIR or --no-team")
    items: list[Item] = []
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                events = tuple(record["events"])
                reported = frozenset(e["type"] for e in events if e["status"] == REPORTED)
                items.append(
                    Item(
                        "team",
                        record["id"],
                        f"team:{record['doc']}",
                        0,
                        record["text"],
                        None,
                        None,
                        1.0,
                        reported,
                        events,
                        record.get("domain", ""),
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(f"{path.name}:{number}: bad annotation ({exc})") from None
    return _number_in_doc(items)


def _number_in_doc(items: list[Item]) -> list[Item]:
    out: list[Item] = []
    seen: dict[str, int] = {}
    for item in items:
        index = seen.get(item.group, 0)
        seen[item.group] = index + 1
        out.append(
            Item(
                item.corpus,
                item.id,
                item.group,
                index,
                item.text,
                item.gold_type,
                item.label,
                item.agreement,
                item.reported,
                item.events,
                item.domain,
            )
        )
    return out


def _target(item: Item, event_type: str) -> float | None:
    """The soft target of a candidate of `event_type` in `item`, None when the gold is silent."""
    if item.corpus == "team":
        return 1.0 if event_type in item.reported else 0.0
    if event_type != item.gold_type:
        return None  # a gsr row only speaks of the type it was annotated for
    return item.agreement


def examples(items: Iterable[Item], lexicon: Lexicon, bits: int = HASH_BITS) -> list[Example]:
    """Every candidate of every item that its gold labels."""
    out: list[Example] = []
    for number, item in enumerate(items):
        for proposal, view, final_type in propose_all(item.text, lexicon):
            target = _target(item, final_type)
            if target is None:
                continue
            indices = tuple(hashed(features(proposal.view, view), bits))
            factual = proposal.candidate.modality.factual
            out.append(Example(number, final_type, factual, indices, target, 1.0))
    return out
