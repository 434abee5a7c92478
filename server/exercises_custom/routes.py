"""`/v1/exercises`: search the catalog and the lifter's own exercises (`GET ?q=`), and make (`POST`), list
(`GET /custom`) and edit (`PATCH /{id}`) their own. One controller: Litestar routes one path's methods
together."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED

from models.api import ExerciseHit
from models.custom_exercises import CustomExerciseIn, CustomExerciseOut, CustomExercisePatch
from models.db import Exercise
from server.auth import CurrentUser
from server.errors import BadInput, NotFound
from server.exercises_custom import store as custom
from server.exercises_custom.search import search_own
from server.services import Services
from server.store.workouts import iso
from server.sync.exercises import server_edit

__all__ = ["ExerciseController"]


def _out(row: Exercise, aliases: list[str]) -> CustomExerciseOut:
    return CustomExerciseOut(
        id=row.id,
        name=row.name,
        aliases=aliases,
        equipment=row.equipment,
        category=row.category,
        created_at=iso(row.created_at),
    )


class ExerciseController(Controller):
    path = "/v1/exercises"
    tags = ["exercises"]  # noqa: RUF012

    @get("/", summary="Exercises ranked for a search text: the catalog's and the lifter's own")
    async def search_exercises(
        self,
        user: CurrentUser,
        services: Services,
        q: Annotated[str, Parameter(max_length=200)] = "",
        limit: Annotated[int, Parameter(ge=1, le=50)] = 10,
    ) -> list[ExerciseHit]:
        if not q.strip():
            raise BadInput("give a search text: /v1/exercises?q=bench", code="missing_query")
        hits = services.matcher.search(q, limit=limit)
        # The contract's scores are 0..1 whatever the matcher's fusion adds up to.
        found = [ExerciseHit(id=h.id, name=h.name, score=round(min(1.0, max(0.0, h.score)), 4)) for h in hits]
        async with services.sessionmaker() as session:  # the lifter's custom exercises rank among them
            found += await search_own(session, user.id, q)
        return sorted(found, key=lambda h: -h.score)[:limit]

    @post("/", status_code=HTTP_201_CREATED, summary="Create a custom exercise of the lifter's own")
    async def create_exercise(
        self, data: CustomExerciseIn, user: CurrentUser, services: Services
    ) -> CustomExerciseOut:
        async with services.sessionmaker() as session, session.begin():
            row = await custom.create(
                session,
                user.id,
                name=data.name,
                aliases=data.aliases,
                equipment=data.equipment,
                category=data.category,
            )
            return _out(row, (await custom.aliases_of(session, [row.id]))[row.id])

    @get("/custom", summary="The lifter's custom exercises, oldest first")
    async def list_custom(self, user: CurrentUser, services: Services) -> list[CustomExerciseOut]:
        async with services.sessionmaker() as session:
            return [_out(row, aliases) for row, aliases in await custom.list_own(session, user.id)]

    @patch("/{exercise_id:str}", summary="Rename a custom exercise, or change its aliases")
    async def edit_exercise(
        self, exercise_id: str, data: CustomExercisePatch, user: CurrentUser, services: Services
    ) -> CustomExerciseOut:
        async with services.sessionmaker() as session, session.begin():
            row = await custom.owned(session, user.id, exercise_id)
            if row is None:
                raise NotFound(
                    f"no custom exercise {exercise_id} of yours (catalog exercises cannot be edited)"
                )
            changed: dict[str, Any] = {}
            if data.name is not msgspec.UNSET and custom.clean(data.name) != row.name:
                await custom.rename(session, row, data.name)
                changed["name"] = row.name
            for field in ("equipment", "category"):
                value = getattr(data, field)
                if value is not msgspec.UNSET and value != getattr(row, field):
                    setattr(row, field, value)
                    changed[field] = value
            aliases = (await custom.aliases_of(session, [row.id]))[row.id]
            if data.aliases is not msgspec.UNSET:
                wanted = await custom.replace_aliases(session, row.id, data.aliases)
                if wanted != aliases:
                    changed["aliases"] = wanted
                aliases = wanted
            if changed:
                await session.flush()
                await server_edit(session, user.id, row.id, changed)
                await custom.journal(session, user.id, row.id)
            return _out(row, aliases)
