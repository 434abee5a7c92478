from __future__ import annotations

from litestar import get

from models.api import Health

__all__ = ["health"]


@get("/health", tags=["meta"], summary="Liveness (no auth)")
async def health() -> Health:
    return Health(status="ok")
