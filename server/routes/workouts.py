"""Workouts, and utterances logged into them."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.status_codes import HTTP_201_CREATED

from models.api import UtteranceIn, UtteranceOut, WorkoutIn, WorkoutOut
from server.auth import CurrentUser
from server.errors import BadInput
from server.pipeline import UtteranceOutcome
from server.ratelimit import enforce
from server.services import Services
from server.store.workouts import create_workout, get_workout, workout_out

__all__ = ["WorkoutController", "utterance_out"]


def utterance_out(outcome: UtteranceOutcome, *, transcript: str | None = None) -> UtteranceOut:
    return UtteranceOut(
        voice_command_id=outcome.voice_command_id,
        parsed=outcome.parsed,
        sets=outcome.sets,
        action=outcome.action,
        question=outcome.clarify_question,
        transcript=transcript,
        undone=outcome.undone,
        timing_ms=outcome.timing_ms,
        prs=outcome.prs,
    )


class WorkoutController(Controller):
    path = "/v1/workouts"
    tags = ["workouts"]  # noqa: RUF012

    @post("/", status_code=HTTP_201_CREATED)
    async def create(
        self, user: CurrentUser, services: Services, data: WorkoutIn | None = None
    ) -> WorkoutOut:
        async with services.sessionmaker() as session, session.begin():
            workout = await create_workout(session, user.id, data.name if data else None)
            return await workout_out(session, workout, with_sets=False)

    @get("/{workout_id:str}")
    async def read(self, workout_id: str, user: CurrentUser, services: Services) -> WorkoutOut:
        async with services.sessionmaker() as session:
            return await get_workout(session, user.id, workout_id)

    @post("/{workout_id:str}/utterances", status_code=HTTP_201_CREATED)
    async def utterance(
        self, workout_id: str, data: UtteranceIn, user: CurrentUser, services: Services
    ) -> UtteranceOut:
        if not data.text.strip():
            raise BadInput("text is empty", code="empty_text")
        await enforce(services.rate_limiter, user.id, "utterance")  # engineer E: per-user limits
        outcome = await services.pipeline.handle_text(
            user.id,
            workout_id,
            data.text,
            unit=data.unit,
            client_id=str(data.client_id) if data.client_id else None,
            source="text",
        )
        return utterance_out(outcome)
