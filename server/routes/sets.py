"""Correcting and deleting logged sets."""

from __future__ import annotations

from litestar import Controller, delete, patch
from litestar.status_codes import HTTP_204_NO_CONTENT

from models.api import LoggedSet, SetPatch
from server.auth import CurrentUser
from server.services import Services

__all__ = ["SetController"]


class SetController(Controller):
    path = "/v1/sets"
    tags = ["sets"]  # noqa: RUF012

    @patch("/{set_id:str}")
    async def correct(self, set_id: str, data: SetPatch, user: CurrentUser, services: Services) -> LoggedSet:
        return await services.pipeline.correct_set(user.id, set_id, data.changes(), source="api")

    @delete("/{set_id:str}", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, set_id: str, user: CurrentUser, services: Services) -> None:
        await services.pipeline.delete_set(user.id, set_id)
