"""The web app (FastAPI): the JSON API and the dashboard. See docs/api.md.

`create_app` and `Settings` are imported lazily, so `marsad` commands do not pay for FastAPI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from marsad.web.app import create_app
    from marsad.web.config import Settings

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from marsad.web.app import create_app

        return create_app
    if name == "Settings":
        from marsad.web.config import Settings

        return Settings
    raise AttributeError(f"module 'marsad.web' has no attribute {name!r}")
