"""The review routes: confirm, reject or correct an event (reviewer token), the review queue, the
correction form's lists, gazetteer search and the audit log (docs/review.md).

Reading stays open; a review needs `Authorization: Bearer <reviewer token>` (MARSAD_REVIEW_TOKENS),
whose name is the reviewer recorded in the review and the audit log. A review sent against an
event version that is no longer current gets 409 with the current version and event.
"""

# No `from __future__ import annotations`: FastAPI reads the route signatures at definition time.
import hmac
import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from marsad.errors import UsageError
from marsad.store.reviews import ReviewConflict, ReviewIn
from marsad.web.api import Filters, _read_body, describe_errors
from marsad.web.config import Settings
from marsad.web.guards import ApiError
from marsad.web.lookups import review_options, search_places
from marsad.web.schemas import ErrorBody, EventDetail, ReviewBody
from marsad.web.spans import evidence_view, labels_view
from marsad.web.stores import StoreProvider

MAX_SKIP = 200


def reviewer_of(settings: Settings, authorization: str | None) -> str:
    """The reviewer named by the bearer token (every token compared in constant time), else 401/403."""
    if not settings.reviewers:
        raise ApiError(403, "reviews_disabled", "reviews disabled: set MARSAD_REVIEW_TOKENS on the server")
    scheme, _, given = (authorization or "").partition(" ")
    presented = given.strip().encode()
    found = None
    for name, token in settings.reviewers:
        if hmac.compare_digest(presented, token.encode()) and scheme.lower() == "bearer":
            found = name
    if found is None:
        raise ApiError(401, "unauthorized", "send your reviewer token as 'Authorization: Bearer <token>'")
    return found


def detail_view(event: dict[str, Any]) -> dict[str, Any]:
    """An event as GET /api/events/{id} shows it: each mention's evidence display and the labels shown."""
    event["mentions"] = [{**m, "display": evidence_view(m["record"])} for m in event.get("mentions") or []]
    event["display"] = labels_view(event)
    return event


def _review_in(body: bytes, reviewer: str) -> tuple[str, ReviewIn]:
    try:
        data = json.loads(body)
        given = ReviewBody.model_validate(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(422, "invalid_json", f"the body is not valid JSON: {exc}") from None
    except ValidationError as exc:
        raise ApiError(422, "invalid_review", describe_errors(exc.errors())) from None
    review = ReviewIn(reviewer=reviewer, verdict=given.verdict, reason=given.reason, changes=given.changes,
                      mention_id=given.mention_id)  # fmt: skip
    return given.version, review


def _store_review(stores: StoreProvider, event_id: int, version: str, review: ReviewIn) -> JSONResponse:
    with stores.session() as store:
        try:
            event = store.review(event_id, version, review)
        except ReviewConflict as exc:
            current = store.event(event_id)
            body = {"error": {"code": "conflict", "message": str(exc)}, "current_version": exc.version,
                    "event": detail_view(current) if current else None}  # fmt: skip
            return JSONResponse(body, status_code=409)
        except UsageError as exc:
            if store.event(event_id) is None:
                raise ApiError(404, "not_found", f"no event {event_id}") from None
            raise ApiError(422, "invalid_review", str(exc)) from None
    return JSONResponse(detail_view(event), status_code=201)


def _skip(value: str | None) -> list[int]:
    if not value:
        return []
    try:
        ids = [int(v) for v in value.split(",") if v.strip()]
    except ValueError:
        raise ApiError(422, "invalid_parameter", "skip: give event ids separated by commas") from None
    if len(ids) > MAX_SKIP:
        raise ApiError(422, "invalid_parameter", f"skip: at most {MAX_SKIP} ids")
    return ids


def review_router(settings: Settings, stores: StoreProvider) -> APIRouter:
    """The review routes for one store and one set of settings."""
    router = APIRouter(prefix="/api", tags=["review"])
    denied: dict[int | str, dict[str, Any]] = {401: {"model": ErrorBody}, 403: {"model": ErrorBody}}

    @router.post("/events/{event_id}/review", status_code=201, response_model=None,
                 responses={201: {"model": EventDetail}, 404: {"model": ErrorBody}, 409: {"model": ErrorBody},
                            **denied},
                 openapi_extra={"requestBody": {"required": True, "content": {
                     "application/json": {"schema": ReviewBody.model_json_schema()}}}})  # fmt: skip
    async def post_review(
        event_id: int, request: Request, authorization: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Confirm, reject (with a reason) or correct an event loaded at `version` (reviewer token).
        201: the event as now reviewed; 409: it changed since, the body has `current_version` and `event`."""
        reviewer = reviewer_of(settings, authorization)
        version, review = _review_in(await _read_body(request, settings.max_body_bytes), reviewer)
        return await run_in_threadpool(_store_review, stores, event_id, version, review)

    @router.get("/review/next", response_model=None)
    def next_event(filters: Filters, skip: Annotated[str | None, Query(max_length=4000)] = None) -> JSONResponse:
        """The next unreviewed event among the matching ones, highest uncertainty first (probability
        nearest its type's threshold); `event_id` null when every one is reviewed."""
        from marsad.learn.detector import load_detector

        thresholds = load_detector().floors(None)
        with stores.session() as store:
            found = store.next_unreviewed(filters, thresholds, skip=_skip(skip))
        return JSONResponse(found or {"event_id": None})

    @router.get("/review/options", response_model=None)
    def options() -> JSONResponse:
        """Types and their modes, rejection reasons, roles and countries for the correction form."""
        return JSONResponse(review_options(), headers={"Cache-Control": "public, max-age=3600"})

    @router.get("/review/me", response_model=None, responses=denied)
    def me(authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
        """The reviewer a token names (the dashboard checks a token with it)."""
        return JSONResponse({"reviewer": reviewer_of(settings, authorization)})

    @router.get("/gazetteer", response_model=None)
    def gazetteer(q: Annotated[str, Query(min_length=2, max_length=100)]) -> JSONResponse:
        """Gazetteer places whose English or Arabic name starts with (or contains) `q`, most populous first."""
        if any(ord(c) < 32 for c in q):
            raise ApiError(422, "invalid_parameter", "q contains control characters")
        return JSONResponse({"places": search_places(q)})

    @router.get("/audit", response_model=None, responses=denied)
    def audit(
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        authorization: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """The audit log, oldest first, after entry `after` (reviewer token)."""
        reviewer_of(settings, authorization)
        with stores.session() as store:
            return JSONResponse({"entries": store.audit_log(after=after, limit=limit)})

    @router.get("/reviews/detached", response_model=None)
    def detached() -> JSONResponse:
        """Reviews whose evidence span no event holds after a recode: kept, listed here to re-review."""
        with stores.session() as store:
            return JSONResponse({"reviews": store.detached_reviews()})

    return router
