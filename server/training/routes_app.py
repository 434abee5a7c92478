"""REST routes for what the app sends beyond sets: recommendations, feedback, instrument events, profile
versions, and the lifter's training settings (the 1RM formula, analytics opt-in)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post, put
from litestar.status_codes import HTTP_201_CREATED

from models.training import FeedbackIn, InstrumentIn, ProfileVersionIn, RecommendationIn, TrainingSettingsIn
from server.auth import CurrentUser
from server.errors import BadInput, UnknownExercise
from server.services import Services
from server.store.sets import ensure_exercise
from server.training import app_data

__all__ = ["TrainingAppController"]


class TrainingAppController(Controller):
    path = "/v1"
    tags = ["training"]  # noqa: RUF012

    @post("/recommendations", status_code=HTTP_201_CREATED)
    async def recommendation(
        self, data: RecommendationIn, user: CurrentUser, services: Services
    ) -> dict[str, Any]:
        """A recommendation the app served (kept with its payload): feedback can refer to it."""
        from matcher.parser import CONFIDENCE_THRESHOLD

        async with services.sessionmaker() as session, session.begin():
            exercise_id = None
            if data.exercise_id is not None:
                exercise_id = (await ensure_exercise(session, data.exercise_id)).id
            elif data.exercise is not None:
                found = services.matcher.match(data.exercise)
                if found.exercise is None or found.score < CONFIDENCE_THRESHOLD:
                    raise UnknownExercise(
                        f"exercise {data.exercise!r} is not one the catalog knows well enough"
                    )
                exercise_id = str(found.exercise.id)
            return await app_data.add_recommendation(session, user.id, data, exercise_id)

    @post("/feedback", status_code=HTTP_201_CREATED)
    async def feedback(self, data: FeedbackIn, user: CurrentUser, services: Services) -> dict[str, Any]:
        """Was a recommendation or a session helpful (and notes)."""
        async with services.sessionmaker() as session, session.begin():
            return await app_data.add_feedback(session, user.id, data)

    @post("/instrument", status_code=HTTP_201_CREATED)
    async def instrument(self, data: InstrumentIn, user: CurrentUser, services: Services) -> dict[str, Any]:
        """Typed app events; kept only when the lifter opted in to analytics."""
        async with services.sessionmaker() as session, session.begin():
            return await app_data.add_instrument_events(session, user.id, data)

    @post("/profile-versions", status_code=HTTP_201_CREATED)
    async def add_profile_version(
        self, data: ProfileVersionIn, user: CurrentUser, services: Services
    ) -> dict[str, Any]:
        """A profile snapshot from an effective date on (source user | auto); its bodyweight feeds the
        weekly summaries' bodyweight_change."""
        async with services.sessionmaker() as session, session.begin():
            return await app_data.add_profile_version(session, user.id, data)

    @get("/profile-versions")
    async def list_profile_versions(self, user: CurrentUser, services: Services) -> dict[str, Any]:
        async with services.sessionmaker() as session:
            return {"versions": await app_data.profile_versions(session, user.id)}

    @get("/training/settings")
    async def get_settings(self, user: CurrentUser, services: Services) -> dict[str, Any]:
        async with services.sessionmaker() as session:
            return app_data.settings_out(await session.get(app_data.TrainingSettings, user.id))

    @put("/training/settings")
    async def put_settings(
        self, data: TrainingSettingsIn, user: CurrentUser, services: Services
    ) -> dict[str, Any]:
        """Choose the 1RM formula (records are replayed with it) and opt in or out of analytics events."""
        if data.e1rm_formula is None and data.analytics_opt_in is None:
            raise BadInput("send e1rm_formula and/or analytics_opt_in", code="empty_body")
        async with services.sessionmaker() as session, session.begin():
            return await app_data.change_settings(session, user.id, data)
