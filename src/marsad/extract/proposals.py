"""Proposals: the lexicon's high-recall stage. Every candidate event of a sentence (a trigger
match with its modality), its source and target by the word-order rules, and the cues the
detector reads (`CandidateView`, `SentenceView`): "the lexicon proposes, the detector decides".
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.extract.actors import (
    VICTIM_KEYS,
    Mention,
    Roles,
    assign,
    inside_name,
    merged_mentions,
    name_spans,
    speakers,
    unknown_source,
)
from marsad.extract.eventive import (
    clause_depth,
    confidence,
    is_anaphoric,
    is_counted,
    names_a_year,
    trigger_form,
)
from marsad.extract.events import Candidate, detect
from marsad.learn.arguments import EventFrame
from marsad.learn.features import CandidateView, SentenceView, frame_positions
from marsad.lexicon.loader import Lexicon
from marsad.lexicon.matcher import select_longest
from marsad.ontology import QUAD_CLASS
from marsad.text.normalize import normalize
from marsad.text.segment import Segmented, Sentence, segment
from marsad.text.tokens import Tokens

# A call addressed to God is a prayer, not a political demand: "ودعا الله أن يحفظ البلاد".
_DIVINE = frozenset({"الله", "لله", "المولي", "ربه", "ربنا", "الباري", "العلي"})


def is_prayer(candidate: Candidate, tokens: Tokens, last: int) -> bool:
    """A REQUEST whose next word names God (دعا الله، سائلا المولى، يدعو ربه)."""
    after = candidate.trigger.last
    return candidate.trigger.payload.event_type == "REQUEST" and after < last and tokens.bare[after] in _DIVINE


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

    tokens: Tokens
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


def _rule_score(candidate: Candidate, form: str, roles: Roles, ctx: _Context) -> float:
    """The hand-weighted confidence of the rules: one feature of the detector among many."""
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
        anaphoric=_anaphoric(roles, ctx, quad),
        instrument=trig.payload.instrument,
    )


def _anaphoric(roles: Roles, ctx: _Context, quad: int) -> bool:
    source = roles.source
    return quad == 4 and source is not None and is_anaphoric(ctx.tokens, source.first, source.role, ctx.counted)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A candidate event the lexicon proposed, with its roles and the cues the detector reads."""

    candidate: Candidate
    roles: Roles  # the word-order rules' choice (a cue of the detector and of the argument ranker)
    view: CandidateView
    frame: EventFrame  # what the argument ranker reads of the event
    mentions: tuple[Mention, ...]  # the sentence's actor mentions


def propose(lexicon: Lexicon, seg: Segmented, sentence: Sentence) -> tuple[SentenceView, list[Proposal]]:
    """Every candidate event of one sentence (the lexicon's high-recall stage), with its cues."""
    tokens, first, last = seg.tokens, sentence.first_token, sentence.last_token
    empty = SentenceView(tokens, first, last, (), ())
    trigger_starts, cue_starts, actor_starts = lexicon.heads.scan(tokens, first, last)
    if not trigger_starts and not cue_starts:
        return empty, []  # no trigger and no protester noun: nothing can be an event
    cues = lexicon.cue_matcher.find(tokens, first, last, cue_starts)
    candidates = detect(lexicon, tokens, first, last, cues, trigger_starts)
    if not candidates:
        return empty, []
    actor_matches = select_longest(lexicon.actor_matcher.find(tokens, first, last, actor_starts))
    # A trigger word inside a name is the name: "سامح شكري" does not thank, "تشاد" does not
    # praise, "قوات الدعم السريع" supports nobody.
    names = name_spans(actor_matches)
    candidates = [
        c
        for c in candidates
        if not inside_name(c.trigger.first, c.trigger.last, names) and not is_prayer(c, tokens, last)
    ]
    if not candidates:
        return empty, []
    found = merged_mentions(actor_matches, tokens)
    reports = [c.last for c in cues if c.payload.kind == "report"]
    ctx = _Context(
        tokens,
        first,
        last,
        found,
        frozenset(speakers(found, reports)),
        is_counted(tokens, first, last),
        names_a_year(tokens, first, last),
    )
    types = tuple(c.trigger.payload.event_type for c in candidates)
    view = SentenceView(tokens, first, last, types, tuple(reports), frame_positions(tokens, first, last))
    proposals: list[Proposal] = []
    spoken = frozenset((m.first, m.last) for m in found if id(m) in ctx.speaking)
    mentioned = tuple(found)
    for candidate in candidates:
        form = trigger_form(tokens, candidate.trigger.first, candidate.key)
        roles = _roles(candidate, form, ctx)
        trig = candidate.trigger
        frame = EventFrame(tokens, first, last, trig.first, trig.last, candidate.key, form,
                           trig.payload.event_type, candidate.key in VICTIM_KEYS, spoken, roles)  # fmt: skip
        proposals.append(Proposal(candidate, roles, _view(candidate, form, roles, ctx), frame, mentioned))
    return view, proposals


def _view(candidate: Candidate, form: str, roles: Roles, ctx: _Context) -> CandidateView:
    """What the detector reads of one candidate: its trigger, form, modality, actors and cues."""
    trig, source, target = candidate.trigger, roles.source, roles.target
    return CandidateView(
        event_type=trig.payload.event_type,
        mode=trig.payload.mode,
        key=candidate.key,
        first=trig.first,
        last=trig.last,
        form=form,
        modality=candidate.modality,
        source_role=source.role if source else None,
        source_kind=source.kind if source else None,
        target_role=target.role if target else None,
        counted=ctx.counted,
        historical=ctx.historical,
        anaphoric=_anaphoric(roles, ctx, QUAD_CLASS[trig.payload.event_type]),
        instrument=trig.payload.instrument,
        depth=clause_depth(ctx.tokens, ctx.first, trig.first),
        rule_score=_rule_score(candidate, form, roles, ctx),
    )


def propose_all(text: str, lexicon: Lexicon) -> list[tuple[Proposal, SentenceView, str]]:
    """Every candidate of a text with its sentence view and the type the coder would emit
    (training and evaluation read candidates through this, exactly as `code_text` sees them)."""
    seg = segment(normalize(text))
    out: list[tuple[Proposal, SentenceView, str]] = []
    for sentence in seg.sentences:
        view, proposals = propose(lexicon, seg, sentence)
        for p in proposals:
            entry = p.candidate.trigger.payload
            out.append((p, view, retype(entry.event_type, entry.mode, p.roles.source)[0]))
    return out
