"""Ingestion: articles → language check → duplicate check → coding → one transaction per article.

A rerun after any interruption skips what is stored (content hash, or id and source), so every
article ends up stored exactly once.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from marsad.io.readers import BadRecord, language_of, unpaired_surrogate
from marsad.model import Article, Event
from marsad.progress import Progress
from marsad.store.store import Store, content_hash

Coder = Callable[[Article], list[Event]]
# py3langid names Egyptian (arz) and Moroccan (ary) Arabic apart from Standard Arabic (ar).
ARABIC = frozenset({"ar", "arz", "ary"})


def code_article(article: Article, min_confidence: float | str | None = None) -> list[Event]:
    """The public coder, `marsad.code`, applied to one article."""
    import marsad

    return marsad.code(article.text, article_id=article.id, date=article.date, min_confidence=min_confidence)


def lexicon_version() -> str:
    """A short hash of the marsad version, every lexicon data file and the trained detector: it
    changes when coding may."""
    import marsad
    from marsad.learn.detector import default_path
    from marsad.lexicon.loader import data_dir

    digest = hashlib.sha256(marsad.__version__.encode())
    root = data_dir()
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(root)).encode())
        digest.update(file.read_bytes())
    model = default_path()
    if model.is_file():
        digest.update(model.read_bytes())
    return f"{marsad.__version__}+{digest.hexdigest()[:12]}"


@dataclass
class Report:
    """One run: how many records were read, stored, skipped (by reason) and failed (with ids)."""

    read: int = 0
    stored: int = 0
    mentions: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, str | None, str]] = field(default_factory=list)
    seconds: float = 0.0

    def fail(self, where: str, record_id: str | None, reason: str) -> None:
        self.failed.append((where, record_id, reason))

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read, "stored": self.stored, "mentions": self.mentions, "skipped": dict(self.skipped),
            "failed": [{"where": w, "id": i, "reason": r} for w, i, r in self.failed],
            "seconds": round(self.seconds, 3), "rate": round(self.stored / self.seconds, 2) if self.seconds else None,
        }  # fmt: skip

    def lines(self, verb: str = "stored") -> list[str]:
        skipped = ", ".join(f"{reason} {n}" for reason, n in sorted(self.skipped.items()))
        rate = self.stored / self.seconds if self.seconds else 0.0
        head = (f"read {self.read}, {verb} {self.stored} ({self.mentions} mentions), skipped {sum(self.skipped.values())}"
                f"{f' ({skipped})' if skipped else ''}, failed {len(self.failed)} in {self.seconds:.1f} s "
                f"({rate:.1f} articles/s)")  # fmt: skip
        return [head] + [f"  failed {w}{f' (id {i})' if i else ''}: {r}" for w, i, r in self.failed]


def _screen(store: Store, article: Article, report: Report) -> bool:
    """True when the article should be coded; else record why it is skipped or failed."""
    if not article.text.strip():
        report.fail(article.id, article.id, "empty text")
        return False
    for name in ("id", "text", "source", "title", "url", "date"):
        at = unpaired_surrogate(getattr(article, name))
        if at is not None:
            printable = article.id.encode("utf-8", "backslashreplace").decode("utf-8")
            report.fail(
                printable, printable, f"{name} has an unpaired surrogate at character {at}; it cannot be stored"
            )
            return False
    language = language_of(article.text)
    if language not in ARABIC:
        report.skipped[f"language:{language}"] += 1
        return False
    reason = store.duplicate_reason(article, content_hash(article.text))
    if reason == "duplicate":
        report.skipped[reason] += 1
        return False
    if reason:
        report.fail(article.id, article.id, f"another source ({reason.split(':', 1)[1]}) already stored this id")
        return False
    return True


def ingest(
    store: Store,
    items: Iterable[Article | BadRecord],
    *,
    source: str | None = None,
    coder: Coder = code_article,
    version: str | None = None,
    progress: Progress | None = None,
) -> Report:
    """Code and store each article; bad records and coding errors are reported, never fatal."""
    version = version or lexicon_version()
    report, started = Report(), time.monotonic()
    for item in items:
        report.read += 1
        if isinstance(item, BadRecord):
            report.fail(item.where, item.record_id, item.reason)
        else:
            _ingest_one(store, replace(item, source=item.source or source), coder, version, report)
        if progress:
            progress.tick()
    report.seconds = time.monotonic() - started
    return report


def _ingest_one(store: Store, article: Article, coder: Coder, version: str, report: Report) -> None:
    if not _screen(store, article, report):
        return
    try:
        records = [event.to_dict() for event in coder(article)]
    except Exception as exc:  # noqa: BLE001 - a coder bug fails one article, not a long run
        report.fail(article.id, article.id, f"coding failed: {type(exc).__name__}: {exc}")
        return
    result = store.add_article(article, records, lexicon_version=version)
    if result.outcome == "stored":
        report.stored += 1
        report.mentions += result.mentions
    else:
        report.skipped[result.outcome] += 1


def recode(
    store: Store, *, coder: Coder = code_article, version: str | None = None, progress: Progress | None = None
) -> Report:
    """Re-code every article stored under another lexicon version, replacing its mentions."""
    version = version or lexicon_version()
    report, started, after = Report(), time.monotonic(), ""
    while batch := store.stale_articles(version, after=after):
        for article in batch:
            report.read += 1
            try:
                records = [event.to_dict() for event in coder(article)]
            except Exception as exc:  # noqa: BLE001 - reported per article, as in ingest
                report.fail(article.id, article.id, f"coding failed: {type(exc).__name__}: {exc}")
            else:
                store.replace_mentions(article.id, records, lexicon_version=version)
                report.stored += 1
                report.mentions += len(records)
            if progress:
                progress.tick()
        after = batch[-1].id
    report.seconds = time.monotonic() - started
    return report


def stale_count(store: Store, version: str) -> int:
    return int(store.db.read("SELECT COUNT(*) FROM articles WHERE lexicon_version <> ?", (version,))[0][0])


__all__: Sequence[str] = ["Progress", "Report", "code_article", "ingest", "lexicon_version", "recode"]
