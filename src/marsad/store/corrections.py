"""What a reviewer may send: verdicts, rejection reasons and corrections, validated before a write."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from marsad.errors import UsageError
from marsad.ontology import EVENT_TYPES, MODES, ROLES

VERDICTS = ("confirmed", "corrected", "rejected")
STATUSES = ("unreviewed", *VERDICTS)
# reason code → what the reviewer picks (rejections only)
REASONS: dict[str, str] = {
    "not-reported": "not reported news",
    "wrong-type": "wrong type",
    "duplicate": "duplicate",
    "not-political": "not political",
}
FIELDS = ("event_type", "mode", "source", "target", "location", "date", "size", "fatalities")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_ISO3 = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class ReviewIn:
    """What a reviewer decided about one event. `changes` maps FIELDS to new values (corrections);
    `mention_id` picks the evidence span the review anchors on (default: the event's first mention)."""

    reviewer: str
    verdict: str
    reason: str | None = None
    changes: Mapping[str, Any] = field(default_factory=dict)
    mention_id: int | None = None


def _quantity(value: Any, name: str) -> dict[str, int | None] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise UsageError(f'{name}: give {{"min": n, "max": n}} or null')
    low, high = value.get("min"), value.get("max", value.get("min"))
    for n in (low, high):
        if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 0):
            raise UsageError(f"{name}: min and max must be whole numbers, 0 or more")
    if low is not None and high is not None and low > high:
        raise UsageError(f"{name}: min {low} is more than max {high}")
    return {"min": low, "max": high}


def _actor(value: Any, name: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not str(value.get("text") or "").strip():
        raise UsageError(f'{name}: give {{"text": ..., "country": ISO3, "role": code}} or null')
    country, role = value.get("country") or None, value.get("role") or None
    if country is not None and not _ISO3.fullmatch(str(country)):
        raise UsageError(f"{name}.country {country!r} is not an ISO3 code")
    if role is not None and role not in ROLES:
        raise UsageError(f"{name}.role {role!r} is not one of {', '.join(ROLES)}")
    actor = {"text": str(value["text"]).strip()[:200], "country": country, "role": role}
    for offset in ("start", "end"):
        if isinstance(value.get(offset), int):
            actor[offset] = value[offset]
    return actor


def _place(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not (value.get("name_en") or value.get("name_ar")):
        raise UsageError("location: give a gazetteer place ({name_en, name_ar, geonameid, lat, lon, country_iso3})")
    keys = ("name_en", "name_ar", "geonameid", "lat", "lon", "country_iso3", "admin1", "precision")
    return {k: value.get(k) for k in keys}


def check_changes(event_type: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validated corrections (unknown fields, types, modes, codes and dates refused with the fix)."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise UsageError(f"cannot correct {', '.join(sorted(unknown))}; correctable fields: {', '.join(FIELDS)}")
    out: dict[str, Any] = {}
    new_type = changes.get("event_type", event_type)
    if new_type not in EVENT_TYPES:
        raise UsageError(f"event_type {new_type!r} is not a PLOVER type")
    for name, value in changes.items():
        if name == "event_type":
            out[name] = value
        elif name == "mode":
            if value is not None and value not in MODES.get(new_type, frozenset()):
                raise UsageError(f"mode {value!r} is not a mode of {new_type}")
            out[name] = value
        elif name in ("source", "target"):
            out[name] = _actor(value, name)
        elif name == "location":
            out[name] = _place(value)
        elif name == "date":
            if value is not None and not (isinstance(value, str) and _DATE.fullmatch(value)):
                raise UsageError(f"date {value!r}: write YYYY-MM-DD")
            out[name] = value
        else:
            out[name] = _quantity(value, name)
    return out


def check_review(review: ReviewIn, event_type: str) -> dict[str, Any]:
    """The review's validated changes; refuse a verdict/reason/changes combination that makes no sense."""
    if review.verdict not in VERDICTS:
        raise UsageError(f"verdict {review.verdict!r} is not one of {', '.join(VERDICTS)}")
    if not review.reviewer.strip():
        raise UsageError("a review needs a reviewer name")
    if review.verdict == "rejected" and review.reason not in REASONS:
        raise UsageError(f"a rejection needs a reason: one of {', '.join(REASONS)}")
    if review.verdict != "rejected" and review.reason is not None:
        raise UsageError("only a rejection takes a reason")
    if review.verdict == "corrected" and not review.changes:
        raise UsageError("a correction needs at least one changed field")
    if review.verdict != "corrected" and review.changes:
        raise UsageError("only a correction changes fields; send verdict 'corrected'")
    return check_changes(event_type, review.changes)
