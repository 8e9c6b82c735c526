"""Every coded span of an article, labelled in English and Arabic, for highlighting its text.

>>> spans_of("تظاهر الطلاب", [{"mention_id": 1, "event_id": 7, "record": {
...     "event_type": "PROTEST", "mode": "demo", "evidence": {"trigger_start": 0, "trigger_end": 5},
...     "source": {"text": "الطلاب", "role": "EDU", "name_en": "students", "start": 6, "end": 12}}}])[1]
{'start': 6, 'end': 12, 'kind': 'source', 'label_en': 'source: students (EDU)', 'label_ar': 'الفاعل', \
'event_id': 7, 'mention_id': 1}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Record = dict[str, Any]
LABEL_AR = {"trigger": "الحدث", "source": "الفاعل", "target": "المستهدف", "location": "المكان", "date": "التاريخ",
            "size": "العدد", "fatalities": "القتلى", "injuries": "الجرحى"}  # fmt: skip


def _actor_label(kind: str, actor: Record) -> str:
    codes = " ".join(c for c in (actor.get("country"), actor.get("role")) if c)
    return f"{kind}: {actor.get('name_en') or actor.get('text')}{f' ({codes})' if codes else ''}"


def _count(q: Record) -> str:
    low, high = q.get("min"), q.get("max")
    if high is None:
        return f"{low}+"
    return str(low) if low == high else f"{low}–{high}"


def _labelled(record: Record) -> list[tuple[str, Record | None, str, str]]:
    """(kind, the part holding start/end, English label, Arabic detail) for each coded part."""
    kind = " ".join(p for p in (record.get("event_type"), record.get("mode")) if p)
    place = record.get("location") or {}
    found: list[tuple[str, Record | None, str, str]] = [
        ("trigger", _trigger(record.get("evidence")), f"{kind} trigger", ""),
        ("location", place, f"location: {place.get('name_en')}" + (f" ({place['country_iso3']})"
                                                                     if place.get("country_iso3") else ""),
         place.get("name_ar") or ""),
        ("date", record.get("date_source"), f"date: {record.get('date')}", record.get("date") or ""),
    ]  # fmt: skip
    for role in ("source", "target"):
        if record.get(role):
            found.append((role, record[role], _actor_label(role, record[role]), ""))
    for name in ("size", "fatalities", "injuries"):
        if record.get(name):
            found.append((name, record[name], f"{name}: {_count(record[name])}", _count(record[name])))
    return found


def _trigger(evidence: Record | None) -> Record | None:
    if not evidence:
        return None
    return {"start": evidence.get("trigger_start"), "end": evidence.get("trigger_end")}


def spans_of(text: str, mentions: Sequence[Record]) -> list[dict[str, Any]]:
    """The spans of every mention ({mention_id, event_id, record}) that slice `text`, in text order."""
    spans: list[dict[str, Any]] = []
    for mention in mentions:
        for kind, part, label_en, detail_ar in _labelled(mention["record"]):
            start, end = (part or {}).get("start"), (part or {}).get("end")
            if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
                continue
            spans.append({"start": start, "end": end, "kind": kind, "label_en": label_en,
                          "label_ar": f"{LABEL_AR[kind]}: {detail_ar}" if detail_ar else LABEL_AR[kind],
                          "event_id": mention["event_id"], "mention_id": mention["mention_id"]})  # fmt: skip
    return sorted(spans, key=lambda s: (s["start"], s["end"], s["mention_id"], s["kind"]))
