"""What an event's actors do not say themselves, filled from the event (and marked `inferred`).

- A protest's crowd with no sector of its own ("تظاهر الآلاف"، "خرج المحتجون") is civilians (CVL),
  as PLOVER and ACLED code protesters unless the text names a party, union or profession.
- A domestic actor with no country in its words — police, army, government, civilians, parties,
  students ("قوات الأمن"، "المتظاهرون") — takes the country of the place where the event happened
  ("... في بغداد" → IRQ), as annotators and ACLED's "Police Forces of Iraq" do. An actor that
  names a country ("القوات الأمريكية") keeps its own; an event with no place gets nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from marsad.model import Actor, Event, Place

# Sectors whose members act at home: the country of the scene is theirs unless they say otherwise.
DOMESTIC_ROLES = frozenset({"CVL", "COP", "MIL", "GOV", "OPP", "LAB", "EDU", "JUD", "PTY", "BUS", "MED", "REL", "AGR"})
_CROWD_TYPES = frozenset({"PROTEST"})


def _fill(actor: Actor | None, event: Event, crowd: bool) -> Actor | None:
    if actor is None:
        return None
    inferred = list(actor.inferred)
    role, country = actor.role, actor.country
    if role is None and crowd and actor.country is None and actor.name_en is None:
        role = "CVL"
        inferred.append("role")
    place = event.location
    if country is None and role in DOMESTIC_ROLES and place is not None and place.country_iso3:
        country = place.country_iso3
        inferred.append("country")
    if not inferred or tuple(inferred) == actor.inferred:
        return actor
    return replace(actor, role=role, country=country, inferred=tuple(inferred))


def fill_actors(event: Event) -> Event:
    """The event with its source's (and target's) missing role and country inferred."""
    source = _fill(event.source, event, event.event_type in _CROWD_TYPES)
    target = _fill(event.target, event, False)
    if source is event.source and target is event.target:
        return event
    return replace(event, source=source, target=target)


def _overlaps(actor: Actor | None, places: Sequence[Place | None]) -> bool:
    return actor is not None and any(p is not None and p.start < actor.end and actor.start < p.end for p in places)


def drop_place_actors(event: Event, places: Sequence[Place | None]) -> Event:
    """The event without a source or target that is one of its several scene places ("تظاهرات في
    ... والولايات المتحدة وكندا": Canada is where it happened, not to whom). A lone place that
    became the scene for want of another ("طالب مجلس الأمن إيران") stays an actor."""
    if len(places) < 2:
        return event
    source = None if _overlaps(event.source, places) else event.source
    target = None if _overlaps(event.target, places) else event.target
    if source is event.source and target is event.target:
        return event
    return replace(event, source=source, target=target)
