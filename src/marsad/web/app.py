"""The Marsad web app: the JSON API under /api, the dashboard at / and /static, errors as JSON.

>>> app = create_app(":memory:")
>>> sorted(path for path in app.openapi()["paths"] if path.startswith("/api/events"))
['/api/events', '/api/events/{event_id}', '/api/events/{event_id}/review']
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

import marsad
from marsad.store import StoreError
from marsad.web.api import api_router, describe_errors
from marsad.web.config import Settings
from marsad.web.guards import SECURITY_HEADERS, ApiError, BodyLimit, SecurityHeaders, error_body
from marsad.web.review import review_router
from marsad.web.schemas import ErrorBody
from marsad.web.stores import StoreProvider

log = logging.getLogger("marsad.web")
STATIC = Path(__file__).parent / "static"
PLACEHOLDER = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Marsad</title></head>
<body><h1>Marsad</h1><p>The dashboard is not installed. The API is at <a href="/api/events">/api/events</a>,
its description at <a href="/openapi.json">/openapi.json</a>.</p></body></html>"""
STATUS_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


async def _api_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _error(exc.status, exc.code, exc.message)


async def _validation_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return _error(422, "invalid_parameter", describe_errors(exc.errors()))


async def _http_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = STATUS_CODES.get(exc.status_code, "http_error")
    return _error(exc.status_code, code, str(exc.detail), headers=dict(exc.headers or {}))


async def _store_error(request: Request, exc: Exception) -> Response:
    log.error("store error on %s %s: %s", request.method, request.url.path, exc)
    return _error(503, "store_unavailable", "the event store is unavailable; try again later")


async def _internal_error(request: Request, exc: Exception) -> Response:
    """The catch-all: log the traceback here, tell the client nothing about it."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _error(500, "internal_error", "internal error; it has been logged", headers=SECURITY_HEADERS)


class WorldMap:
    """The country outlines (from the dashboard's `marsad.web.worldmap`), serialised once, with an ETag."""

    def __init__(self) -> None:
        self.body: bytes | None = None
        self.etag = ""

    def load(self) -> bytes:
        if self.body is None:
            from marsad.web.worldmap import world_geojson

            self.body = json.dumps(world_geojson(), ensure_ascii=False, separators=(",", ":")).encode()
            self.etag = f'"{hashlib.sha256(self.body).hexdigest()[:32]}"'
        return self.body

    def response(self, request: Request) -> Response:
        try:
            body = self.load()
        except Exception as exc:  # noqa: BLE001 - missing module or data: the map is optional, the API is not
            log.warning("world map unavailable: %s", exc)
            return _error(503, "world_unavailable", "the country outlines are not available on this server")
        headers = {"Cache-Control": "public, max-age=86400", "ETag": self.etag}
        if self.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="application/geo+json", headers=headers)


def _add_pages(app: FastAPI, outlines: WorldMap) -> None:
    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def index() -> Response:
        page = STATIC / "index.html"
        return FileResponse(page) if page.is_file() else HTMLResponse(PLACEHOLDER)

    @app.get("/api/world", tags=["dashboard"], response_model=None,
             responses={200: {"content": {"application/geo+json": {}}}, 503: {"model": ErrorBody}})  # fmt: skip
    def world(request: Request) -> Response:
        """Country outlines as GeoJSON (Natural Earth, public domain) for the dashboard map."""
        return outlines.response(request)

    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")


def create_app(db_url: str, *, token: str | None = None, settings: Settings | None = None) -> FastAPI:
    """The app serving the store at `db_url`; `token` (else MARSAD_API_TOKEN) enables POST /api/articles."""
    settings = settings or Settings.from_env()
    if token is not None:
        settings = Settings(**{**{f: getattr(settings, f) for f in settings.__slots__}, "token": token or None})
    stores = StoreProvider(db_url)
    stores.check()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close_all()

    app = FastAPI(title="Marsad API", version=marsad.__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Arabic news coded into PLOVER events: query events, their evidence and articles. "
                  "See docs/api.md.")  # fmt: skip
    handlers: dict[Any, Any] = {ApiError: _api_error, RequestValidationError: _validation_error,
                                StarletteHTTPException: _http_error, StoreError: _store_error,
                                Exception: _internal_error}  # fmt: skip
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, handler)
    app.include_router(api_router(settings, stores))
    app.include_router(review_router(settings, stores))
    _add_pages(app, WorldMap())
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])  # fmt: skip
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.state.settings = settings
    app.state.stores = stores
    return app
