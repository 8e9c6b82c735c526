"""Analyst reviews of events: rows beside the machine coding, never over it (docs/review.md).

A review anchors on the evidence span of one mention (article id, sentence and trigger offsets,
machine type); `mention_id` links it to the mention that holds that span now, and re-coding
relinks it (`relink`). An event's review is the latest review anchored on any of its mentions;
its current view is the machine coding with that review's changes laid over it. Every write is
one transaction that also appends to `audit_log`; a write carries the event version it was made
against and is refused (`ReviewConflict`) when the event changed since.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from marsad.errors import MarsadError, UsageError
from marsad.store.backend import Backend
from marsad.store.corrections import FIELDS, REASONS, STATUSES, VERDICTS, ReviewIn, check_review

__all__ = ["FIELDS", "REASONS", "STATUSES", "VERDICTS", "ReviewConflict", "ReviewIn", "add_review", "current_view"]

REVIEW_COLUMNS = ("id", "mention_id", "article_id", "sentence_start", "sentence_end", "trigger_start", "trigger_end",
                  "event_type", "reviewer", "reviewed_at", "verdict", "reason", "changes", "machine", "event_id")  # fmt: skip

V6 = [
    """CREATE TABLE reviews (
        id {id},
        mention_id BIGINT,
        article_id TEXT NOT NULL,
        sentence_start INTEGER NOT NULL,
        sentence_end INTEGER NOT NULL,
        trigger_start INTEGER NOT NULL,
        trigger_end INTEGER NOT NULL,
        event_type TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        reviewed_at TEXT NOT NULL,
        verdict TEXT NOT NULL,
        reason TEXT,
        changes TEXT NOT NULL,
        machine TEXT NOT NULL,
        event_id BIGINT)""",
    "CREATE INDEX reviews_mention ON reviews (mention_id)",
    "CREATE INDEX reviews_article ON reviews (article_id)",
    """CREATE TABLE audit_log (
        id {id},
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        event_id BIGINT,
        review_id BIGINT,
        detail TEXT NOT NULL)""",
]


class ReviewConflict(MarsadError):
    """The event changed since the reviewer loaded it: reload it (its current version is attached)."""

    code = "E402"

    def __init__(self, message: str, version: str | None) -> None:
        super().__init__(message)
        self.version = version


def machine_fields(event: Mapping[str, Any]) -> dict[str, Any]:
    """The correctable fields of an event dict as the machine coded them."""
    return {name: event.get(name) for name in FIELDS}


def event_version(machine: Mapping[str, Any], anchors: Sequence[int], review_id: int | None) -> str:
    """A short digest of what a reviewer sees: the machine coding, its mentions and the latest review."""
    body = json.dumps([machine, list(anchors), review_id], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def _review_dict(row: Sequence[Any]) -> dict[str, Any]:
    r = dict(zip(REVIEW_COLUMNS, row, strict=True))
    r["changes"], r["machine"] = json.loads(r["changes"]), json.loads(r["machine"])
    r["span"] = {k: r.pop(k) for k in ("article_id", "sentence_start", "sentence_end", "trigger_start", "trigger_end")}
    r["anchor_type"] = r.pop("event_type")
    r["event_id_at_review"] = r.pop("event_id")
    return r


_SELECT = ", ".join(f"r.{c}" for c in REVIEW_COLUMNS)


def reviews_of(db: Backend, event_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Every review attached to each event (through its mentions), oldest first."""
    found: dict[int, list[dict[str, Any]]] = {int(e): [] for e in event_ids}
    for start in range(0, len(event_ids), 500):
        chunk = list(event_ids[start : start + 500])
        rows = db.read(f"SELECT m.event_id, {_SELECT} FROM reviews r JOIN mentions m ON m.id = r.mention_id "
                       f"WHERE m.event_id IN ({', '.join('?' * len(chunk))}) ORDER BY r.id", chunk)  # fmt: skip
        for eid, *row in rows:
            found[int(eid)].append(_review_dict(row))
    return found


def review_summary(review: Mapping[str, Any] | None, machine: Mapping[str, Any]) -> dict[str, Any]:
    """{status, reviewer, reviewed_at, reason, changes, review_id, coding_changed} of an event's latest review;
    `coding_changed`: the machine coding is no longer what the reviewer saw (after a recode or a merge)."""
    if review is None:
        return {"status": "unreviewed", "reviewer": None, "reviewed_at": None, "reason": None, "changes": {},
                "review_id": None, "coding_changed": False}  # fmt: skip
    seen = review["machine"]
    return {
        "status": review["verdict"], "reviewer": review["reviewer"], "reviewed_at": review["reviewed_at"],
        "reason": review["reason"], "changes": review["changes"], "review_id": review["id"],
        "coding_changed": json.dumps(seen, sort_keys=True, default=str)
        != json.dumps({k: machine.get(k) for k in seen}, sort_keys=True, default=str),
    }  # fmt: skip


def current_view(event: dict[str, Any], review: Mapping[str, Any] | None) -> dict[str, Any]:
    """The event as reviewed: machine fields with the latest review's corrections laid over them, plus
    `review` (its summary). The machine values of corrected fields stay in `review.changes[f].old`."""
    machine = machine_fields(event)
    summary = review_summary(review, machine)
    view = {**event, "review": summary}
    for name, change in summary["changes"].items():
        view[name] = change["new"]
        if name == "location" and change["new"] and change["new"].get("country_iso3"):
            view["country_iso3"] = change["new"]["country_iso3"]
    return view


def _anchor(tx: Backend, event_id: int, mention_id: int | None) -> tuple[Any, ...]:
    rows = tx.execute(
        "SELECT id, article_id, sentence_start, sentence_end, trigger_start, trigger_end, event_type FROM mentions "
        "WHERE event_id = ? ORDER BY id",
        (event_id,),
    )
    if not rows:
        raise UsageError(f"event {event_id} has no mentions to review")
    if mention_id is None:
        return tuple(rows[0])
    for row in rows:
        if int(row[0]) == mention_id:
            return tuple(row)
    raise UsageError(f"mention {mention_id} is not evidence of event {event_id}")


def add_review(
    tx: Backend, event: dict[str, Any], version: str, review: ReviewIn, *, at: str, current: str
) -> dict[str, Any]:
    """Inside a write transaction: store `review` of `event` (machine dict with its latest review) if
    `version` is still `current`; append the audit entry. Returns the stored review."""
    if version != current:
        raise ReviewConflict(f"event {event['event_id']} changed since it was loaded (version {version}, now "
                             f"{current}); reload it and review again", current)  # fmt: skip
    machine = machine_fields(event)
    changes = check_review(review, event["event_type"])
    diff = {name: {"old": machine[name], "new": new} for name, new in changes.items() if machine[name] != new}
    if review.verdict == "corrected" and not diff:
        raise UsageError("the correction changes nothing: every value equals the machine coding")
    mid, article_id, s_start, s_end, t_start, t_end, anchor_type = _anchor(tx, event["event_id"], review.mention_id)
    rows = tx.execute(
        "INSERT INTO reviews (mention_id, article_id, sentence_start, sentence_end, trigger_start, trigger_end, "
        "event_type, reviewer, reviewed_at, verdict, reason, changes, machine, event_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (mid, article_id, s_start, s_end, t_start, t_end, anchor_type, review.reviewer, at, review.verdict,
         review.reason, json.dumps(diff, ensure_ascii=False, sort_keys=True),
         json.dumps(machine, ensure_ascii=False, sort_keys=True), event["event_id"]),
    )  # fmt: skip
    review_id = int(rows[0][0])
    detail = {"verdict": review.verdict, "reason": review.reason, "changes": diff, "version_before": version}
    audit(tx, at=at, actor=review.reviewer, action="review", event_id=event["event_id"], review_id=review_id,
          detail=detail)  # fmt: skip
    found = tx.execute(f"SELECT {_SELECT} FROM reviews r WHERE r.id = ?", (review_id,))
    return _review_dict(found[0])


def audit(
    tx: Backend, *, at: str, actor: str, action: str, event_id: int | None, review_id: int | None, detail: Any
) -> None:
    """Append one entry to the audit log (inside the write it records)."""
    tx.execute("INSERT INTO audit_log (at, actor, action, event_id, review_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
               (at, actor, action, event_id, review_id, json.dumps(detail, ensure_ascii=False, sort_keys=True)))  # fmt: skip


def audit_entries(db: Backend, *, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    """Audit log entries after id `after`, oldest first."""
    rows = db.read("SELECT id, at, actor, action, event_id, review_id, detail FROM audit_log WHERE id > ? "
                   "ORDER BY id LIMIT ?", (after, limit))  # fmt: skip
    names = ("id", "at", "actor", "action", "event_id", "review_id")
    return [{**dict(zip(names, r[:6], strict=True)), "detail": json.loads(r[6])} for r in rows]


def unlink(tx: Backend, article_id: str) -> None:
    """Before an article's mentions are replaced: its reviews point at no mention until `relink`."""
    tx.execute("UPDATE reviews SET mention_id = NULL WHERE article_id = ?", (article_id,))


def relink(tx: Backend, article_id: str) -> None:
    """After re-coding an article: attach each of its reviews to the mention with the same trigger span,
    else to one of the same type in the same sentence; the rest stay detached (listed by `detached`)."""
    tx.execute(
        "UPDATE reviews SET mention_id = (SELECT MIN(m.id) FROM mentions m WHERE m.article_id = reviews.article_id "
        "AND m.trigger_start = reviews.trigger_start AND m.trigger_end = reviews.trigger_end) WHERE article_id = ?",
        (article_id,),
    )
    tx.execute(
        "UPDATE reviews SET mention_id = (SELECT MIN(m.id) FROM mentions m WHERE m.article_id = reviews.article_id "
        "AND m.sentence_start = reviews.sentence_start AND m.sentence_end = reviews.sentence_end "
        "AND m.event_type = reviews.event_type) WHERE article_id = ? AND mention_id IS NULL",
        (article_id,),
    )


def detached(db: Backend) -> list[dict[str, Any]]:
    """Reviews whose span no event holds any more: no mention has it, or its mention is now negated or
    hypothetical (no event). Never dropped: listed here, in `marsad recode` and in /api/stats."""
    rows = db.read(
        f"SELECT {_SELECT} FROM reviews r LEFT JOIN mentions m ON m.id = r.mention_id "
        "WHERE m.id IS NULL OR m.event_id IS NULL ORDER BY r.id"
    )
    return [_review_dict(row) for row in rows]


def latest_event_ids(db: Backend) -> list[int]:
    """The events that have a review, ascending."""
    return sorted(int(r[0]) for r in db.read(f"SELECT event_id FROM ({LATEST}) l"))


LATEST = (
    "SELECT m.event_id AS event_id, MAX(r.id) AS review_id FROM reviews r JOIN mentions m ON m.id = r.mention_id "
    "WHERE m.event_id IS NOT NULL GROUP BY m.event_id"
)


def status_clause(status: str) -> tuple[str, list[Any]]:
    """SQL (on events `e`) keeping events whose review status is `status`; "reviewed" = confirmed or
    corrected (the events a reviewer accepted), "any" = any verdict."""
    if status == "unreviewed":
        return f"e.id NOT IN (SELECT l.event_id FROM ({LATEST}) l)", []
    verdicts = {"reviewed": ["confirmed", "corrected"], "any": list(VERDICTS)}.get(status, [status])
    if not set(verdicts) <= set(VERDICTS):
        raise UsageError(f"review status {status!r} is not one of {', '.join((*STATUSES, 'reviewed', 'any'))}")
    marks = ", ".join("?" * len(verdicts))
    return ((f"e.id IN (SELECT l.event_id FROM ({LATEST}) l JOIN reviews lr ON lr.id = l.review_id "
            f"WHERE lr.verdict IN ({marks}))"), verdicts)  # fmt: skip


def review_stats(db: Backend, where: str, params: list[Any], total: int) -> dict[str, Any]:
    """Review progress among the events passing `where` and the observed precision of the machine coding
    per type (machine type at review time): confirmed / reviewed, and type right / reviewed."""
    scope = f" AND m.event_id IN (SELECT e.id FROM events e{where})" if where else ""
    rows = db.read(f"SELECT l.event_id, r.verdict, r.machine, r.changes FROM ({LATEST}) l JOIN reviews r ON "
                   f"r.id = l.review_id JOIN mentions m ON m.id = r.mention_id WHERE 1 = 1{scope}", params)  # fmt: skip
    by_status = dict.fromkeys(VERDICTS, 0)
    per_type: dict[str, dict[str, int]] = {}
    for _eid, verdict, machine, changes in rows:
        by_status[verdict] += 1
        kind = json.loads(machine).get("event_type") or "?"
        counts = per_type.setdefault(kind, {"reviewed": 0, "confirmed": 0, "corrected": 0, "rejected": 0,
                                            "type_right": 0})  # fmt: skip
        counts["reviewed"] += 1
        counts[verdict] += 1
        wrong_type = verdict == "rejected" or "event_type" in json.loads(changes)
        counts["type_right"] += 0 if wrong_type else 1
    precision = {
        t: {**c, "precision": round(c["confirmed"] / c["reviewed"], 3), "type_precision":
            round(c["type_right"] / c["reviewed"], 3)} for t, c in sorted(per_type.items())
    }  # fmt: skip
    reviewed = sum(by_status.values())
    return {"events": total, "reviewed": reviewed, "unreviewed": max(total - reviewed, 0), "by_status": by_status,
            "share_reviewed": round(reviewed / total, 4) if total else 0.0, "precision_by_type": precision,
            "detached": len(detached(db))}  # fmt: skip


def next_unreviewed(
    db: Backend, where: str, params: list[Any], thresholds: Mapping[str, float], *, skip: Sequence[int] = ()
) -> dict[str, Any] | None:
    """The unreviewed event passing `where` whose probability (its best factual mention's) is nearest
    its type's threshold: the one whose review teaches the detector the most. None when all are done."""
    named = [(t, v) for t, v in thresholds.items() if t != "*"]
    number = "CAST(? AS DOUBLE PRECISION)"
    case = (
        f"CASE e.event_type {' '.join(f'WHEN ? THEN {number}' for _ in named)} ELSE {number} END" if named else number
    )
    unreviewed, _ = status_clause("unreviewed")
    skipped = f" AND e.id NOT IN ({', '.join('?' * len(skip))})" if skip else ""
    clauses = f"{where} AND {unreviewed}" if where else f" WHERE {unreviewed}"
    rows = db.read(
        f"SELECT e.id, e.event_type, c.p, ABS(c.p - {case}) AS gap FROM events e JOIN (SELECT event_id, "
        "MAX(confidence) AS p FROM mentions WHERE event_id IS NOT NULL AND NOT negated AND NOT hypothetical "
        f"GROUP BY event_id) c ON c.event_id = e.id{clauses}{skipped} ORDER BY gap, e.id LIMIT 1",
        [*[x for pair in named for x in pair], thresholds.get("*", 0.5), *params, *skip],
    )
    if not rows:
        return None
    eid, kind, p, gap = rows[0]
    return {"event_id": int(eid), "event_type": kind, "probability": round(float(p), 3),
            "threshold": float(thresholds.get(kind, thresholds.get("*", 0.5))), "gap": round(float(gap), 3)}  # fmt: skip
