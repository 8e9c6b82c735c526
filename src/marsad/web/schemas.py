"""Request and response shapes of the API, for validation (POST) and for the OpenAPI document.

Responses are built as plain dicts by `marsad.store` and sent as JSON directly; these models
describe them (nested records follow schema/event.schema.json) without re-validating each one.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Record = dict[str, Any]


class Evidence(BaseModel):
    sentence: str = Field(description="the first mention's evidence sentence")
    trigger: str = Field(description="the trigger words inside it")
    article_id: str


class ReviewSummary(BaseModel):
    status: str = Field(description="unreviewed, confirmed, corrected or rejected (the latest review)")
    reviewer: str | None
    reviewed_at: str | None
    reason: str | None = Field(description="a rejection's reason: not-reported, wrong-type, duplicate, not-political")
    changes: dict[str, Any] = Field(description="corrected fields: {field: {old: machine value, new: value}}")
    review_id: int | None
    coding_changed: bool = Field(description="the machine coding changed since the review (recode, merge)")


class EventCommon(BaseModel):
    event_id: int
    event_key: str
    event_type: str = Field(examples=["PROTEST"])
    mode: str | None = Field(examples=["demo"])
    date: str | None = Field(description="YYYY-MM-DD", examples=["2024-03-01"])
    time_precision: int | None = Field(description="1 day, 2 week, 3 month")
    location: Record | None
    country_iso3: str | None
    source: Record | None
    target: Record | None
    size: Record | None
    fatalities: Record | None
    injuries: Record | None
    source_count: int = Field(description="distinct outlets that reported the event")
    review: ReviewSummary = Field(description="the latest review; corrected fields above already hold its values")


class ShownLabels(BaseModel):
    source: str | None = Field(description="the source actor's text as shown (entities decoded)")
    target: str | None
    size: str | None


class EventSummary(EventCommon):
    mention_count: int
    evidence: Evidence | None
    display: ShownLabels = Field(description="for reading only: the texts of source, target and size as shown")


class EventPage(BaseModel):
    total: int = Field(description="matching events; with q or actor at most MARSAD_API_COUNT_CAP")
    total_exact: bool = Field(description="false when q or actor matched more than MARSAD_API_COUNT_CAP events")
    page: int
    page_size: int
    events: list[EventSummary]


class ShownPart(BaseModel):
    kind: str = Field(examples=["trigger"])
    start: int | None = Field(description="offset in the shown sentence; null when the part lies outside it")
    end: int | None
    text: str = Field(description="the part's text as shown")
    basis: str | None = None
    why: str | None = Field(default=None, description="a place's chosen_by and resolved_by, when the record has them")


class ShownEvidence(BaseModel):
    sentence: str = Field(description="the evidence sentence with HTML entities decoded and whitespace runs made one")
    spans: list[ShownPart]


class Mention(BaseModel):
    mention_id: int
    article_id: str
    article_source: str | None
    url: str | None
    date: str | None = Field(description="the article's publication date")
    record: Record = Field(description="Event.to_dict() of this mention; offsets index the article text")
    display: ShownEvidence = Field(description="for reading only: the evidence as shown, spans mapped into it")


class EventDetail(EventCommon):
    mentions: list[Mention]
    display: ShownLabels
    reviews: list[Record] = Field(description="every review of the event, oldest first")
    machine: Record = Field(description="the machine coding of the correctable fields")
    version: str = Field(description="send it back with a review; a review of another version gets 409")


class ReviewBody(BaseModel):
    """A reviewer's decision on one event, made against the `version` they loaded."""

    model_config = ConfigDict(extra="forbid")

    version: str = Field(min_length=1, max_length=64)
    verdict: str = Field(pattern=r"^(confirmed|corrected|rejected)$")
    reason: str | None = Field(default=None, pattern=r"^(not-reported|wrong-type|duplicate|not-political)$")
    changes: dict[str, Any] = Field(default_factory=dict, description="for corrected: {field: new value}")
    mention_id: int | None = Field(default=None, description="the mention whose span the review is about")


class DateCount(BaseModel):
    date: str
    count: int


class Stats(BaseModel):
    total: int
    by_date: list[DateCount]
    by_type: dict[str, int]
    by_country: dict[str, int]
    review: Record = Field(description="review progress and observed precision per machine type")


class Span(BaseModel):
    start: int
    end: int
    kind: str = Field(description="trigger, source, target, location, date, size, fatalities or injuries")
    label_en: str = Field(examples=["PROTEST demo trigger"])
    label_ar: str = Field(examples=["الحدث"])
    event_id: int | None = Field(description="None for a negated or hypothetical mention")
    mention_id: int


class ShownArticle(BaseModel):
    title: str | None
    text: str = Field(description="the text with HTML entities decoded and whitespace runs made one")
    spans: list[Span] = Field(description="`spans` with start/end in the shown text")


class ArticleView(BaseModel):
    id: str
    title: str | None
    source: str | None
    url: str | None
    date: str | None
    text: str
    spans: list[Span]
    display: ShownArticle = Field(description="for reading only: title and text as shown, spans mapped into it")


class ArticleIn(BaseModel):
    """One article to code and store."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    id: str = Field(min_length=1, max_length=500, pattern=r"^\S(.*\S)?$", description="the article id")
    text: str = Field(min_length=1, description="the Arabic article text")
    date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="publication date")
    title: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=200, description="the outlet")
    url: str | None = Field(default=None, max_length=2000)


class Ingested(BaseModel):
    article_id: str = Field(description="the id the report is stored under (the stored one for a duplicate)")
    stored: bool
    reason: str | None = Field(description="why it was not stored: duplicate, language:xx, ...")
    event_ids: list[int]


class Health(BaseModel):
    status: str
    schema_version: int
    events: int
    articles: int


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail
