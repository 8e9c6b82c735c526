"""Ingestion: articles → language check → duplicate check → coding → one transaction per article.

A rerun after any interruption skips what is stored (content hash, or id and source), so every
article ends up stored exactly once.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from marsad.io.readers import BadRecord, language_of, unpaired_surrogate
from marsad.model import Article, Event
from marsad.parallel import ordered_map
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


def _fault(article: Article) -> tuple[str, str] | None:
    """(where, reason) when the article cannot be stored at all: empty text, an unpaired surrogate."""
    if not article.text.strip():
        return article.id, "empty text"
    for name in ("id", "text", "source", "title", "url", "date"):
        at = unpaired_surrogate(getattr(article, name))
        if at is not None:
            printable = article.id.encode("utf-8", "backslashreplace").decode("utf-8")
            return printable, f"{name} has an unpaired surrogate at character {at}; it cannot be stored"
    return None


def _screen(store: Store, article: Article, language: str | None, report: Report) -> bool:
    """True when the article should be stored; else record why it is skipped or failed."""
    fault = _fault(article)
    if fault:
        report.fail(fault[0], fault[0], fault[1])
        return False
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


@dataclass(frozen=True, slots=True)
class Coded:
    """What a worker found for one article: its language, and its event records or why coding failed."""

    language: str | None = None
    records: list[dict[str, Any]] | None = None
    error: str | None = None


def _coded(article: Article, coder: Coder) -> Coded:
    try:
        return Coded(records=[event.to_dict() for event in coder(article)])
    except Exception as exc:  # noqa: BLE001 - a coder bug fails one article, not a long run
        return Coded(error=f"coding failed: {type(exc).__name__}: {exc}")


def _language_and_code(job: tuple[Article, bool], *, coder: Coder) -> Coded:
    """The worker's part of ingesting one article: its language, then (when the parent found it new
    and it is Arabic) its coding."""
    article, new = job
    if _fault(article):
        return Coded()
    language = language_of(article.text)
    if not new or language not in ARABIC:
        return Coded(language)
    return replace(_coded(article, coder), language=language)


def _jobs(store: Store, items: Iterable[Article | BadRecord], source: str | None) -> Iterator[Any]:
    """Each record for the workers: a bad record as is, an article with whether it is worth coding (not
    faulty, not already stored; the parent checks again, in order, before storing)."""
    for item in items:
        if isinstance(item, BadRecord):
            yield item
            continue
        article = replace(item, source=item.source or source)
        new = _fault(article) is None and store.duplicate_reason(article, content_hash(article.text)) is None
        yield article, new


def _job_task(job: Any, *, coder: Coder) -> Coded | None:
    return None if isinstance(job, BadRecord) else _language_and_code(job, coder=coder)


def ingest(
    store: Store,
    items: Iterable[Article | BadRecord],
    *,
    source: str | None = None,
    coder: Coder = code_article,
    version: str | None = None,
    progress: Progress | None = None,
    workers: int = 1,
) -> Report:
    """Code and store each article; bad records and coding errors are reported, never fatal.
    `workers` > 1 codes in that many processes (`coder` must then pickle); storing stays here, in order."""
    version = version or lexicon_version()
    report, started = Report(), time.monotonic()
    task = partial(_job_task, coder=coder)
    for job, coded in ordered_map(task, _jobs(store, items, source), workers=workers):
        report.read += 1
        if isinstance(job, BadRecord):
            report.fail(job.where, job.record_id, job.reason)
        elif coded is not None:
            _store_one(store, job[0], coded, version, report)
        if progress:
            progress.tick()
    report.seconds = time.monotonic() - started
    return report


def _store_one(store: Store, article: Article, coded: Coded, version: str, report: Report) -> None:
    if not _screen(store, article, coded.language, report):
        return
    if coded.records is None:
        report.fail(article.id, article.id, coded.error or "not coded")
        return
    result = store.add_article(article, coded.records, lexicon_version=version)
    if result.outcome == "stored":
        report.stored += 1
        report.mentions += result.mentions
    else:
        report.skipped[result.outcome] += 1


def _stale(store: Store, version: str) -> Iterator[Article]:
    after = ""
    while batch := store.stale_articles(version, after=after):
        yield from batch
        after = batch[-1].id


def recode(
    store: Store,
    *,
    coder: Coder = code_article,
    version: str | None = None,
    progress: Progress | None = None,
    workers: int = 1,
) -> Report:
    """Re-code every article stored under another lexicon version, replacing its mentions."""
    version = version or lexicon_version()
    report, started = Report(), time.monotonic()
    for article, coded in ordered_map(partial(_coded, coder=coder), _stale(store, version), workers=workers):
        report.read += 1
        if coded.records is None:
            report.fail(article.id, article.id, coded.error or "not coded")
        else:
            store.replace_mentions(article.id, coded.records, lexicon_version=version)
            report.stored += 1
            report.mentions += len(coded.records)
        if progress:
            progress.tick()
    report.seconds = time.monotonic() - started
    return report


def stale_count(store: Store, version: str) -> int:
    return int(store.db.read("SELECT COUNT(*) FROM articles WHERE lexicon_version <> ?", (version,))[0][0])


__all__: Sequence[str] = ["Progress", "Report", "code_article", "ingest", "lexicon_version", "recode"]
