"""Configurable input limits, with documented defaults (environment variables override them).

| variable | default | what happens above it |
|---|---|---|
| MARSAD_MAX_ARTICLE_CHARS | 2,000,000 | the record is reported with its id and skipped |
| (code) `text.segment.MAX_SENTENCE_TOKENS` | 200 | a longer "sentence" is cut into pieces |

The API has its own request limits (docs/api.md). A limit of 0 or a value that is not a whole
number is a usage error, reported when the limit is first read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from marsad.errors import UsageError

DEFAULT_MAX_ARTICLE_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits in force."""

    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS


def _positive(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise UsageError(f"{name}={raw!r} is not a whole number") from None
    if value <= 0:
        raise UsageError(f"{name}={raw!r} must be positive")
    return value


def current_limits() -> Limits:
    """The limits from the environment (read each call: cheap, and tests can change them)."""
    return Limits(max_article_chars=_positive("MARSAD_MAX_ARTICLE_CHARS", DEFAULT_MAX_ARTICLE_CHARS))


def article_problem(text: str, limits: Limits) -> str | None:
    """Why an article's text cannot be coded, or None: empty, blank or too large."""
    if not text.strip():
        return "empty text"
    if len(text) > limits.max_article_chars:
        return (
            f"article too large: {len(text):,} characters > limit {limits.max_article_chars:,} "
            "(set MARSAD_MAX_ARTICLE_CHARS to raise it)"
        )
    return None
