"""A lifter's own aliases: what the reader learned from their corrections, and how to take it back."""

from __future__ import annotations

from litestar import Controller, delete, get
from litestar.status_codes import HTTP_204_NO_CONTENT

from models.api import OwnAliasOut
from server.auth import CurrentUser
from server.errors import NotFound
from server.learning.store import aliases_of, forget
from server.services import Services
from server.store.workouts import iso

__all__ = ["OwnAliasController"]


class OwnAliasController(Controller):
    path = "/v1/aliases"
    tags = ["aliases"]  # noqa: RUF012

    @get("/", summary="The lifter's own aliases, learned from their corrections, oldest first")
    async def list_aliases(self, user: CurrentUser, services: Services) -> list[OwnAliasOut]:
        async with services.sessionmaker() as session:
            return [
                OwnAliasOut(
                    id=r.id,
                    phrase=r.phrase,
                    exercise_id=r.exercise_id,
                    exercise_name=name,
                    voice_command_id=r.voice_command_id,
                    created_at=iso(r.created_at) or "",
                    active=r.times >= r.needs,
                    times=r.times,
                    needs=r.needs,
                )
                for r, name in await aliases_of(session, user.id)
            ]

    @delete("/{alias_id:str}", status_code=HTTP_204_NO_CONTENT, summary="Forget one own alias")
    async def forget_alias(self, alias_id: str, user: CurrentUser, services: Services) -> None:
        async with services.sessionmaker() as session, session.begin():
            if not await forget(session, user.id, alias_id):
                raise NotFound(f"no alias {alias_id}")
