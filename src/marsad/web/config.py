"""The web app's settings: one table (environment variable, default, help) feeds `Settings`,
`marsad serve --help` and docs/api.md."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from marsad.errors import UsageError


@dataclass(frozen=True, slots=True)
class Setting:
    """One row of the settings table."""

    env: str
    attr: str
    default: str
    help: str


SETTINGS = (
    Setting("MARSAD_API_TOKEN", "token", "", "bearer token for POST /api/articles; writes are disabled when unset"),
    Setting("MARSAD_API_PAGE_SIZE", "page_size", "50", "default page size of GET /api/events"),
    Setting("MARSAD_API_MAX_PAGE_SIZE", "max_page_size", "500", "hard maximum page size (larger → 422)"),
    Setting(
        "MARSAD_API_COUNT_CAP",
        "count_cap",
        "1000",
        "GET /api/events with q or actor counts at most this many events (then total_exact is false)",
    ),
    Setting("MARSAD_API_MAX_BODY", "max_body_bytes", "2097152", "largest request body in bytes (larger → 413)"),
    Setting("MARSAD_API_MAX_ARTICLE_CHARS", "max_article_chars", "200000", "longest article text for POST (→ 422)"),
    Setting("MARSAD_API_CORS_ORIGINS", "cors_origins", "", "comma-separated origins allowed by CORS; empty = CORS off"),
    Setting(
        "MARSAD_REVIEW_TOKENS",
        "review_tokens",
        "",
        "reviewer tokens as name:token,name:token; reviews are refused when no token is set",
    ),
    Setting(
        "MARSAD_REVIEW_TOKENS_FILE",
        "review_tokens_file",
        "",
        "file of reviewer tokens, one 'name token' per line (# comments), added to MARSAD_REVIEW_TOKENS",
    ),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """What the API allows. `Settings.from_env()` reads the `MARSAD_API_*` variables (see SETTINGS)."""

    token: str | None = None
    page_size: int = 50
    max_page_size: int = 500
    max_body_bytes: int = 2 * 1024 * 1024
    max_article_chars: int = 200_000
    cors_origins: tuple[str, ...] = field(default=())
    count_cap: int = 1000
    reviewers: tuple[tuple[str, str], ...] = field(default=())  # (name, token) pairs

    def __post_init__(self) -> None:
        if not 1 <= self.page_size <= self.max_page_size:
            raise UsageError(f"page size {self.page_size} must be between 1 and the maximum {self.max_page_size}")
        if self.max_body_bytes < 1 or self.max_article_chars < 1 or self.count_cap < 1:
            raise UsageError(
                "MARSAD_API_MAX_BODY, MARSAD_API_MAX_ARTICLE_CHARS and MARSAD_API_COUNT_CAP must be 1 or more"
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from environment variables, each falling back to its documented default."""
        env = os.environ if environ is None else environ
        raw = {s.attr: env.get(s.env, s.default).strip() for s in SETTINGS}
        try:
            numbers = {
                k: int(raw[k])
                for k in ("page_size", "max_page_size", "count_cap", "max_body_bytes", "max_article_chars")
            }
        except ValueError as exc:
            raise UsageError(f"a MARSAD_API_* size is not a whole number: {exc}") from exc
        origins = tuple(o.strip() for o in raw["cors_origins"].split(",") if o.strip())
        reviewers = reviewer_tokens(raw["review_tokens"], raw["review_tokens_file"])
        return cls(token=raw["token"] or None, cors_origins=origins, reviewers=reviewers, **numbers)


MIN_TOKEN = 16


def reviewer_tokens(listed: str, path: str) -> tuple[tuple[str, str], ...]:
    """(name, token) pairs from "name:token,name:token" and a file of "name token" lines.

    A token shorter than 16 characters, or one given to two names, stops the server: a guessable or
    shared token would make the audit log's reviewer names meaningless.
    """
    pairs = [tuple(p.strip().split(":", 1)) for p in listed.split(",") if p.strip()]
    if path:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise UsageError(f"MARSAD_REVIEW_TOKENS_FILE {path!r} cannot be read: {exc}") from exc
        pairs += [tuple(line.split(None, 1)) for line in lines if line.strip() and not line.lstrip().startswith("#")]
    out: list[tuple[str, str]] = []
    for pair in pairs:
        if len(pair) != 2 or not pair[0].strip() or len(pair[1].strip()) < MIN_TOKEN:
            raise UsageError(f"a reviewer token entry is malformed: write name:token, the token {MIN_TOKEN}+ "
                             f"characters (entry starting {pair[0][:12]!r})")  # fmt: skip
        out.append((pair[0].strip(), pair[1].strip()))
    tokens = [t for _, t in out]
    if len(set(tokens)) != len(tokens):
        raise UsageError("two reviewers share a token; give each reviewer their own")
    return tuple(out)
