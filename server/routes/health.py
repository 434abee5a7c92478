from __future__ import annotations

from litestar import Response, get

from models.api import Health
from server.scale.health import readiness
from server.services import Services

__all__ = ["health"]


@get("/health", tags=["meta"], summary="Readiness (no auth): 503 while a part is down or the instance drains")
async def health(services: Services) -> Response[Health]:
    status, checks = await readiness(services)
    body = Health(status=status, checks=checks, instance=services.instance_id)
    return Response(body, status_code=200 if status == "ok" else 503)
