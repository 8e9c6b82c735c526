"""The coder: article text → list of `Event`, composing the pure stages.

normalize → segment → (per sentence) triggers, modality cues, actor mentions → events.
Resources come from `default_lexicon()`, built once per process.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.extract.actors import VICTIM_KEYS, Mention, Roles, assign, mentions, speakers, unknown_source
from marsad.extract.eventive import (
    MIN_CONFIDENCE,
    clause_depth,
    confidence,
    is_anaphoric,
    is_counted,
    names_a_year,
    trigger_form,
)
from marsad.extract.events import Candidate, detect
from marsad.lexicon.loader import Lexicon, default_lexicon
from marsad.model import Actor, Event, Evidence
from marsad.ontology import QUAD_CLASS
from marsad.text.normalize import normalize
from marsad.text.segment import Segmented, Sentence, segment


def _actor(seg: Segmented, mention: Mention | None) -> Actor | None:
    if mention is None:
        return None
    start, end = seg.norm.orig_span(seg.starts[mention.first], seg.ends[mention.last - 1])
    return Actor(seg.norm.original[start:end], start, end, mention.country, mention.role, mention.name_en)


# Burning, smashing and stone-throwing by protesters or civilians is a riot (PLOVER PROTEST
# riot), not an assault: "أضرم المحتجون النار في الإطارات".
_RIOT_MODES = frozenset({"primitive", "destroy"})


def retype(event_type: str, mode: str | None, source: Mention | None) -> tuple[str, str | None]:
    """PLOVER's reading of violence by civilians: ASSAULT primitive/destroy by CVL → PROTEST riot."""
    if event_type == "ASSAULT" and mode in _RIOT_MODES and source is not None and source.role == "CVL":
        return "PROTEST", "riot"
    return event_type, mode


@dataclass(frozen=True, slots=True)
class _Context:
    """What one sentence offers every trigger in it: tokens, actors, and sentence-wide cues."""

    tokens: tuple[str, ...]
    first: int
    last: int
    found: list[Mention]
    speaking: frozenset[int]
    counted: bool
    historical: bool


def _roles(candidate: Candidate, form: str, ctx: _Context) -> Roles:
    trig = candidate.trigger
    roles = assign(
        trig.first,
        trig.last,
        ctx.tokens,
        ctx.found,
        victim_trigger=candidate.key in VICTIM_KEYS,
        speaking=ctx.speaking,
        subject_before=form == "noun" and candidate.modality.supported,
    )
    if roles.source is None and form != "noun":
        return Roles(unknown_source(ctx.tokens, trig.last, ctx.last), roles.target)
    return roles


def _score(candidate: Candidate, form: str, roles: Roles, ctx: _Context) -> float:
    trig = candidate.trigger
    quad = QUAD_CLASS[trig.payload.event_type]
    source = roles.source
    return confidence(
        form=form,
        mod=candidate.modality,
        counted=ctx.counted,
        has_source=source is not None and (source.kind != "unknown" or source.role is not None),
        multiword=trig.length > 1,
        historical=ctx.historical,
        depth=clause_depth(ctx.tokens, ctx.first, trig.first),
        statement=quad in (1, 3),
        anaphoric=quad == 4 and source is not None and is_anaphoric(ctx.tokens, source.first, source.role, ctx.counted),
        instrument=trig.payload.instrument,
    )


def _event(
    seg: Segmented,
    evidence_span: tuple[int, int],
    candidate: Candidate,
    roles: Roles,
    score: float,
    article_id: str | None,
) -> Event:
    trig, entry, original = candidate.trigger, candidate.trigger.payload, seg.norm.original
    s_start, s_end = evidence_span
    t_start, t_end = seg.norm.orig_span(seg.starts[trig.first], seg.ends[trig.last - 1])
    event_type, mode = retype(entry.event_type, entry.mode, roles.source)
    return Event(
        article_id=article_id,
        event_type=event_type,
        mode=mode,
        quad_class=QUAD_CLASS[event_type],
        source=_actor(seg, roles.source),
        target=_actor(seg, roles.target),
        evidence=Evidence(original[s_start:s_end], s_start, s_end, original[t_start:t_end], t_start, t_end),
        negated=candidate.modality.negated,
        hypothetical=candidate.modality.hypothetical,
        confidence=score,
        trigger_gloss=entry.gloss_en,
    )


def _events_of_sentence(
    lexicon: Lexicon, seg: Segmented, sentence: Sentence, article_id: str | None, min_confidence: float
) -> list[Event]:
    tokens, first, last = seg.tokens, sentence.first_token, sentence.last_token
    cues = lexicon.cue_matcher.find(tokens, first, last)
    candidates = detect(lexicon, tokens, first, last, cues)
    if not candidates:
        return []
    found = mentions(lexicon.actor_matcher.find(tokens, first, last), tokens)
    ctx = _Context(
        tokens,
        first,
        last,
        found,
        frozenset(speakers(found, [c.last for c in cues if c.payload.kind == "report"])),
        is_counted(tokens, first, last),
        names_a_year(tokens, first, last),
    )
    evidence_span = seg.norm.orig_span(sentence.start, sentence.end)
    events: list[Event] = []
    for candidate in candidates:
        form = trigger_form(tokens, candidate.trigger.first, candidate.key)
        roles = _roles(candidate, form, ctx)
        score = _score(candidate, form, roles, ctx)
        if score >= min_confidence or not candidate.modality.factual:
            events.append(_event(seg, evidence_span, candidate, roles, score, article_id))
    return events


def code_text(
    text: str,
    *,
    article_id: str | None = None,
    lexicon: Lexicon | None = None,
    min_confidence: float = MIN_CONFIDENCE,
) -> list[Event]:
    """Code one article's text into event mentions (all offsets index `text`).

    Mentions scoring below `min_confidence` (events only named, not reported) are left out;
    pass 0 to see every trigger the lexicon found.
    """
    lex = lexicon or default_lexicon()
    seg = segment(normalize(text))
    events: list[Event] = []
    for sentence in seg.sentences:
        events.extend(_events_of_sentence(lex, seg, sentence, article_id, min_confidence))
    return events
