"""The token table: what the extractors read of a token, worked out once per distinct token.

`Tokens` is the tuple of a text's token surfaces — indexing, slicing and iteration are the tuple's
own — that also carries parallel, read-only columns (spaCy's `Doc` is the model; columns of
tuples instead of one object per token):

- `bare[k]`: the token without a leading conjunction و/ف (for exact particle tests: وإلى → الى);
- `word[k]`: the bare form without the article (the feature word: "والحكومه" → "حكومه");
- `keys[k]`: every light stem the token may stand for (`morph.stem_keys`: the lexicon's lookup keys).

`segment()` builds the table once per text, so an extractor reads `tokens.bare[k]` instead of
calling the morphology again on the same token: the data goes down from `text/` once, and no module
above `text/` imports `bare` or `stem_keys` (quantities keeps `lemma_key`, the key its cue table
stores a lexicon form under at load time). The per-token analysis is memoised for the whole process
(bounded), so a token seen in an earlier article costs one dictionary hit.

    >>> t = Tokens(("والحكومه", "تظاهروا"))
    >>> t[0], t.bare[0], t.word[0]
    ('والحكومه', 'الحكومه', 'حكومه')
    >>> "تظاهر" in t.keys[1]
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple, Self

from marsad.text.morph import bare as _bare
from marsad.text.morph import lemma_key, stem_keys


class Analysis(NamedTuple):
    """One token's row of the table."""

    bare: str
    word: str
    keys: frozenset[str]


@lru_cache(maxsize=524_288)
def analyse(token: str) -> Analysis:
    """The table row of one token, memoised for the process (bounded; pure, so safe under
    threads); code that holds a token outside a table (the lexicon's per-token memos) calls it."""
    plain = _bare(token)
    return Analysis(plain, lemma_key(plain), stem_keys(token))


class Tokens(tuple[str, ...]):
    """A text's token surfaces with the columns `bare`, `word` and `keys` (read-only)."""

    bare: tuple[str, ...]
    word: tuple[str, ...]
    keys: tuple[frozenset[str], ...]

    def __new__(cls, surfaces: Iterable[str]) -> Self:
        self = super().__new__(cls, surfaces)
        rows = tuple(map(analyse, self))
        columns: tuple[tuple[Any, ...], ...] = tuple(zip(*rows, strict=True)) if rows else ((), (), ())
        self._fill(*columns)
        return self

    def _fill(self, bare: tuple[str, ...], word: tuple[str, ...], keys: tuple[frozenset[str], ...]) -> None:
        object.__setattr__(self, "bare", bare)
        object.__setattr__(self, "word", word)
        object.__setattr__(self, "keys", keys)

    def upto(self, last: int) -> Tokens:
        """The table of the first `last` tokens (a slice of the tuple is a plain tuple of surfaces)."""
        if last >= len(self):
            return self
        head = tuple.__new__(Tokens, self[:last])
        head._fill(self.bare[:last], self.word[:last], self.keys[:last])
        return head

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"the token table is read-only ({name})")

    def __reduce__(self) -> tuple[type[Tokens], tuple[tuple[str, ...]]]:
        return (Tokens, (tuple(self),))
