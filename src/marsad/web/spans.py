"""Every coded span of an article, labelled in English and Arabic, for highlighting its text, and
the text as a reader should see it (`display`): HTML entities of scraped pages decoded, runs of
whitespace made one, with a map from original offsets to shown ones so that highlights stay on
their words. Offsets in records and in `spans` index the original text, always; only the
`display` parts of the API's payloads (`evidence_view`, `article_view`) are shown text.

Why here, in Python, and not in the dashboard's JavaScript: one implementation serves the API's
payloads, `marsad demo` and the tests (a pure function, unit-tested with real Arabic), and the
browser receives text and spans it only has to draw.

>>> spans_of("تظاهر الطلاب", [{"mention_id": 1, "event_id": 7, "record": {
...     "event_type": "PROTEST", "mode": "demo", "evidence": {"trigger_start": 0, "trigger_end": 5},
...     "source": {"text": "الطلاب", "role": "EDU", "name_en": "students", "start": 6, "end": 12}}}])[1]
{'start': 6, 'end': 12, 'kind': 'source', 'label_en': 'source: students (EDU)', 'label_ar': 'الفاعل', \
'event_id': 7, 'mention_id': 1}
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
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


# --- what a reader sees ---------------------------------------------------------------------------

# A well-formed character reference, possibly escaped again ("&amp;quot;" is a scraped "&quot;").
_ENTITY = re.compile(r"&(?:amp;)*(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_UNIT = re.compile(rf"(?P<entity>{_ENTITY.pattern})|(?P<space>\s+)|[^&\s]+|&")
_KINDS = ("trigger", "source", "target", "location", "size", "fatalities", "injuries", "date")


@dataclass(frozen=True, slots=True)
class Display:
    """Text as shown, and where each original character went: original character i became
    `text[starts[i]:ends[i]]` (empty for the spaces of a run after its first)."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The shown span of the original span [start, end) (start < end)."""
        return self.starts[start], max(self.starts[start], self.ends[end - 1])


def _decoded(reference: str) -> str:
    """A character reference decoded, twice escaped ones too (at most three rounds)."""
    for _ in range(3):
        decoded = html.unescape(reference)
        if decoded == reference:
            break
        reference = decoded
    return reference


def _units(text: str) -> list[tuple[int, int, str]]:
    """(start, end, shown) pieces of `text`: entities decoded; whitespace (also decoded, &nbsp;)
    marked by a shown value that is all whitespace, to be merged with its neighbours."""
    units: list[tuple[int, int, str]] = []
    for match in _UNIT.finditer(text):
        piece = match.group()
        units.append((match.start(), match.end(), _decoded(piece) if match["entity"] else piece))
    return units


def _run(shown: str) -> str:
    """One whitespace run, as shown: a paragraph break, a line break or one space."""
    lines = shown.count("\n")
    return "\n\n" if lines > 1 else "\n" if lines else " "


def display(text: str) -> Display:
    """`text` with HTML entities decoded and whitespace runs made one space (or one line or
    paragraph break), and the map of every original offset into it.

    >>> shown = display("قال &quot;لا  للغلاء&quot; &amp; رحل")
    >>> shown.text
    'قال "لا للغلاء" & رحل'
    >>> start = "قال &quot;لا  للغلاء&quot; &amp; رحل".index("للغلاء")
    >>> shown.text[slice(*shown.span(start, start + 6))]
    'للغلاء'
    """
    if "&" not in text and not _needs_space_work(text):
        identity = tuple(range(len(text) + 1))
        return Display(text, identity[:-1], identity[1:])
    out: list[str] = []
    starts, ends = [0] * len(text), [0] * len(text)
    width = 0
    units = _units(text)
    k = 0
    while k < len(units):
        first, end, shown = units[k]
        if shown.isspace():
            while k + 1 < len(units) and units[k + 1][2].isspace():  # "  &nbsp;\n" is one run
                k += 1
                end, shown = units[k][1], shown + units[k][2]
            shown = _run(shown)
            starts[first:end] = [width] + [width + len(shown)] * (end - first - 1)
            ends[first:end] = [width + len(shown)] * (end - first)
        elif end - first == len(shown):  # plain text, character for character
            starts[first:end] = range(width, width + len(shown))
            ends[first:end] = range(width + 1, width + len(shown) + 1)
        else:  # an entity: all its characters stand for what it decodes to
            starts[first:end] = [width] * (end - first)
            ends[first:end] = [width + len(shown)] * (end - first)
        out.append(shown)
        width += len(shown)
        k += 1
    return Display("".join(out), tuple(starts), tuple(ends))


_SPACE_WORK = re.compile(r"\s{2,}|[^\S ]")


def _needs_space_work(text: str) -> bool:
    return _SPACE_WORK.search(text) is not None


def readable(text: str) -> str:
    """Just the shown text (for labels and `marsad demo`): `display(text).text`.

    >>> readable("حركة &quot;حماس&quot;")
    'حركة "حماس"'
    """
    return display(text).text


def _parts(record: Record) -> list[tuple[str, Record]]:
    """The coded parts of a record that carry offsets, in the dashboard's legend order."""
    evidence = record.get("evidence") or {}
    parts: list[tuple[str, Record]] = []
    if isinstance(evidence.get("trigger_start"), int):
        parts.append(("trigger", {"start": evidence["trigger_start"], "end": evidence.get("trigger_end"),
                                  "text": evidence.get("trigger")}))  # fmt: skip
    for kind in _KINDS[1:]:
        part = record.get("date_source" if kind == "date" else kind)
        if isinstance(part, dict) and isinstance(part.get("start"), int):
            parts.append((kind, part))
    return parts


def place_reasons(part: Record) -> str | None:
    """Why a place is the event's (`chosen_by`) and why this gazetteer entry (`resolved_by`), for
    the dashboard's tooltip: "scene: locative · entry: diacritics"; None for other parts."""
    found = [
        f"{label}: {part[key]}" for key, label in (("chosen_by", "scene"), ("resolved_by", "entry")) if part.get(key)
    ]
    return " · ".join(found) or None


def evidence_view(record: Record) -> dict[str, Any]:
    """The evidence sentence of a record as shown, with each coded part: its shown `text`, and
    `start`/`end` in the shown sentence (None when the part lies outside the sentence, such as
    a dateline place or the article's date).

    >>> view = evidence_view({"evidence": {"sentence": "هتفوا &quot;ارحل&quot;", "start": 10,
    ...     "trigger_start": 10, "trigger_end": 15, "trigger": "هتفوا"}})
    >>> view["sentence"], view["spans"][0]["start"], view["spans"][0]["end"]
    ('هتفوا "ارحل"', 0, 5)
    """
    evidence = record.get("evidence") or {}
    sentence = str(evidence.get("sentence") or "")
    base = evidence["start"] if isinstance(evidence.get("start"), int) else 0
    shown = display(sentence)
    spans: list[dict[str, Any]] = []
    for kind, part in _parts(record):
        start, end = part["start"] - base, part.get("end")
        at: tuple[int | None, int | None] = (None, None)
        if isinstance(end, int) and 0 <= start < end - base <= len(sentence):
            at = shown.span(start, end - base)
        shown_part = {"kind": kind, "start": at[0], "end": at[1], "text": readable(str(part.get("text") or "")),
                      "basis": part.get("basis")}  # fmt: skip
        why = place_reasons(part)
        if why:
            shown_part["why"] = why
        spans.append(shown_part)
    return {"sentence": shown.text, "spans": spans}


def article_view(title: str | None, text: str, spans: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """An article's title and text as shown, with `spans_of` spans mapped into the shown text."""
    shown = display(text)
    mapped = []
    for span in spans:
        start, end = shown.span(span["start"], span["end"])
        mapped.append({**span, "start": start, "end": end})
    return {"title": readable(title) if title else title, "text": shown.text, "spans": mapped}


def labels_view(event: Record) -> dict[str, str | None]:
    """The source, target and size texts of an event as shown (the table's and the panel's labels).

    >>> labels_view({"source": {"text": "حركة &quot;حماس&quot;"}, "size": None})
    {'source': 'حركة "حماس"', 'target': None, 'size': None}
    """
    shown: dict[str, str | None] = {}
    for kind in ("source", "target", "size"):
        part = event.get(kind)
        text = part.get("text") if isinstance(part, dict) else None
        shown[kind] = readable(text) if isinstance(text, str) and text else None
    return shown
