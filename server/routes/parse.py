"""Stateless parsing: what would this utterance log? Persists nothing."""

from __future__ import annotations

from litestar import post
from litestar.status_codes import HTTP_200_OK

from models.api import ParseIn
from models.parsed import ParsedSet
from server.auth import CurrentUser
from server.errors import BadInput
from server.services import Services

__all__ = ["parse_text"]


@post("/v1/parse", status_code=HTTP_200_OK, tags=["understanding"])
async def parse_text(data: ParseIn, user: CurrentUser, services: Services) -> ParsedSet:
    if not data.text.strip():
        raise BadInput("text is empty", code="empty_text")
    understanding = await services.understander.understand(
        data.text,
        unit=data.unit or user.default_unit,  # type: ignore[arg-type]
        previous=data.previous,
        user_id=user.id,
    )
    return understanding.result.parsed
