"""The web page: `/` and its static assets under `/static/` (plain files, no build step, no auth)."""

from __future__ import annotations

from pathlib import Path

from litestar import get
from litestar.datastructures import CacheControlHeader
from litestar.response import File
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

__all__ = ["STATIC_DIR", "WEB_HANDLERS", "index"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

# The page is tiny and changes with the server; revalidating each load keeps a phone from running
# yesterday's script against today's protocol.
_REVALIDATE = CacheControlHeader(no_cache=True)


@get("/", include_in_schema=False, cache_control=_REVALIDATE)
async def index() -> File:
    return File(STATIC_DIR / "index.html", content_disposition_type="inline", media_type="text/html")


_static = create_static_files_router(
    path="/static",
    directories=[STATIC_DIR],
    cache_control=_REVALIDATE,
    name="web-static",
)

WEB_HANDLERS: list[ControllerRouterHandler] = [index, _static]
