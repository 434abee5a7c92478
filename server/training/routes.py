"""REST routes of the training room: records, sessions, analytics, the next set's target."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.params import QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from models.db import utcnow
from models.training import NextSetOut, SessionIn, SessionOut
from server.auth import CurrentUser
from server.errors import BadInput
from server.services import Services
from server.store.sets import ensure_exercise
from server.training.analytics import analytics
from server.training.app_data import bodyweights, lifter_formula
from server.training.modifiers import next_set
from server.training.progress import progress
from server.training.records import PR_TYPES
from server.training.routes_app import TrainingAppController
from server.training.rules import parse_range
from server.training.sessions import create_session
from server.training.store import current_records, pr_out

__all__ = ["TRAINING_HANDLERS", "TrainingController"]


def _exercise_param(exercise_id: str | None) -> str:
    if exercise_id is None or not exercise_id.strip():
        raise BadInput(
            "exercise_id is required (GET /v1/exercises?q=... lists ids)", code="missing_exercise_id"
        )
    if len(exercise_id) > 120 or "\x00" in exercise_id:
        raise BadInput("exercise_id is not an exercise id", code="invalid_input")
    return exercise_id


class TrainingController(Controller):
    path = "/v1"
    tags = ["training"]  # noqa: RUF012

    @get("/prs")
    async def prs(
        self,
        user: CurrentUser,
        services: Services,
        exercise_id: str | None = None,
    ) -> dict[str, Any]:
        """The lifter's standing records for the exercise, one per pr_type (for reps_at_weight, the one
        at the heaviest weight)."""
        exercise_id = _exercise_param(exercise_id)
        async with services.sessionmaker() as session:
            await ensure_exercise(session, exercise_id)
            rows = await current_records(session, user.id, exercise_id)
        best: dict[str, Any] = {}
        for row in rows:
            held = best.get(row.pr_type)
            if held is None or float(row.key or 0) > float(held.key or 0):
                best[row.pr_type] = row
        ordered = [best[t] for t in PR_TYPES if t in best]
        return {"exercise_id": exercise_id, "prs": [pr_out(exercise_id, r) for r in ordered]}

    @get("/analytics")
    async def analytics(
        self,
        user: CurrentUser,
        services: Services,
        range_: Annotated[str | None, QueryParameter(name="range")] = None,
    ) -> dict[str, Any]:
        """Records per exercise, plateaus and weekly summaries over the range (default 30d)."""
        try:
            span = parse_range(range_)
        except ValueError as exc:
            raise BadInput(str(exc), code="invalid_range") from exc
        async with services.sessionmaker() as session:
            formula = await lifter_formula(session, user.id)
            weights = await bodyweights(session, user.id, utcnow().date())
            return await analytics(
                session,
                user.id,
                user.default_unit,
                span,
                services.matcher.catalog,
                formula=formula,
                bodyweights=weights,
            )

    @get("/progress")
    async def progress(
        self,
        user: CurrentUser,
        services: Services,
        exercise_id: str | None = None,
        range_: Annotated[str | None, QueryParameter(name="range")] = None,
    ) -> dict[str, Any]:
        """One exercise's estimated 1RM per session over the range (default 30d), its e1rm records in the
        range and the next set's target: the web page's progress view."""
        exercise_id = _exercise_param(exercise_id)
        try:
            span = parse_range(range_)
        except ValueError as exc:
            raise BadInput(str(exc), code="invalid_range") from exc
        async with services.sessionmaker() as session:
            await ensure_exercise(session, exercise_id)
            known = services.matcher.catalog.get(exercise_id)
            equipment = known.equipment if known is not None else None
            return await progress(session, user.id, user.default_unit, exercise_id, equipment, span)

    @post("/sessions", status_code=HTTP_201_CREATED)
    async def sessions(self, data: SessionIn, user: CurrentUser, services: Services) -> SessionOut:
        """A session as the app sends it (recommended vs actual per set); its done sets join the history."""
        from matcher.parser import CONFIDENCE_THRESHOLD

        async with services.sessionmaker() as session, session.begin():
            return await create_session(
                session, user.id, user.default_unit, data, services.matcher, CONFIDENCE_THRESHOLD
            )

    @get("/recommendations/next")
    async def next_set(
        self,
        user: CurrentUser,
        services: Services,
        exercise_id: str | None = None,
    ) -> NextSetOut:
        """The next set's target: the last session's top set, changed by the newest adaptive modifier."""
        exercise_id = _exercise_param(exercise_id)
        async with services.sessionmaker() as session:
            await ensure_exercise(session, exercise_id)
            known = services.matcher.catalog.get(exercise_id)
            equipment = known.equipment if known is not None else None
            return await next_set(session, user.id, user.default_unit, exercise_id, equipment)


TRAINING_HANDLERS: list[Any] = [TrainingController, TrainingAppController]
