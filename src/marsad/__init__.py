"""Marsad (مرصد): Arabic news → PLOVER political event records, with evidence for every field.

>>> import marsad
>>> [e.event_type for e in marsad.code("تظاهر مئات الطلاب أمام الوزارة.")]
['PROTEST']
"""

from __future__ import annotations

from marsad.errors import InputError, LexiconError, MarsadError, UsageError
from marsad.model import Actor, Article, Event, Evidence, Place, Quantity, When

__all__ = [
    "Actor",
    "Article",
    "Event",
    "Evidence",
    "InputError",
    "LexiconError",
    "MarsadError",
    "Place",
    "Quantity",
    "UsageError",
    "When",
    "code",
]
__version__ = "0.1.0"


def code(
    text: str,
    *,
    article_id: str | None = None,
    date: str | None = None,
    min_confidence: float | str | None = None,
    scenes: str = "learned",
) -> list[Event]:
    """Code one Arabic article into event records; every offset indexes `text`.

    `min_confidence`: None (the cross-validated F1-optimal threshold of each type), "precision" or
    "recall" (presets documented in docs/model.md), or a probability applied to every type.

    `scenes`: where the rules' cues cannot tell a sentence's places apart, "learned" (default: the
    learned scene model decides, and may say none of them is the scene), "rules" (the nearest to
    the trigger) or "cautious" (none when they tie among bare names); docs/places.md.

    `date` is the article's publication date (ISO, e.g. "2018-01-06"): relative dates ("أمس")
    resolve against it; without it the article's dateline is used. An unreadable `date` raises
    `InputError`.
    """
    from marsad.extract.dates import parse_record_date
    from marsad.limits import current_limits
    from marsad.pipeline import code_text

    if not isinstance(text, str):
        raise InputError(f"article {article_id!r}: text must be str, not {type(text).__name__}")
    limit = current_limits().max_article_chars
    if len(text) > limit:
        raise InputError(
            f"article {article_id!r}: {len(text):,} characters > limit {limit:,} (MARSAD_MAX_ARTICLE_CHARS)"
        )
    if date is not None and parse_record_date(date) is None:
        raise InputError(f"article {article_id!r}: unreadable date {date!r} (expected ISO, e.g. 2018-01-06)")
    return code_text(text, article_id=article_id, date=date, min_confidence=min_confidence, scenes=scenes)
