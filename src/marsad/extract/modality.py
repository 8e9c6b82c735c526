"""Modality: is a trigger negated, hypothetical (future, call, condition), or sports talk?

Cues come from `modality.tsv`; each has a scope relative to the trigger:
`before` (within a small window before it), `after` (just after it) or `sentence`.

    "لم يتظاهر أحد"            → negated
    "دعت النقابة إلى الإضراب"   → the strike is hypothetical (the call itself is a REQUEST)
    "سيتظاهر الطلاب غدا"        → hypothetical (future prefix س)
    "شن الفريق هجوما في المباراة" → sports: not an event
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from marsad.lexicon.loader import CueEntry, TriggerEntry
from marsad.lexicon.matcher import Match
from marsad.text.tokens import Tokens

# How far (in tokens) a cue of each kind reaches towards the trigger.
WINDOW = {"negation": 3, "future": 5, "call": 10, "condition": 10, "reference": 1, "support": 6, "report": 0}
AFTER_WINDOW = 4
# Punctuation a cue's scope does not cross (the call scope crosses commas: "دعت النقابة، ...").
HARD_STOPS = frozenset(".!?؟:;؛")
SOFT_STOPS = frozenset("،,")
# Event types that sports talk imitates ("هجوم", "هاجم", "حاصر المرمى").
SPORTS_SENSITIVE = frozenset({"ASSAULT", "COERCE", "PROTEST", "THREATEN", "MOBILIZE", "SANCTION"})
# Statements about the future made now: a later date after them dates the content, not the act.
FORWARD_LOOKING = frozenset({"REQUEST", "THREATEN", "AGREE", "REJECT"})
_FUTURE_PREFIXES = frozenset(("سي", "ست", "سن", "سا"))


@dataclass(frozen=True, slots=True)
class Modality:
    negated: bool
    hypothetical: bool
    sports: bool
    anchored: bool  # the sentence pins the event in time (أمس، مساء الخميس)
    reference: bool  # the trigger names an event talked about (بتهمة اغتيال، ذكرى التفجير)
    supported: bool  # a light verb reports the noun as done: "نظم وقفة"، "شن هجوما"، "وقع انفجار"
    cues: tuple[str, ...]

    @property
    def factual(self) -> bool:
        return not (self.negated or self.hypothetical)


def _blocked(tokens: Tokens, lo: int, hi: int, kind: str) -> bool:
    stops = HARD_STOPS if kind == "call" else HARD_STOPS | SOFT_STOPS
    return any(tokens[k] in stops for k in range(lo, hi))


def _applies(cue: Match[CueEntry], trigger: Match[TriggerEntry], tokens: Tokens) -> bool:
    entry = cue.payload
    if not set(cue.tokens).isdisjoint(trigger.tokens):
        return False
    if entry.scope == "sentence":
        return True
    if entry.scope == "after":
        if trigger.payload.event_type in FORWARD_LOOKING:
            return False  # "دعت إلى إضراب الأحد المقبل": the call is made now
        gap = cue.first - trigger.last
        return 0 <= gap < AFTER_WINDOW and not _blocked(tokens, trigger.last, cue.first, entry.kind)
    gap = trigger.first - cue.last
    window = WINDOW.get(entry.kind, 3)
    return 0 <= gap <= window and not _blocked(tokens, cue.last, trigger.first, entry.kind)


def has_future_prefix(word: str, key: str) -> bool:
    """`word`, a token's bare form: 'سيتظاهرون' for key 'تظاهر' → True; 'سيطر' for key 'سيطر' → False."""
    return word[:2] in _FUTURE_PREFIXES and not key.startswith("س") and key in word


def modality(trigger: Match[TriggerEntry], key: str, tokens: Tokens, cues: Sequence[Match[CueEntry]]) -> Modality:
    """Decide the modality of one trigger from the cues found in its sentence."""
    kinds: list[str] = []
    for cue in cues:
        if _applies(cue, trigger, tokens):
            kinds.append(cue.payload.kind)
    if has_future_prefix(tokens.bare[trigger.first], key):
        kinds.append("future")
    negated = "negation" in kinds
    hypothetical = any(k in kinds for k in ("future", "call", "condition"))
    return Modality(
        negated,
        hypothetical,
        "sports" in kinds,
        "anchor" in kinds,
        "reference" in kinds,
        "support" in kinds,
        tuple(sorted(set(kinds))),
    )
