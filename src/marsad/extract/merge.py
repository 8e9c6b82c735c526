"""One event per sentence and type: mentions that tell the same event are merged.

News packs one event into several triggers: "أصيب 13 شخصا بعدما نفذت القوات الأميركية ضربة
جوية" has a wounding and an airstrike, one ASSAULT. Coding them as two events would double the
count and leave the wounding without its actor. Mentions of one sentence are merged when they
have the same type and modality and nothing sets them apart: different known source countries
or roles, or different places, keep two events ("قتل ثلاثة في بغداد وانفجرت عبوة في البصرة").

The merged event keeps the evidence and the source of its first mention (news names the event
and its agent first) and takes each missing field (mode, target, place, date, counts) from the
other mentions in sentence order. The source is not borrowed: the subject of a second trigger is
often its victim ("ثلاثة جنود قتلوا ... في هجوم شنه مسلحون"), and borrowing it lowered
source-actor accuracy on the dev gold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from marsad.model import Actor, Event, Place


def _actors_clash(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None:
        return False
    if a.country and b.country and a.country != b.country:
        return True
    return bool(a.role and b.role and a.role != b.role and a.country != b.country)


def _places_clash(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None or a.basis != "sentence" or b.basis != "sentence":
        return False
    if a.geonameid == b.geonameid:
        return False
    # A city and its own country (or region) are the same scene at two precisions.
    return a.precision == b.precision or a.country_iso3 != b.country_iso3


def compatible(a: Event, b: Event) -> bool:
    """Same type and modality, and no clash of source, target or place."""
    return (
        a.event_type == b.event_type
        and a.negated == b.negated
        and a.hypothetical == b.hypothetical
        and (a.mode is None or b.mode is None or a.mode == b.mode)
        and not _actors_clash(a.source, b.source)
        and not _actors_clash(a.target, b.target)
        and not _places_clash(a.location, b.location)
    )


def _better_place(current: Place | None, other: Place | None) -> Place | None:
    if current is None or (other is not None and other.precision < current.precision):
        return other
    return current


def _absorb(main: Event, other: Event) -> Event:
    return replace(
        main,
        mode=main.mode or other.mode,
        target=main.target or other.target,
        location=_better_place(main.location, other.location),
        when=main.when if main.when is not None and main.when.basis == "text" else other.when or main.when,
        size=main.size or other.size,
        fatalities=main.fatalities or other.fatalities,
        injuries=main.injuries or other.injuries,
        confidence=max(main.confidence, other.confidence),
    )


# Two triggers of one type this close (in characters) are one phrase: "تفجير سيارة مفخخة".
ADJACENT = 12


def _share_modality(events: Sequence[Event]) -> list[Event]:
    """A trigger right after another of the same type is part of its phrase and takes its
    modality: in "أحبط الجيش محاولة تفجير سيارة مفخخة" the car bomb was foiled too."""
    out = list(events)
    for j in range(1, len(out)):
        for i in range(j - 1, -1, -1):
            a, b = out[i], out[j]
            gap = b.evidence.trigger_start - a.evidence.trigger_end
            if a.event_type == b.event_type and 0 <= gap <= ADJACENT:
                out[j] = replace(b, negated=a.negated, hypothetical=a.hypothetical)
                break
    return out


def merge_sentence_events(events: Sequence[Event]) -> list[Event]:
    """Merge the compatible mentions of one sentence (order of first mention kept).

    Greedy and deterministic: each mention joins the first group it is compatible with every
    member of; the group's first mention is the main one.
    """
    events = _share_modality(events)
    groups: list[list[int]] = []
    for i, event in enumerate(events):
        for group in groups:
            if all(compatible(events[j], event) for j in group):
                group.append(i)
                break
        else:
            groups.append([i])
    merged: list[Event] = []
    for group in groups:
        result = events[group[0]]
        for j in group[1:]:
            result = _absorb(result, events[j])
        merged.append(result)
    return merged
