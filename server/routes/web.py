"""The web page: `/` and its static assets under `/static/` (plain files, no build step, no auth)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import get
from litestar.datastructures import CacheControlHeader
from litestar.file_system import BaseLocalFileSystem
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


class _PageFiles(BaseLocalFileSystem):
    """The local file system, where a name the OS refuses to look up (too long, NUL, a file used as a
    directory) is simply not there: Litestar answers any other OSError with a 500."""

    async def info(self, path: Any, **kwargs: Any) -> Any:
        try:
            return await super().info(path, **kwargs)
        except FileNotFoundError:
            raise
        except (OSError, ValueError) as exc:
            raise FileNotFoundError(str(path)[:64]) from exc


_static = create_static_files_router(
    path="/static",
    directories=[STATIC_DIR],
    cache_control=_REVALIDATE,
    name="web-static",
    file_system=_PageFiles(),
)

WEB_HANDLERS: list[ControllerRouterHandler] = [index, _static]
