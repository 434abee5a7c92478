"""Exercise catalog search."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.params import Parameter

from models.api import ExerciseHit
from server.auth import CurrentUser
from server.errors import BadInput
from server.services import Services

__all__ = ["search_exercises"]


@get("/v1/exercises", tags=["exercises"])
async def search_exercises(
    user: CurrentUser,
    services: Services,
    q: Annotated[str, Parameter(max_length=200)] = "",
    limit: Annotated[int, Parameter(ge=1, le=50)] = 10,
) -> list[ExerciseHit]:
    if not q.strip():
        raise BadInput("give a search text: /v1/exercises?q=bench", code="missing_query")
    return list(services.matcher.search(q, limit=limit))
