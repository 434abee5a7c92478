"""Workouts, and utterances logged into them."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from models.api import UtteranceIn, UtteranceOut, WorkoutIn, WorkoutOut
from server.auth import CurrentUser
from server.errors import BadInput, NotFound
from server.pipeline import UtteranceOutcome
from server.ratelimit import enforce
from server.services import Services
from server.store.workouts import create_workout, get_workout, workout_out
from server.workout_md.edit import apply_markdown
from server.workout_md.service import workout_markdown

__all__ = ["WorkoutController", "utterance_out"]


def utterance_out(outcome: UtteranceOutcome, *, transcript: str | None = None) -> UtteranceOut:
    spoken_back = outcome.action in ("answered", "profile_updated", "exercise_created")
    return UtteranceOut(
        voice_command_id=outcome.voice_command_id,
        parsed=outcome.parsed,
        sets=outcome.sets,
        action=outcome.action,
        question=None if spoken_back else outcome.clarify_question,
        reply=outcome.clarify_question if spoken_back else None,
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

    @get(
        "/{workout_id:str}",
        description="`GET /v1/workouts/{id}.md` answers the same workout as text/markdown "
        "(one line per set, e.g. `- 225 lb × 5 @ RPE 8`).",
    )
    async def read(
        self, workout_id: str, user: CurrentUser, services: Services
    ) -> WorkoutOut | Response[str]:
        async with services.sessionmaker() as session:
            # Litestar matches whole path segments only, so `{id}.md` arrives here as the id.
            if workout_id.endswith(".md"):
                text = await workout_markdown(session, user.id, workout_id.removesuffix(".md"))
                return Response(text, media_type="text/markdown; charset=utf-8")
            return await get_workout(session, user.id, workout_id)

    @delete("/{workout_id:str}", status_code=HTTP_204_NO_CONTENT, summary="Delete a workout and its sets")
    async def remove(self, workout_id: str, user: CurrentUser, services: Services) -> None:
        await services.pipeline.delete_workout(user.id, workout_id)

    @put(
        "/{workout_id:str}",
        summary="PUT /v1/workouts/{id}.md: an edited markdown of the workout (text/markdown)",
        description="Each changed value becomes a correction of its set (source `markdown`); the answer "
        "is the workout's markdown as stored. The number of sets may not change (409).",
    )
    async def put_markdown(
        self, workout_id: str, request: Request[Any, Any, Any], user: CurrentUser, services: Services
    ) -> Response[str]:
        if not workout_id.endswith(".md"):
            raise NotFound("only the markdown of a workout can be PUT: /v1/workouts/{id}.md")
        workout_id = workout_id.removesuffix(".md")
        try:
            text = (await request.body()).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput("the markdown must be UTF-8", code="invalid_markdown") from exc

        def resolve(name: str) -> str | None:
            match = services.matcher.match(name)
            # A name the catalog barely explains is refused rather than guessed.
            return match.exercise.id if match.exercise is not None and match.score >= 0.5 else None

        async with services.sessionmaker() as session, session.begin():
            await apply_markdown(session, user.id, workout_id, text, resolve=resolve)
        async with services.sessionmaker() as session:
            markdown = await workout_markdown(session, user.id, workout_id)
        return Response(markdown, media_type="text/markdown; charset=utf-8")

    @post("/{workout_id:str}/utterances", status_code=HTTP_201_CREATED)
    async def utterance(
        self, workout_id: str, data: UtteranceIn, user: CurrentUser, services: Services
    ) -> UtteranceOut:
        if not data.text.strip():
            raise BadInput("text is empty", code="empty_text")
        client_id = str(data.client_id) if data.client_id else None
        if client_id is not None and (
            first := await services.pipeline.replay(user.id, workout_id, client_id)
        ):
            return utterance_out(first)  # a retry answers the first result and never counts against limits
        await enforce(services.rate_limiter, user.id, "utterance")  # engineer E: per-user limits
        outcome = await services.pipeline.handle_text(
            user.id,
            workout_id,
            data.text,
            unit=data.unit,
            client_id=client_id,
            source="text",
        )
        return utterance_out(outcome)
