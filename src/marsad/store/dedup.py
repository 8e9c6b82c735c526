"""Cross-report deduplication: which coded mentions describe the same real-world event.

Pure and deterministic, shared by the store (incremental: a new mention joins the best existing
event or starts one) and a distributed job (`block_key` partitions, `cluster` inside a block).
The rules, windows and measured figure are in docs/dedup.md. In short, two mentions are the same
event when nothing conflicts — compatible type family, same place or one inside the other, dates
within the precision's window, no clashing known actors — and enough evidence agrees
(`MIN_SCORE`): "تظاهر مئات الخريجين في ساحة التحرير" and "احتج نحو خمسمئة خريج في بغداد" on
the same day are one PROTEST in Baghdad; the same words two days later are another.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

__all__ = [
    "MIN_SCORE",
    "WINDOW_DAYS",
    "MentionKey",
    "best_match",
    "block_key",
    "candidate_window",
    "cluster",
    "date_span",
    "mention_key",
    "same_event",
    "type_family",
]

WINDOW_DAYS: dict[int, int] = {1: 1, 2: 7, 3: 31}
"""Days either side of a mention's date that the same event may be dated, by time precision."""

MIN_SCORE = 0.6
"""Evidence needed to merge: in practice a type, a place and a date that agree."""

NEAR_KM = 25.0
"""Distance within which a place known only near a town (geo precision 2) or unnamed matches."""

LANDMARK_KM = 15.0
"""Distance within which a named site with its own geonameid lies inside a city of the same country."""

# Arrest and abduction are the same act seen from two sides ("اعتقلت" / "اختطفت" الحوثيون ...); a
# raid or crackdown without a mode ("اقتحمت" / "داهمت" / "قمع") is the operation one outlet reports
# and another reports by its arrests ("اقتحموا البلدة" / "اعتقل الجيش ستة").
_DETAIN = frozenset({("COERCE", "arrest"), ("COERCE", None), ("ASSAULT", "abduct")})

# Role classes in the spirit of ACLED's actor types: outlets disagree on the sector inside a
# class ("الشرطة" COP, "الجيش" MIL) but not across classes (police vs rebels). Every other role
# (civilians, students, workers ...) and UAF ("مسلحون مجهولون") constrain nothing: outlets and
# the coder put victims or an unnamed group where another report names the perpetrator.
_ROLE_CLASS: dict[str, str] = {
    **dict.fromkeys(("GOV", "MIL", "COP", "SPY", "JUD", "LEG"), "state"),
    "REB": "rebels",
    "IMG": "international",
    "CRM": "criminals",
    "IGO": "igo",
}

# Score weights: each agreeing piece of evidence adds its weight; conflicts return 0.
_TYPE_SAME_MODE, _TYPE_SAME, _TYPE_FAMILY = 0.25, 0.2, 0.15
_PLACE_SAME, _PLACE_NEAR = 0.35, 0.25
_DATE_SAME, _DATE_NEAR = 0.25, 0.15
_ACTOR_SAME = 0.075


@dataclass(frozen=True, slots=True)
class MentionKey:
    """What deduplication reads from one coded mention (one event record of one article)."""

    mention_id: int
    event_type: str
    mode: str | None
    date: date | None
    time_precision: int | None
    geonameid: int | None
    country_iso3: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geo_precision: int | None
    feature: str | None
    source_country: str | None
    source_role: str | None
    target_country: str | None
    target_role: str | None
    article_id: str | None
    article_source: str | None
    date_basis: str | None = None
    trigger_start: int | None = None  # with article_id: the mention's own span in its article


def _get(record: Mapping[str, Any] | None, name: str) -> Any:
    return record.get(name) if record else None


def mention_key(record: Mapping[str, Any], mention_id: int, article_source: str | None = None) -> MentionKey:
    """The key of an `Event.to_dict()` record; a missing date, place or actor stays None."""
    place, source, target = record.get("location"), record.get("source"), record.get("target")
    raw_date = record.get("date")
    return MentionKey(
        mention_id=mention_id,
        event_type=record["event_type"],
        mode=record.get("mode"),
        date=date.fromisoformat(raw_date[:10]) if raw_date else None,
        time_precision=record.get("time_precision") or (1 if raw_date else None),
        geonameid=_get(place, "geonameid"),
        country_iso3=_get(place, "country_iso3"),
        admin1=_get(place, "admin1"),
        lat=_get(place, "lat"),
        lon=_get(place, "lon"),
        geo_precision=_get(place, "precision"),
        feature=_get(place, "feature"),
        source_country=_get(source, "country"),
        source_role=_get(source, "role"),
        target_country=_get(target, "country"),
        target_role=_get(target, "role"),
        article_id=record.get("article_id"),
        article_source=article_source,
        date_basis=_get(record.get("date_source"), "basis"),
        trigger_start=_get(record.get("evidence"), "trigger_start"),
    )


def type_family(event_type: str, mode: str | None) -> str:
    """The family of types one real event may be coded as by different outlets.

    PROTEST of any mode is one family (a sit-in strike reads as a demonstration, a march as the
    riot it became); COERCE arrest, COERCE without a mode (a raid) and ASSAULT abduct are DETAIN;
    other ASSAULT modes (an explosion, an airstrike, shelling, clashes) and other COERCE modes are
    their own type.

    >>> type_family("ASSAULT", "abduct"), type_family("COERCE", None), type_family("COERCE", "curfew")
    ('DETAIN', 'DETAIN', 'COERCE')
    """
    return "DETAIN" if (event_type, mode) in _DETAIN else event_type


def _window(key: MentionKey) -> int:
    return WINDOW_DAYS.get(key.time_precision or 1, WINDOW_DAYS[3])


def date_span(key: MentionKey) -> tuple[str | None, str | None]:
    """The ISO dates the event may fall between by this mention alone (date ∓ its window).

    The store keeps, per event, the smallest start and largest end over its mentions.
    """
    if key.date is None:
        return None, None
    days = timedelta(days=_window(key))
    return (key.date - days).isoformat(), (key.date + days).isoformat()


def candidate_window(key: MentionKey) -> tuple[str, str | None, str | None]:
    """(type family, date_from, date_to): fetch the events of this family whose date span overlaps.

    Undated mentions (None, None) are compared with undated events of the family only.
    """
    return (type_family(key.event_type, key.mode), *date_span(key))


def block_key(key: MentionKey) -> tuple[str, str | None, str | None]:
    """(type family, country ISO3, ISO week "2024-W11") for partitioning a batch job.

    Events near a week boundary can straddle two blocks; see docs/dedup.md for the second pass.
    """
    week = None
    if key.date is not None:
        iso = key.date.isocalendar()
        week = f"{iso.year}-W{iso.week:02d}"
    return type_family(key.event_type, key.mode), key.country_iso3, week


def _type_score(a: MentionKey, b: MentionKey) -> float:
    if type_family(a.event_type, a.mode) != type_family(b.event_type, b.mode):
        return 0.0
    if a.event_type != b.event_type:
        return _TYPE_FAMILY
    return _TYPE_SAME_MODE if a.mode == b.mode else _TYPE_SAME


def _km(a: MentionKey, b: MentionKey) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _has_coords(a: MentionKey, b: MentionKey) -> bool:
    return None not in (a.lat, a.lon, b.lat, b.lon)


def _located(key: MentionKey) -> bool:
    return key.geonameid is not None or key.country_iso3 is not None or key.lat is not None


def _inside(fine: MentionKey, coarse: MentionKey) -> bool:
    """The finer place lies inside the coarser one: a city in its admin1 region or its country, a
    named site with its own geonameid in a city within LANDMARK_KM ("ميناء الحديدة" in الحديدة)."""
    if fine.feature == "landmark" and coarse.feature == "city":
        return (
            fine.country_iso3 == coarse.country_iso3 and _has_coords(fine, coarse) and _km(fine, coarse) <= LANDMARK_KM
        )
    if coarse.feature == "country":
        return fine.country_iso3 is not None and fine.country_iso3 == coarse.country_iso3
    if coarse.feature == "admin" and fine.feature != "country":
        return fine.country_iso3 == coarse.country_iso3 and fine.admin1 is not None and fine.admin1 == coarse.admin1
    return False


def _near(a: MentionKey, b: MentionKey) -> bool:
    """Coordinates within NEAR_KM, used when a side is only near a town (precision 2) or unnamed."""
    loose = a.geo_precision == 2 or b.geo_precision == 2 or a.geonameid is None or b.geonameid is None
    fine = (a.geo_precision or 3) <= 2 and (b.geo_precision or 3) <= 2
    return loose and fine and _has_coords(a, b) and _km(a, b) <= NEAR_KM


def _place_score(a: MentionKey, b: MentionKey) -> float | None:
    """Weight of place agreement; 0.0 when unknown on a side, None when the places conflict."""
    if not (_located(a) and _located(b)):
        return 0.0
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return _PLACE_SAME
    if a.country_iso3 is not None and b.country_iso3 is not None and a.country_iso3 != b.country_iso3:
        return None
    if a.article_id is not None and a.article_id == b.article_id:
        return None
    if _inside(a, b) or _inside(b, a) or _near(a, b):
        return _PLACE_NEAR
    return None


_PUBLICATION = frozenset({"article_date", "dateline"})


def _after_publication(dated_by_article: MentionKey, other: MentionKey) -> bool:
    """A report dated only by its publication cannot be about an event more than a day later."""
    assert dated_by_article.date is not None and other.date is not None
    return dated_by_article.date_basis in _PUBLICATION and (other.date - dated_by_article.date).days > 1


def _date_score(a: MentionKey, b: MentionKey) -> float | None:
    """Weight of date agreement; None when one side is undated or the dates are too far apart.

    Two day-precise dates read from the text itself must be equal; a date that is only the
    article's or the dateline's may be a day late ("أمس" unresolved).
    """
    if a.date is None or b.date is None:
        return 0.0 if a.date is None and b.date is None else None
    if _after_publication(a, b) or _after_publication(b, a):
        return None
    gap = abs((a.date - b.date).days)
    if gap == 0:
        return _DATE_SAME
    if max(a.time_precision or 1, b.time_precision or 1) == 1 and a.date_basis == b.date_basis == "text":
        return None
    return _DATE_NEAR if gap <= max(_window(a), _window(b)) else None


def _role_class(role: str | None) -> str | None:
    return _ROLE_CLASS.get(role) if role else None


def _side_score(country_a: str | None, role_a: str | None, country_b: str | None, role_b: str | None) -> float | None:
    """Agreement of one side (source or target); None when two known actors clash.

    A civilian's nationality does not identify a crowd ("مؤيدة للفلسطينيين" in Amman), so
    countries clash only when neither side is a known civilian-class role.
    """
    class_a, class_b = _role_class(role_a), _role_class(role_b)
    civilian = (role_a is not None and class_a is None) or (role_b is not None and class_b is None)
    if country_a and country_b and country_a != country_b and not civilian:
        return None
    if class_a and class_b and class_a != class_b:
        return None
    return _ACTOR_SAME if (country_a and country_a == country_b) or (role_a and role_a == role_b) else 0.0


def _actor_score(a: MentionKey, b: MentionKey) -> float | None:
    source = _side_score(a.source_country, a.source_role, b.source_country, b.source_role)
    target = _side_score(a.target_country, a.target_role, b.target_country, b.target_role)
    return None if source is None or target is None else source + target


def _siblings(a: MentionKey, b: MentionKey) -> bool:
    """Two records of one mention of one article: the coder split it on purpose (one record per
    scene place or per actor of another country, as ACLED codes them), so they stay apart."""
    return (
        a.article_id is not None
        and a.article_id == b.article_id
        and a.trigger_start is not None
        and a.trigger_start == b.trigger_start
    )


def same_event(a: MentionKey, b: MentionKey) -> float:
    """How strongly two mentions read as one event: 0.0 on any conflict, else the summed evidence.

    Symmetric; a score of `MIN_SCORE` or more means "merge".
    """
    if _siblings(a, b):
        return 0.0
    parts = (_type_score(a, b), _place_score(a, b), _date_score(a, b), _actor_score(a, b))
    if parts[0] == 0.0 or any(p is None for p in parts):
        return 0.0
    return round(sum(p for p in parts if p is not None), 6)


def _event_score(key: MentionKey, mentions: Sequence[MentionKey]) -> float:
    """Best agreement with any mention, vetoed by a conflict with any other (no chaining)."""
    best = 0.0
    for other in mentions:
        score = same_event(key, other)
        if score == 0.0:
            return 0.0
        best = max(best, score)
    return best


def best_match(key: MentionKey, candidates: Sequence[tuple[int, Sequence[MentionKey]]]) -> int | None:
    """The id of the candidate event this mention joins, or None for a new event.

    Highest score of at least `MIN_SCORE` wins; ties go to the lowest event id.
    """
    best_id: int | None = None
    best = MIN_SCORE
    for event_id, mentions in sorted(candidates, key=lambda c: c[0]):
        score = _event_score(key, mentions)
        if score > best or (score == best and best_id is None):
            best_id, best = event_id, score
    return best_id


def cluster(keys: Sequence[MentionKey]) -> list[list[int]]:
    """Batch deduplication: mention ids grouped into events, exactly as incremental insertion
    in mention_id order would group them; events ordered by their first mention."""
    events: list[list[MentionKey]] = []
    for key in sorted(keys, key=lambda k: k.mention_id):
        family = type_family(key.event_type, key.mode)
        candidates = [
            (index, members)
            for index, members in enumerate(events)
            if type_family(members[0].event_type, members[0].mode) == family
        ]
        match = best_match(key, candidates)
        if match is None:
            events.append([key])
        else:
            events[match].append(key)
    return [[k.mention_id for k in members] for members in events]
