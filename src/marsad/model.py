"""The records Marsad produces: frozen dataclasses and their JSON form.

`schema/event.schema.json` describes `Event.to_dict()`; `marsad schema` prints it and a test
checks that every emitted record validates against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Article:
    """One input article. `text` is the original text all offsets index."""

    id: str
    text: str
    date: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """A source or target: `text == article.text[start:end]`.

    `country` is ISO 3166-1 alpha-3 (or IGO/NGO/IMG), `role` a CAMEO-style sector code;
    `name_en` is the English name when the lexicon knows the actor, else None. `inferred` names
    the fields the span itself does not say: "country" (a domestic actor — police, army,
    government, civilians ... — takes the country of the event's place), "role" (a protest's
    crowd with no sector of its own is civilians, CVL).
    """

    text: str
    start: int
    end: int
    country: str | None
    role: str | None
    name_en: str | None
    inferred: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "country": self.country,
            "role": self.role,
            "name_en": self.name_en,
            "start": self.start,
            "end": self.end,
            "inferred": list(self.inferred),
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence an event was read from and the trigger inside it (original offsets)."""

    sentence: str
    start: int
    end: int
    trigger: str
    trigger_start: int
    trigger_end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "trigger": self.trigger,
            "trigger_start": self.trigger_start,
            "trigger_end": self.trigger_end,
        }


@dataclass(frozen=True, slots=True)
class Place:
    """Where an event happened: a gazetteer entry and the text that named it.

    `precision` follows ACLED's geo_precision: 1 = the town itself, 2 = part of a region or a
    nearby town, 3 = only the region or the country. `feature` is country / admin / city /
    landmark. `basis` says where the place came from: "sentence" (named in the event's sentence),
    "paragraph" or "dateline" (inherited), "article" (the article's main place).
    `resolved_by` says why this gazetteer entry was read from the name (`extract.places.resolution`:
    unique, diacritics, qualifier, cue, sentence, article, whole-word, prominence) and `chosen_by` why this
    place of the sentence is the event's scene (`extract.scene`: only, locative, opening, nearest,
    not-region, not-object, not-relative, refined, listed, object, learned; none-here on an inherited
    place when the sentence's places were judged not the scene); null when not decided here (an inherited place
    has no `chosen_by`). `text`/`start`/`end` always slice the original article text.
    """

    text: str
    start: int
    end: int
    name_ar: str
    name_en: str
    geonameid: int | None
    country_iso2: str | None
    country_iso3: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: int
    feature: str
    basis: str = "sentence"
    resolved_by: str | None = None
    chosen_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "name_ar": self.name_ar,
            "name_en": self.name_en,
            "geonameid": self.geonameid,
            "country_iso2": self.country_iso2,
            "country_iso3": self.country_iso3,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision,
            "feature": self.feature,
            "basis": self.basis,
            "resolved_by": self.resolved_by,
            "chosen_by": self.chosen_by,
        }


@dataclass(frozen=True, slots=True)
class When:
    """When an event happened: an ISO date, ACLED's time precision and the text it came from.

    `time_precision`: 1 = the day, 2 = the week, 3 = the month. `basis` is "text" (a date
    expression in the article, `text`/`start`/`end` slice the original), "dateline" (the
    article's dateline) or "article_date" (the input record's date; no span).
    """

    date: str
    time_precision: int
    text: str | None
    start: int | None
    end: int | None
    basis: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "basis": self.basis}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A count read from the text (crowd size, fatalities, injuries) as a range.

    An exact figure has `min == max`; vague ones follow the conventions in docs/quantities.md
    (e.g. "المئات" → 200–999). `max` is None when the text gives only a lower bound.
    """

    text: str
    start: int
    end: int
    min: int
    max: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "min": self.min, "max": self.max}


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event mention (PLOVER type and mode, actors, evidence, modality flags)."""

    article_id: str | None
    event_type: str
    mode: str | None
    quad_class: int
    source: Actor | None
    target: Actor | None
    evidence: Evidence
    negated: bool
    hypothetical: bool
    confidence: float
    trigger_gloss: str
    location: Place | None = None
    when: When | None = None
    size: Quantity | None = None
    fatalities: Quantity | None = None
    injuries: Quantity | None = None

    @property
    def factual(self) -> bool:
        """True when the event is reported as having happened (not negated, not hypothetical)."""
        return not (self.negated or self.hypothetical)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "event_type": self.event_type,
            "mode": self.mode,
            "quad_class": self.quad_class,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "location": self.location.to_dict() if self.location else None,
            "date": self.when.date if self.when else None,
            "time_precision": self.when.time_precision if self.when else None,
            "date_source": self.when.to_dict() if self.when else None,
            "size": self.size.to_dict() if self.size else None,
            "fatalities": self.fatalities.to_dict() if self.fatalities else None,
            "injuries": self.injuries.to_dict() if self.injuries else None,
            "evidence": self.evidence.to_dict(),
            "trigger_gloss": self.trigger_gloss,
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "confidence": self.confidence,
        }
