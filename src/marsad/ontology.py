"""PLOVER event types, their quad classes and modes, and the CAMEO-style role codes we use."""

from __future__ import annotations

QUAD_CLASS: dict[str, int] = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip
EVENT_TYPES: tuple[str, ...] = tuple(QUAD_CLASS)

MODES: dict[str, frozenset[str]] = {
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "THREATEN": frozenset({"restrict", "arrest", "relations", "expel", "territory", "violence"}),
    "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset({
        "seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
        "misinformation", "cyber",
    }),
    "ASSAULT": frozenset({
        "abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
        "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
        "unconventional",
    }),
}  # fmt: skip

ROLES: dict[str, str] = {
    "GOV": "government", "MIL": "military", "COP": "police", "JUD": "judiciary",
    "LEG": "legislature", "OPP": "opposition", "REB": "rebels", "UAF": "unidentified armed forces",
    "CRM": "criminals", "CVL": "civilians", "MED": "media", "EDU": "education", "BUS": "business",
    "LAB": "labour", "REL": "religious", "IGO": "intergovernmental organisation",
    "NGO": "non-governmental organisation", "REF": "refugees", "PTY": "political party",
    "SPY": "intelligence", "HLH": "health", "AGR": "agriculture", "ELI": "elites",
    "MOD": "moderates", "RAD": "radicals",
}  # fmt: skip

INTERNATIONAL: frozenset[str] = frozenset({"IGO", "NGO", "IMG"})
# Roles that carry arms: ACLED's armed-actor interactions, and the adjectives of an event that still
# say who did it ("هجوم انتحاري").
ARMED: frozenset[str] = frozenset({"MIL", "COP", "REB", "UAF", "IMG", "SPY"})

# Suppressor entries in trigger files: they win the longest-match contest and emit nothing
# ("ضرب مثلا" is not an assault).
NO_EVENT = "NONE"
