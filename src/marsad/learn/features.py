"""Features of a candidate event: what a linguist would look at to tell a report from a mention.

The lexicon proposes candidates; for each one this module lists named, string-valued features
(the rules' cues, the trigger's form and key, the words around it and in its clause, frame words
such as قضية/ذكرى/التحقيق and where they stand, the other triggers of the sentence, its position
and length, word n-grams). `hashed()` turns them into indices of a fixed-size weight vector, so a
model is a plain array and inference is a sum (learn/detector.py).

    "وتظاهر مئات العمال أمام الوزارة أمس" → T=PROTEST, form=past, k=تظاهر, frame=time:after, ...
    "بدأت محاكمة المتهمين بتفجير السوق"   → T=ASSAULT, form=noun, frame=trial:before, w-1=متهمين ...
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from marsad.extract.modality import Modality
from marsad.lexicon.loader import data_dir, read_tsv
from marsad.text.morph import bare, lemma_key, stem_keys

# Bump when the features change: a model trained on other features is refused (learn/detector.py).
FEATURE_VERSION = 1
HASH_BITS = 18
_PUNCT = frozenset(".!?؟:;؛،,\"'«»()[]-–—")
_CLAUSE_OPENERS = frozenset(
    {"حيث", "اذ", "فيما", "بينما", "كما", "ثم", "بعدما", "عندما", "حين", "الذي", "التي", "الذين"}
)
_WINDOW = 3
_CLAUSE_REACH = 12
_CHAR_REACH = 6  # words on each side of the trigger whose character 4-grams are features


@dataclass(frozen=True, slots=True)
class SentenceView:
    """What a sentence offers every candidate in it (token coordinates index `tokens`)."""

    tokens: tuple[str, ...]
    first: int
    last: int
    index: int  # the sentence's position in its article (0 = lead)
    types: tuple[str, ...]  # the event types of all candidates in the sentence
    speech: tuple[int, ...]  # token positions of reporting cues (قال، أفاد ...)


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


@cache
def frame_index() -> dict[str, str]:
    """Light stem → frame kind, from lexicon/data/frames.tsv (read once per process)."""
    index: dict[str, str] = {}
    for _, row in read_tsv(data_dir() / "frames.tsv", ("kind", "key", "gloss_en", "example")):
        index.setdefault(row["key"], row["kind"])
    return index


def _word(token: str) -> str:
    return lemma_key(bare(token))


def _frames(token: str, index: dict[str, str]) -> str | None:
    word = bare(token)
    if word in index:
        return index[word]
    for key in stem_keys(token):
        if key in index:
            return index[key]
    return None


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _clause(tokens: Sequence[str], first: int, last: int, at: int, end: int) -> tuple[int, int]:
    """The trigger's clause: back to a clause opener or punctuation, forward to the next one."""
    lo = at
    while lo > first and at - lo < _CLAUSE_REACH:
        token = tokens[lo - 1]
        if token in _PUNCT or bare(token) in _CLAUSE_OPENERS:
            break
        lo -= 1
    hi = end
    while hi < last and hi - end < _CLAUSE_REACH:
        token = tokens[hi]
        if token in _PUNCT or bare(token) in _CLAUSE_OPENERS:
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
            out.append(f"w-{k}={_word(tokens[c.first - k])}")
        if c.last - 1 + k < s.last:
            out.append(f"w+{k}={_word(tokens[c.last - 1 + k])}")
    if c.first > s.first:
        out.append(f"T={t}|w-1={_word(tokens[c.first - 1])}")
    out.append(f"surface={bare(tokens[c.first])}")
    lo, hi = _clause(tokens, s.first, s.last, c.first, c.last)
    out.extend(f"cw={_word(tokens[k])}" for k in range(lo, hi) if not c.first <= k < c.last)
    if lo > s.first:
        out.append(f"opener={bare(tokens[lo - 1])}")
    index = frame_index()
    for k in range(s.first, s.last):
        if c.first <= k < c.last:
            continue
        kind = _frames(tokens[k], index)
        if kind is None:
            continue
        side = "before" if k < c.first else "after"
        near = "near" if lo <= k < hi else "far"
        out.extend((f"frame={kind}", f"frame={kind}:{side}:{near}", f"T={t}|frame={kind}:{side}"))
    for k in range(max(s.first, c.first - _CHAR_REACH), min(s.last, c.last + _CHAR_REACH)):
        padded = f"<{_word(tokens[k])}>"
        out.extend(f"cc={padded[i : i + 4]}" for i in range(len(padded) - 3))
    others = sorted(set(s.types) - {t})
    out.extend(f"other={o}" for o in others)
    out.append(f"ncand={_bucket(len(s.types), (1, 2, 4))}")
    out.append(f"sent={_bucket(s.index, (0, 1, 3, 6))}")
    out.append(f"len={_bucket(s.last - s.first, (8, 15, 25, 40))}")
    out.append(f"at={_bucket(c.first - s.first, (0, 2, 5, 10, 20))}")
    if any(p < c.first for p in s.speech):
        out.append("speech:before")
    if any(p >= c.last for p in s.speech):
        out.append("speech:after")
    return out


def _ngrams(s: SentenceView) -> list[str]:
    words = [_word(tokens) for tokens in s.tokens[s.first : s.last] if tokens not in _PUNCT]
    out = [f"u={w}" for w in words]
    out.extend(f"b={a}_{b}" for a, b in pairwise(words))
    return out


def features(c: CandidateView, s: SentenceView) -> list[str]:
    """All named features of one candidate (order irrelevant, duplicates counted once)."""
    return _cue_features(c) + _context_features(c, s) + _ngrams(s)


def hashed(names: Sequence[str], bits: int = HASH_BITS) -> list[int]:
    """Distinct indices of the features in a 2**bits vector (CRC-32: stable across processes)."""
    mask = (1 << bits) - 1
    return sorted({zlib.crc32(name.encode("utf-8")) & mask for name in names})
