"""Offset-preserving Arabic normalisation.

`normalize(text)` returns a `NormText`: a normalised string for matching plus an offset map back
into the original text, so every span found on the normalised string can be reported against
`Article.text` exactly ("offsets are sacred").

What changes:
* deleted: diacritics (harakat, shadda, sukun, superscript alef), tatweel, zero-width and bidi
  control marks, soft hyphen, Quranic annotation marks;
* HTML entities decoded (``&quot;`` → ``"``, ``&nbsp;`` → space);
* 1:1 letter folding: أ إ آ ٱ → ا, ى → ي, ة → ه, Persian ک ی → ك ي, Arabic-Indic and Persian
  digits → ASCII digits, NBSP and other spaces → space;
* scraping artefacts: a paragraph join ``.,`` becomes ``.`` + newline, and a hashtag
  ``#ولاية_الفقيه`` becomes `` ولاية الفقيه`` (the tag itself is kept in `NormText.hashtags`).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass

_DELETE_CLASS = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"  # marks
    "\u0640"  # tatweel
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u061c"  # invisible
)
_SPECIAL = re.compile(rf"&(?:#[0-9]{{1,7}}|#[xX][0-9a-fA-F]{{1,6}}|[A-Za-z][A-Za-z0-9]{{1,31}});|[{_DELETE_CLASS}]+")

_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ک": "ك",
        "ی": "ي",
        "ۀ": "ه",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\t": " ",
        "\r": "\n",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
_PARAGRAPH_JOIN = re.compile(r"(?<=[.!?؟])[,،](?=\s|$)")
_HASHTAG = re.compile(r"#(\w+)")


@dataclass(frozen=True, slots=True)
class NormText:
    """A normalised string with a map back to the original text.

    `anchors`/`shifts` are parallel sorted lists: from normalised index `anchors[k]` on, the
    original index is the normalised index plus `shifts[k]`.
    """

    original: str
    text: str
    anchors: tuple[int, ...]
    shifts: tuple[int, ...]
    hashtags: tuple[tuple[int, int], ...]

    def orig_start(self, i: int) -> int:
        """Original index of the normalised character at `i`."""
        k = bisect_right(self.anchors, i) - 1
        return i + (self.shifts[k] if k >= 0 else 0)

    def orig_end(self, i: int) -> int:
        """Original exclusive end for a normalised span ending (exclusive) at `i`."""
        if i >= len(self.text):
            return len(self.original)
        return self.orig_start(i)

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to the original text.

        Marks deleted right after the span (a final diacritic) stay with it.
        """
        return self.orig_start(start), self.orig_end(end)


def _decode_entity(entity: str) -> str:
    decoded = html.unescape(entity)
    if len(decoded) != 1 or decoded == entity:
        return entity if decoded == entity else " "
    return decoded


def normalize(text: str) -> NormText:
    """Normalise `text` for matching, keeping a map to original offsets.

    >>> normalize("تظاهـــرَ").text
    'تظاهر'
    """
    pieces: list[str] = []
    anchors: list[int] = []
    shifts: list[int] = []
    pos = 0
    out_len = 0
    shift = 0
    for match in _SPECIAL.finditer(text):
        start, end = match.span()
        pieces.append(text[pos:start])
        out_len += start - pos
        token = match.group()
        replacement = _decode_entity(token) if token.startswith("&") else ""
        pieces.append(replacement)
        out_len += len(replacement)
        shift += (end - start) - len(replacement)
        anchors.append(out_len)
        shifts.append(shift)
        pos = end
    pieces.append(text[pos:])
    folded = "".join(pieces).translate(_FOLD)
    folded = _PARAGRAPH_JOIN.sub("\n", folded)
    folded, hashtags = _unhash(folded)
    return NormText(text, folded, tuple(anchors), tuple(shifts), hashtags)


def _unhash(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """`#ولاية_الفقيه` → ` ولاية الفقيه` (same length); returns the tag spans."""
    if "#" not in text:
        return text, ()
    chars = list(text)
    tags: list[tuple[int, int]] = []
    for match in _HASHTAG.finditer(text):
        start, end = match.span()
        chars[start] = " "
        for i in range(start + 1, end):
            if chars[i] == "_":
                chars[i] = " "
        tags.append((start, end))
    return "".join(chars), tuple(tags)
