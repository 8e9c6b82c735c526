"""The /api routes: events, one event, stats, articles (read and write), health.

Every filter is validated here (types, patterns, bbox ranges, page limits) before it becomes an
`EventFilter`; the store turns that into parameterised SQL.
"""

# No `from __future__ import annotations`: FastAPI reads the route signatures, whose limits are
# built from the settings inside `api_router`, at definition time.
import hmac
import json
import math
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from marsad.learn.detector import floor_filter
from marsad.model import Article
from marsad.store import EventFilter
from marsad.store.ingest import Report, ingest
from marsad.web.config import Settings
from marsad.web.guards import ApiError
from marsad.web.schemas import ArticleIn, ArticleView, ErrorBody, EventDetail, EventPage, Health, Ingested, Stats
from marsad.web.spans import article_view, evidence_view, labels_view, spans_of
from marsad.web.stores import StoreProvider

Sort = Literal["-date", "date", "-source_count", "source_count"]
TEXT = 200
ERRORS: dict[int | str, dict[str, Any]] = {422: {"model": ErrorBody, "description": "invalid parameters"}}


def _day(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "invalid_parameter", f"{name}={value!r} is not a date; write YYYY-MM-DD") from None
    return value


def _no_controls(name: str, value: str | None) -> None:
    """Refuse NUL and other control characters: SQLite cuts a pattern at NUL, PostgreSQL rejects it."""
    if value is not None and any(ord(c) < 32 or c == "\x7f" for c in value):
        raise ApiError(422, "invalid_parameter", f"{name} contains control characters; send plain text")


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """ "minlon,minlat,maxlon,maxlat" → four floats in range (minlon > maxlon crosses the antimeridian)."""
    if value is None:
        return None
    usage = "write bbox=minlon,minlat,maxlon,maxlat in degrees, e.g. bbox=34.9,29.5,39.3,33.4"
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise ApiError(422, "invalid_parameter", f"bbox {value!r} has a part that is not a number; {usage}") from None
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise ApiError(422, "invalid_parameter", f"bbox {value!r} needs four finite numbers; {usage}")
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ApiError(422, "invalid_parameter", f"bbox {value!r}: longitudes in -180..180, latitudes in -90..90 "
                       f"with minlat <= maxlat; {usage}")  # fmt: skip
    return min_lon, min_lat, max_lon, max_lat


def event_filter(
    event_type: Annotated[
        str | None,
        Query(alias="type", max_length=40, pattern=r"^[A-Za-z_]+$", description="PLOVER event type, e.g. PROTEST"),
    ] = None,
    mode: Annotated[str | None, Query(max_length=40, pattern=r"^[A-Za-z_-]+$", description="PLOVER mode")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO3 of the place")] = None,
    place: Annotated[str | None, Query(max_length=TEXT, description="English or Arabic place name, part")] = None,
    bbox: Annotated[str | None, Query(max_length=100, description="minlon,minlat,maxlon,maxlat")] = None,
    since: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="first date")] = None,
    until: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="last date")] = None,
    actor: Annotated[str | None, Query(max_length=TEXT, description="actor text part, country or role")] = None,
    q: Annotated[str | None, Query(max_length=TEXT, description="text in an evidence sentence or title")] = None,
    min_confidence: Annotated[
        str | None,
        Query(
            pattern=r"^(precision|recall|default|0(\.\d+)?|1(\.0+)?)$",
            description="events with a factual mention at this probability: 0-1, or precision / recall / default",
        ),
    ] = None,
    review: Annotated[
        str | None,
        Query(
            pattern=r"^(unreviewed|confirmed|corrected|rejected|reviewed|any)$",
            description="review status; reviewed = confirmed or corrected, any = any verdict",
        ),
    ] = None,
) -> EventFilter:
    """The filters shared by /api/events and /api/stats; they combine with AND."""
    for name, value in (("place", place), ("actor", actor), ("q", q)):
        _no_controls(name, value)
    since, until = _day("since", since), _day("until", until)
    if since and until and since > until:
        raise ApiError(422, "invalid_parameter", f"since={since} is after until={until}")
    return EventFilter(event_type=event_type or None, mode=mode or None, country=country or None, since=since,
                       until=until, place=place or None, actor=actor or None, text=q or None,
                       bbox=parse_bbox(bbox), confidence=floor_filter(min_confidence), review=review)  # fmt: skip


Filters = Annotated[EventFilter, Depends(event_filter)]


def _bearer(settings: Settings, authorization: str | None) -> None:
    if not settings.token:
        raise ApiError(403, "writes_disabled", "writes disabled: set MARSAD_API_TOKEN on the server to enable POST")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), settings.token.encode()):
        raise ApiError(401, "unauthorized", "send the API token as 'Authorization: Bearer <token>'")


async def _read_body(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "payload_too_large", f"the request body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _article_in(body: bytes, settings: Settings) -> ArticleIn:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(422, "invalid_json", f"the body is not valid JSON: {exc}") from None
    try:
        article = ArticleIn.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, "invalid_article", describe_errors(exc.errors())) from None
    for name in ("id", "title", "source", "url"):
        _no_controls(name, getattr(article, name))
    if "\x00" in article.text:
        raise ApiError(422, "invalid_article", "text: contains NUL characters; send the article as plain text")
    if not article.text.strip():
        raise ApiError(422, "invalid_article", "text: is empty or only whitespace")
    if len(article.text) > settings.max_article_chars:
        raise ApiError(422, "invalid_article", f"text: {len(article.text)} characters, over the limit of "
                       f"{settings.max_article_chars}")  # fmt: skip
    if article.date is not None:
        _day("date", article.date)
    return article


def describe_errors(errors: Any) -> str:
    """Pydantic errors as one line: `page_size: Input should be less than or equal to 500; ...`."""
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "body", "path"))
        parts.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)


def _outcome(report: Report) -> str | None:
    if report.stored:
        return None
    if report.skipped:
        return min(report.skipped)
    return report.failed[0][2] if report.failed else "not stored"


def api_router(settings: Settings, stores: StoreProvider) -> APIRouter:
    """The /api routes for one store and one set of settings."""
    router = APIRouter(prefix="/api", responses=ERRORS)
    Page = Annotated[int, Query(ge=1, le=1_000_000, description="page number, from 1")]
    Size = Annotated[int, Query(ge=1, le=settings.max_page_size, description=f"1..{settings.max_page_size}")]

    @router.get("/events", response_model=None, responses={200: {"model": EventPage}})
    def list_events(filters: Filters, sort: Sort = "-date", page: Page = 1,
                    page_size: Size = settings.page_size) -> JSONResponse:  # fmt: skip
        """Events matching the filters, one page, each with its first mention's evidence."""
        with stores.session() as store:
            total, events = store.event_page(filters, sort=sort, page=page, page_size=page_size,
                                             count_cap=settings.count_cap)  # fmt: skip
        exact = not (filters.actor or filters.text) or total <= settings.count_cap
        events = [{**e, "display": labels_view(e)} for e in events]
        return JSONResponse({"total": total if exact else settings.count_cap, "total_exact": exact, "page": page,
                             "page_size": page_size, "events": events})  # fmt: skip

    @router.get(
        "/events/{event_id}", response_model=None, responses={200: {"model": EventDetail}, 404: {"model": ErrorBody}}
    )
    def get_event(event_id: int) -> JSONResponse:
        """One event with all its mentions, their articles and full records; each mention's `display`
        is its evidence as a reader should see it (entities decoded, spans mapped into it)."""
        with stores.session() as store:
            event = store.event(event_id)
        if event is None:
            raise ApiError(404, "not_found", f"no event {event_id}")
        event["mentions"] = [{**m, "display": evidence_view(m["record"])} for m in event.get("mentions") or []]
        event["display"] = labels_view(event)
        return JSONResponse(event)

    @router.get("/stats", response_model=None, responses={200: {"model": Stats}})
    def stats(filters: Filters, group: Literal["day", "week"] = "day") -> JSONResponse:
        """Counts of the matching events by date (day, or week starting Monday), type and country."""
        with stores.session() as store:
            return JSONResponse(store.stats(filters, group=group))

    @router.get("/articles/{article_id}", response_model=None,
                responses={200: {"model": ArticleView}, 404: {"model": ErrorBody}})  # fmt: skip
    def get_article(article_id: str) -> JSONResponse:
        """An article's text with every coded span (offsets index `text`); `display` is the text as
        shown (entities decoded, whitespace runs made one) with the spans mapped into it."""
        if "\x00" in article_id:
            raise ApiError(404, "not_found", "no such article")
        with stores.session() as store:
            article = store.article(article_id)
        if article is None:
            raise ApiError(404, "not_found", f"no article {article_id!r}")
        spans = spans_of(article["text"], article.pop("mentions"))
        shown = article_view(article.get("title"), article["text"], spans)
        return JSONResponse({**article, "spans": spans, "display": shown})

    @router.post("/articles", status_code=201, response_model=None,
                 responses={201: {"model": Ingested}, 401: {"model": ErrorBody}, 403: {"model": ErrorBody},
                            413: {"model": ErrorBody}},
                 openapi_extra={"requestBody": {"required": True, "content": {
                     "application/json": {"schema": ArticleIn.model_json_schema()}}}})  # fmt: skip
    async def post_article(request: Request, authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
        """Code and store one article (needs the bearer token); a stored report is skipped as duplicate."""
        _bearer(settings, authorization)
        article = _article_in(await _read_body(request, settings.max_body_bytes), settings)
        return JSONResponse(await run_in_threadpool(_ingest, stores, article), status_code=201)

    @router.get("/health", response_model=None, responses={200: {"model": Health}})
    def health() -> JSONResponse:
        """Liveness and store size."""
        with stores.session() as store:
            counts = store.counts()
            version = store.schema_version()
        return JSONResponse({"status": "ok", "schema_version": version, "events": counts["events"],
                             "articles": counts["articles"]})  # fmt: skip

    return router


def _ingest(stores: StoreProvider, given: ArticleIn) -> dict[str, Any]:
    article = Article(id=given.id, text=given.text, date=given.date, title=given.title, source=given.source,
                      url=given.url)  # fmt: skip
    with stores.session() as store:
        report = ingest(store, [article])
        reason = _outcome(report)
        stored_id = article.id if reason is None else store.stored_id(article) or article.id
        store.audit(actor="api-token", action="post-article", detail={"article_id": stored_id, "reason": reason})
        return {"article_id": stored_id, "stored": reason is None, "reason": reason,
                "event_ids": store.event_ids_of(stored_id)}  # fmt: skip
