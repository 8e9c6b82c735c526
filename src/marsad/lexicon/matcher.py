"""Phrase matching of lexicon patterns over segmented tokens.

A pattern is a tuple of words; each word is a light-stem key (matched against the token table's
`keys` column), an exact word (`=الى`, against the surface or the `bare` column), or a gap `*` of
0–4 tokens. Patterns are indexed by their first word, so a text is scanned once with one set
intersection per distinct token.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Generic, TypeVar

from marsad.text.morph import lemma_key
from marsad.text.normalize import normalize
from marsad.text.segment import PUNCT
from marsad.text.tokens import Tokens, analyse

P = TypeVar("P")
GAP = "*"
MAX_GAP = 4


@dataclass(frozen=True, slots=True)
class Match(Generic[P]):
    """A pattern occurrence: tokens [first, last) and the matched (non-gap) token indices."""

    payload: P
    first: int
    last: int
    tokens: tuple[int, ...]
    length: int  # number of non-gap pattern words
    rank: int  # position of the entry in the lexicon: earlier entries win ties
    literal: int  # length of the first word's key if written in the token (قتل in قتلت), else 0


@cache
def compile_pattern(pattern: str) -> tuple[str, ...]:
    """'أطلق * النار' → ('اطلق', '*', 'نار'); '=إلى' stays exact ('=الى')."""
    words: list[str] = []
    for raw in pattern.split():
        if raw == GAP:
            words.append(GAP)
        elif raw.startswith("="):
            words.append("=" + normalize(raw[1:]).text)
        else:
            word = normalize(raw).text
            # Only a written article is dropped: ألماني keeps its أل (it is part of the name).
            words.append(lemma_key(word) if raw.startswith("ال") else word)
    if not words or words[0] == GAP or words[-1] == GAP:
        raise ValueError(f"pattern {pattern!r} must start and end with a word")
    return tuple(words)


def _word_matches(word: str, tokens: Tokens, k: int) -> bool:
    if word.startswith("="):
        return tokens.bare[k] == word[1:] or tokens[k] == word[1:]
    return word in tokens.keys[k]


class PhraseMatcher(Generic[P]):
    """Finds every occurrence of a set of patterns in a token sequence."""

    def __init__(self, entries: Sequence[tuple[tuple[str, ...], P]]) -> None:
        self._index: dict[str, list[tuple[tuple[str, ...], P, int, int]]] = {}
        for rank, (words, payload) in enumerate(entries):
            n_words = sum(1 for w in words if w != GAP)
            self._index.setdefault(words[0], []).append((words, payload, rank, n_words))
        self._first_stems = frozenset(k for k in self._index if not k.startswith("="))
        self._first_exact = frozenset(k[1:] for k in self._index if k.startswith("="))
        # Memo of the pattern heads each token can start (most tokens start none): the scan's hot
        # path is one dictionary hit per token. Bounded, and private to this matcher.
        self._heads = lru_cache(maxsize=131_072)(self._heads_of)

    def _heads_of(self, token: str) -> tuple[str, ...]:
        row = analyse(token)
        heads = sorted(row.keys & self._first_stems)
        for exact in dict.fromkeys((token, row.bare)):
            if exact in self._first_exact:
                heads.append("=" + exact)
        return tuple(heads)

    def heads(self, token: str) -> tuple[str, ...]:
        """The pattern heads `token` can start (memoised; usually empty)."""
        return self._heads(token)

    def first_words(self) -> tuple[frozenset[str], frozenset[str]]:
        """(stem keys, exact words) that start some pattern."""
        return self._first_stems, self._first_exact

    def find(
        self, tokens: Tokens, first: int, last: int, starts: Sequence[tuple[int, tuple[str, ...]]] | None = None
    ) -> list[Match[P]]:
        """All matches that start in tokens[first:last] and end before `last`.

        `starts` (token index, heads) may be given when a `HeadIndex` has already scanned the tokens.
        """
        found: list[Match[P]] = []
        if starts is None:
            starts = [(i, h) for i, h in enumerate(map(self._heads, tokens[first:last]), first) if h]
        for i, heads in starts:
            token = tokens[i]
            for head in heads:
                key = head.lstrip("=")
                literal = len(key) if key in token else 0
                for words, payload, rank, n_words in self._index[head]:
                    matched = (i,) if len(words) == 1 else _match_rest(words, tokens, i, last)
                    if matched is not None:
                        found.append(Match(payload, i, matched[-1] + 1, matched, n_words, rank, literal))
        return found


class HeadIndex:
    """One memoised lookup per token for several matchers at once: the tokens of a sentence are
    scanned once, and a matcher whose patterns start nowhere in it costs nothing more."""

    def __init__(self, *matchers: PhraseMatcher[Any]) -> None:
        self._matchers = matchers
        firsts = [m.first_words() for m in matchers]
        self._first_stems = frozenset().union(*(stems for stems, _ in firsts))
        self._first_exact = frozenset().union(*(exact for _, exact in firsts))
        self._memo = lru_cache(maxsize=524_288)(self._compute)

    def _compute(self, token: str) -> tuple[tuple[str, ...], ...] | None:
        # Most tokens start no pattern of any matcher: one test against the union of first words
        # settles them without asking (and filling the memo of) each matcher.
        exact = self._first_exact
        row = analyse(token)
        if row.keys.isdisjoint(self._first_stems) and token not in exact and row.bare not in exact:
            return None
        heads = tuple(m.heads(token) for m in self._matchers)
        return heads if any(heads) else None

    def scan(self, tokens: Tokens, first: int, last: int) -> list[list[tuple[int, tuple[str, ...]]]]:
        """For each matcher, the (token index, heads) of the tokens in [first, last) that start a pattern."""
        per: list[list[tuple[int, tuple[str, ...]]]] = [[] for _ in self._matchers]
        hits = [(i, heads) for i, heads in enumerate(map(self._memo, tokens[first:last]), first) if heads is not None]
        for i, heads in hits:
            for k, h in enumerate(heads):
                if h:
                    per[k].append((i, h))
        return per


def _match_rest(words: tuple[str, ...], tokens: Tokens, start: int, last: int) -> tuple[int, ...] | None:
    """Indices of tokens matching words[1:] after `start` (gaps skip 0–4 non-punctuation tokens)."""
    positions = [start]
    j = start + 1
    k = 1
    while k < len(words):
        word = words[k]
        if word == GAP:
            word = words[k + 1]
            for skip in range(MAX_GAP + 1):
                t = j + skip
                if t >= last or (skip and tokens[t - 1] in PUNCT):
                    return None
                if _word_matches(word, tokens, t):
                    j = t
                    break
            else:
                return None
            k += 1
        elif j >= last or not _word_matches(word, tokens, j):
            return None
        positions.append(j)
        j += 1
        k += 1
    return tuple(positions)


def select_longest(matches: list[Match[P]]) -> list[Match[P]]:
    """Keep non-overlapping matches: more pattern words first, then tighter, then earlier in
    the text, then the longest key written in the token (اضرب over ضرب in أضرب; قتل over the
    reconstructed قتلى in قتلت), then earlier in the lexicon (deterministic whatever the hash seed)."""
    taken: set[int] = set()
    kept: list[Match[P]] = []
    for match in sorted(matches, key=lambda m: (-m.length, m.last - m.first, m.first, -m.literal, m.rank)):
        if taken.isdisjoint(match.tokens):
            kept.append(match)
            taken.update(match.tokens)
    kept.sort(key=lambda m: m.first)
    return kept
