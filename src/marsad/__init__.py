"""Marsad (مرصد): Arabic news → PLOVER political event records, with evidence for every field.

>>> import marsad
>>> [e.event_type for e in marsad.code("تظاهر مئات الطلاب أمام الوزارة.")]
['PROTEST']
"""

from __future__ import annotations

from marsad.errors import InputError, LexiconError, MarsadError, UsageError
from marsad.model import Actor, Article, Event, Evidence

__all__ = [
    "Actor",
    "Article",
    "Event",
    "Evidence",
    "InputError",
    "LexiconError",
    "MarsadError",
    "UsageError",
    "code",
]
__version__ = "0.1.0"


def code(text: str, *, article_id: str | None = None, date: str | None = None) -> list[Event]:
    """Code one Arabic article into event records; every offset indexes `text`.

    `date` (ISO, the article's publication date) is accepted for the date-resolution stage;
    this version does not resolve event dates yet.
    """
    from marsad.pipeline import code_text

    if not isinstance(text, str):
        raise InputError(f"article {article_id!r}: text must be str, not {type(text).__name__}")
    return code_text(text, article_id=article_id)
