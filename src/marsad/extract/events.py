"""Events: trigger matches in a sentence → typed candidate events with modality.

Longest match wins, so a multi-word pattern can re-type or cancel a generic word
("أطلق سراح" is RETREAT, not the "أطلق" of "أطلق النار"; "ضرب مثلا" is no event at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from marsad.extract.modality import SPORTS_SENSITIVE, Modality, modality
from marsad.lexicon.loader import CueEntry, Lexicon, TriggerEntry
from marsad.lexicon.matcher import Match, compile_pattern, select_longest
from marsad.ontology import NO_EVENT


@dataclass(frozen=True, slots=True)
class Candidate:
    """A trigger occurrence that survived the sports filter, with its modality."""

    trigger: Match[TriggerEntry]
    modality: Modality


def detect(
    lexicon: Lexicon, tokens: Sequence[str], first: int, last: int, cues: Sequence[Match[CueEntry]]
) -> list[Candidate]:
    """Candidate events of the sentence tokens[first:last]."""
    found = select_longest(lexicon.trigger_matcher.find(tokens, first, last))
    out: list[Candidate] = []
    for match in found:
        entry = match.payload
        if entry.event_type == NO_EVENT:
            continue
        key = compile_pattern(entry.pattern)[0]
        mod = modality(match, key, tokens, cues)
        if mod.sports and entry.event_type in SPORTS_SENSITIVE:
            continue
        out.append(Candidate(match, mod))
    return out
