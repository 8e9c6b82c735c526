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
    `name_en` is the English name when the lexicon knows the actor, else None.
    """

    text: str
    start: int
    end: int
    country: str | None
    role: str | None
    name_en: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "country": self.country,
            "role": self.role,
            "name_en": self.name_en,
            "start": self.start,
            "end": self.end,
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
            "evidence": self.evidence.to_dict(),
            "trigger_gloss": self.trigger_gloss,
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "confidence": self.confidence,
        }
