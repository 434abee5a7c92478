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
    hits = services.matcher.search(q, limit=limit)
    # The contract's scores are 0..1 whatever the matcher's fusion adds up to.
    return [ExerciseHit(id=h.id, name=h.name, score=round(min(1.0, max(0.0, h.score)), 4)) for h in hits]
