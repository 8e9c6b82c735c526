"""Features of a candidate event: what a linguist would look at to tell a report from a mention.

The lexicon proposes candidates; for each one this module lists named, string-valued features
(the rules' cues, the trigger's form and key, the words around it and in its clause, frame words
such as قضية/ذكرى/التحقيق and where they stand, the other triggers of the sentence, its length,
word n-grams). The sentence's position in its article is not a feature: the gold's sentences come
from documents whose structure real articles do not share, and with it the cross-validated
PROTEST F1 was 0.025 lower. `hashed()` turns them into indices of a fixed-size weight vector, so a
model is a plain array and inference is a sum (learn/detector.py).

    "وتظاهر مئات العمال أمام الوزارة أمس" → T=PROTEST, form=past, k=تظاهر, frame=time:after, ...
    "بدأت محاكمة المتهمين بتفجير السوق"   → T=ASSAULT, form=noun, frame=trial:before, w-1=متهمين ...
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from marsad.extract.eventive import CLAUSE_OPENERS
from marsad.extract.modality import Modality
from marsad.lexicon.loader import StemKinds
from marsad.text.tokens import Tokens, analyse

# Bump when the features change: a model trained on other features is refused (learn/detector.py).
FEATURE_VERSION = 1
HASH_BITS = 18
_PUNCT = frozenset(".!?؟:;؛،,\"'«»()[]-–—")
# The rules' clause openers, and the time and relative words that also start a clause here.
_CLAUSE_OPENERS = CLAUSE_OPENERS | {"بعدما", "عندما", "حين", "الذي", "التي", "الذين"}
_WINDOW = 3
_CLAUSE_REACH = 12
_CHAR_REACH = 6  # words on each side of the trigger whose character 4-grams are features


@dataclass(frozen=True, slots=True)
class SentenceView:
    """What a sentence offers every candidate in it (token coordinates index `tokens`)."""

    tokens: Tokens
    first: int
    last: int
    types: tuple[str, ...]  # the event types of all candidates in the sentence
    speech: tuple[int, ...]  # token positions of reporting cues (قال، أفاد ...)
    frames: tuple[tuple[int, str], ...] = ()  # (token position, frame kind): `frame_positions`


@dataclass(frozen=True, slots=True)
class CandidateView:
    """One candidate event with the rules' cues (computed by the pipeline)."""

    event_type: str
    mode: str | None
    key: str
    first: int
    last: int
    form: str
    modality: Modality
    source_role: str | None
    source_kind: str | None
    target_role: str | None
    counted: bool
    historical: bool
    anaphoric: bool
    instrument: bool
    depth: int
    rule_score: float


FRAMES = StemKinds("frames.tsv", "kind")


def word_key(token: str) -> str:
    """A token as a feature word: without و/ف and the article ("والحكومة" → "حكومه"); the token
    table's `word` column, for a token read outside a table."""
    return analyse(token).word


class _TokenNames(NamedTuple):
    """The feature names a token contributes wherever it stands, built once per distinct token."""

    word: str
    before: tuple[str, ...]  # as the word k tokens before the trigger: "w-1=…", "w-2=…", "w-3=…"
    after: tuple[str, ...]  # "w+1=…" …
    clause: str  # "cw=…"
    unigram: str  # "u=…"
    surface: str  # "surface=…" (the trigger's first token)
    opener: str  # "opener=…" (the word before the trigger's clause)
    chars: tuple[str, ...]  # "cc=…" character 4-grams of "<word>"


@lru_cache(maxsize=262_144)
def _names(token: str) -> _TokenNames:
    plain, word, _ = analyse(token)
    padded = f"<{word}>"
    return _TokenNames(
        word,
        tuple(f"w-{k}={word}" for k in range(1, _WINDOW + 1)),
        tuple(f"w+{k}={word}" for k in range(1, _WINDOW + 1)),
        f"cw={word}",
        f"u={word}",
        f"surface={plain}",
        f"opener={plain}",
        tuple(f"cc={padded[i : i + 4]}" for i in range(len(padded) - 3)),
    )


def frame_positions(tokens: Tokens, first: int, last: int) -> tuple[tuple[int, str], ...]:
    """The frame words of a sentence: (token position, kind), computed once per sentence."""
    return tuple((k, kind) for k in range(first, last) if (kind := FRAMES.kind_of(tokens[k])) is not None)


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _clause(tokens: Tokens, first: int, last: int, at: int, end: int) -> tuple[int, int]:
    """The trigger's clause: back to a clause opener or punctuation, forward to the next one."""
    lo = at
    while lo > first and at - lo < _CLAUSE_REACH:
        if tokens[lo - 1] in _PUNCT or tokens.bare[lo - 1] in _CLAUSE_OPENERS:
            break
        lo -= 1
    hi = end
    while hi < last and hi - end < _CLAUSE_REACH:
        if tokens[hi] in _PUNCT or tokens.bare[hi] in _CLAUSE_OPENERS:
            break
        hi += 1
    return lo, hi


def _cue_features(c: CandidateView) -> list[str]:
    m = c.modality
    t = c.event_type
    out = [
        "bias",
        f"T={t}",
        f"T={t}|m={c.mode}",
        f"form={c.form}",
        f"T={t}|form={c.form}",
        f"k={c.key}",
        f"T={t}|k={c.key}",
        f"rule={round(c.rule_score, 1)}",
        f"depth={_bucket(c.depth, (0, 2, 5, 10, 15))}",
        f"src={c.source_kind}:{c.source_role}",
        f"T={t}|src={c.source_role}",
        f"tgt={c.target_role}",
    ]
    flags = {
        "neg": m.negated,
        "hyp": m.hypothetical,
        "sports": m.sports,
        "anchored": m.anchored,
        "ref": m.reference,
        "supported": m.supported,
        "counted": c.counted,
        "historical": c.historical,
        "anaphoric": c.anaphoric,
        "instrument": c.instrument,
        "multiword": c.last - c.first > 1,
    }
    out.extend(f"{name}" for name, on in flags.items() if on)
    out.extend(f"T={t}|{name}" for name, on in flags.items() if on)
    out.extend(f"cue={cue}" for cue in m.cues)
    return out


def _context_features(c: CandidateView, s: SentenceView) -> list[str]:
    tokens, t = s.tokens, c.event_type
    out: list[str] = []
    for k in range(1, _WINDOW + 1):
        if c.first - k >= s.first:
            out.append(_names(tokens[c.first - k]).before[k - 1])
        if c.last - 1 + k < s.last:
            out.append(_names(tokens[c.last - 1 + k]).after[k - 1])
    if c.first > s.first:
        out.append(f"T={t}|w-1={_names(tokens[c.first - 1]).word}")
    out.append(_names(tokens[c.first]).surface)
    lo, hi = _clause(tokens, s.first, s.last, c.first, c.last)
    out.extend(_names(tokens[k]).clause for k in range(lo, hi) if not c.first <= k < c.last)
    if lo > s.first:
        out.append(_names(tokens[lo - 1]).opener)
    for k, kind in s.frames:
        if c.first <= k < c.last:
            continue
        side = "before" if k < c.first else "after"
        near = "near" if lo <= k < hi else "far"
        out.extend((f"frame={kind}", f"frame={kind}:{side}:{near}", f"T={t}|frame={kind}:{side}"))
    for k in range(max(s.first, c.first - _CHAR_REACH), min(s.last, c.last + _CHAR_REACH)):
        out.extend(_names(tokens[k]).chars)
    others = sorted(set(s.types) - {t})
    out.extend(f"other={o}" for o in others)
    out.append(f"ncand={_bucket(len(s.types), (1, 2, 4))}")
    out.append(f"len={_bucket(s.last - s.first, (8, 15, 25, 40))}")
    out.append(f"at={_bucket(c.first - s.first, (0, 2, 5, 10, 20))}")
    if any(p < c.first for p in s.speech):
        out.append("speech:before")
    if any(p >= c.last for p in s.speech):
        out.append("speech:after")
    return out


def sentence_features(s: SentenceView) -> list[str]:
    """The features every candidate of the sentence shares: its word unigrams and bigrams."""
    names = [_names(token) for token in s.tokens[s.first : s.last] if token not in _PUNCT]
    out = [n.unigram for n in names]
    out.extend(f"b={a.word}_{b.word}" for a, b in pairwise(names))
    return out


def candidate_features(c: CandidateView, s: SentenceView) -> list[str]:
    """The features of one candidate that depend on the candidate itself."""
    return _cue_features(c) + _context_features(c, s)


def features(c: CandidateView, s: SentenceView) -> list[str]:
    """All named features of one candidate (order irrelevant, duplicates counted once)."""
    return candidate_features(c, s) + sentence_features(s)


def index_set(names: Sequence[str], bits: int = HASH_BITS) -> set[int]:
    """The distinct indices of the features in a 2**bits vector (CRC-32: stable across processes;
    measured faster than remembering each name's CRC)."""
    mask = (1 << bits) - 1
    crc = zlib.crc32
    return {crc(name.encode("utf-8")) & mask for name in names}


def hashed(names: Sequence[str], bits: int = HASH_BITS) -> list[int]:
    """`index_set` as a sorted list."""
    return sorted(index_set(names, bits))
