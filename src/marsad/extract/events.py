"""Events: trigger matches in a sentence → typed candidate events with modality.

Longest match wins, so a multi-word pattern can re-type or cancel a generic word
("أطلق سراح" is RETREAT, not the "أطلق" of "أطلق النار"; "ضرب مثلا" is no event at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from marsad.extract.eventive import is_number_word
from marsad.extract.modality import SPORTS_SENSITIVE, Modality, modality
from marsad.lexicon.loader import CueEntry, Lexicon, TriggerEntry
from marsad.lexicon.matcher import Match, compile_pattern, select_longest
from marsad.ontology import NO_EVENT
from marsad.text.segment import PUNCT
from marsad.text.tokens import Tokens


@dataclass(frozen=True, slots=True)
class Candidate:
    """A trigger occurrence that survived the sports filter, with its modality."""

    trigger: Match[TriggerEntry]
    modality: Modality
    key: str  # the lookup key of the trigger's first word ("قتل" for the row قتل)


def detect(
    lexicon: Lexicon,
    tokens: Tokens,
    first: int,
    last: int,
    cues: Sequence[Match[CueEntry]],
    starts: Sequence[tuple[int, tuple[str, ...]]] | None = None,
) -> list[Candidate]:
    """Candidate events of the sentence tokens[first:last] (`starts`: the trigger heads found by
    `Lexicon.heads.scan`, if already scanned)."""
    found = select_longest(lexicon.trigger_matcher.find(tokens, first, last, starts))
    if not any(m.payload.event_type == "PROTEST" for m in found):
        found.extend(m for m in protester_subjects(tokens, first, cues) if not _acted_upon(m, found, tokens))
    out: list[Candidate] = []
    for match in found:
        entry = match.payload
        if entry.event_type == NO_EVENT:
            continue
        key = compile_pattern(entry.pattern)[0].lstrip("=")
        mod = modality(match, key, tokens, cues)
        if mod.sports and entry.event_type in SPORTS_SENSITIVE:
            continue
        out.append(Candidate(match, mod, key))
    return out


# A protester noun this close after a coercion or attack trigger is its object ("أوقفت الشرطة
# عشرين متظاهرا"، "فرقت الشرطة آلاف المتظاهرين"), not the subject of a protest.
_OBJECT_REACH = 6


def _acted_upon(protesters: Match[TriggerEntry], found: Sequence[Match[TriggerEntry]], tokens: Tokens) -> bool:
    for trigger in found:
        gap = protesters.first - trigger.last
        if (
            trigger.payload.event_type in ("COERCE", "ASSAULT")
            and 0 <= gap <= _OBJECT_REACH
            and not any(tokens[k] in PUNCT for k in range(trigger.last, protesters.first))
        ):
            return True
    return False


def protester_subjects(tokens: Tokens, first: int, cues: Sequence[Match[CueEntry]]) -> list[Match[TriggerEntry]]:
    """Protesters as the subject of a clause report a protest: "ساروا ... متظاهرو", "ندد 125 ألف
    متظاهر", "واشتبك متظاهرون مع الجيش". Subject means nominative (المتظاهرون، متظاهرو) or counted
    (آلاف المتظاهرين، 3000 متظاهر); "فرقت الشرطة المتظاهرين" (object) reports no protest.
    """
    out: list[Match[TriggerEntry]] = []
    for cue in cues:
        entry = cue.payload
        if entry.kind != "protester":
            continue
        word = tokens.bare[cue.first]
        counted = cue.first > first and (tokens[cue.first - 1].isdigit() or is_number_word(tokens.bare[cue.first - 1]))
        if word.endswith(("ون", "و")) or counted:
            trigger = TriggerEntry(
                "PROTEST", "demo", entry.cue, "protesters (subject of a clause)", entry.example, entry.where
            )
            out.append(Match(trigger, cue.first, cue.last, cue.tokens, cue.length, cue.rank, cue.literal))
    return out
