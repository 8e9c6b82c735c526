"""Sentence and token segmentation over a `NormText`.

Tokens are kept as parallel tuples (text, start, end) rather than one object per token, so that
segmenting a 500-word article allocates a handful of lists, not thousands of objects; the token
texts are a `Tokens` table, whose columns (bare form, feature word, stem keys) every extractor reads.
Offsets here are into the *normalised* text; `NormText.orig_span` maps them back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.text.normalize import NormText
from marsad.text.tokens import Tokens

# A run of digits and a word of three Arabic letters or more written together ("2الكويت",
# "الكويت2020") are two tokens; a clitic and a number stay one (و6، ب2), and so do Latin letters
# and digits (F16, G20).
_TOKEN = re.compile(r"[0-9]+(?=[\u0621-\u064a]{3})|[\u0621-\u064a]{3,}(?=[0-9])|[^\W_]+|[،,:;؛«»\"()\[\]!?؟.]")
# A "sentence" longer than this many tokens (a scraped page with no full stops, a 1-million-
# character line) is cut into pieces of at most this size, preferably after a comma, so coding
# time stays linear in the text length. News sentences are rarely over 120 tokens.
MAX_SENTENCE_TOKENS = 200
_SOFT_BREAKS = frozenset("،,؛;:")
_SENTENCE_END = re.compile(r"[.!?؟]+(?=[\s\"»)]|$)[\"»)]*|\n+")
PUNCT = frozenset('،,:;؛«»"()[]!?؟.')


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: normalised span and the half-open range of its tokens."""

    start: int
    end: int
    first_token: int
    last_token: int  # exclusive


@dataclass(frozen=True, slots=True)
class Segmented:
    """Tokens of a whole text (parallel tuples; `tokens` is the token table) and its sentences."""

    norm: NormText
    tokens: Tokens
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    sentences: tuple[Sentence, ...]

    def token_at(self, offset: int) -> int | None:
        """The token covering `offset` of the original text (not the normalised one), if any."""
        for k in range(len(self.tokens)):
            start, end = self.norm.orig_span(self.starts[k], self.ends[k])
            if start <= offset < end:
                return k
        return None

    def sentence_of(self, token: int) -> int:
        """The index of the sentence that holds token `token`."""
        return next(i for i, s in enumerate(self.sentences) if s.first_token <= token < s.last_token)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split normalised text into sentence spans, trimmed of whitespace, never empty."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end() if match.group()[0] != "\n" else match.start()
        _add_trimmed(spans, text, pos, end)
        pos = match.end()
    _add_trimmed(spans, text, pos, len(text))
    return spans


def _add_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def _pieces(tokens: tuple[str, ...], first: int, last: int, limit: int) -> list[tuple[int, int]]:
    """Cut the token range [first, last) into pieces of at most `limit` tokens, after a comma
    or semicolon in the second half of a piece when there is one."""
    pieces: list[tuple[int, int]] = []
    while last - first > limit:
        cut = first + limit
        for k in range(cut - 1, first + limit // 2, -1):
            if tokens[k] in _SOFT_BREAKS:
                cut = k + 1
                break
        pieces.append((first, cut))
        first = cut
    pieces.append((first, last))
    return pieces


def segment(norm: NormText, max_tokens: int = MAX_SENTENCE_TOKENS) -> Segmented:
    """Tokenise the normalised text and group tokens into sentences (of at most `max_tokens`)."""
    text = norm.text
    matches = list(_TOKEN.finditer(text))
    tokens = Tokens(map(re.Match.group, matches))
    starts: tuple[int, ...] = tuple(map(re.Match.start, matches))
    ends: tuple[int, ...] = tuple(map(re.Match.end, matches))
    sentences: list[Sentence] = []
    t = 0
    n = len(tokens)
    for s_start, s_end in sentence_spans(text):
        while t < n and starts[t] < s_start:
            t += 1
        first = t
        while t < n and starts[t] < s_end:
            t += 1
        if t - first <= max_tokens:
            sentences.append(Sentence(s_start, s_end, first, t))
            continue
        for lo, hi in _pieces(tokens, first, t, max_tokens):
            sentences.append(Sentence(starts[lo], ends[hi - 1], lo, hi))
    return Segmented(norm, tokens, starts, ends, tuple(sentences))
