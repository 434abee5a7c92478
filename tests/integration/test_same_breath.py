"""Same breath in the pipeline: the rest of an utterance the meaning ended amends the set it logged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from server.services import Services, build_services
from server.settings import Settings
from server.store.users import create_user
from server.store.workouts import create_workout

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    env = {"VOICELOG_DATA_DIR": str(tmp_path), "VOICELOG_STT_SECOND_MODEL": "none"}
    built = await build_services(Settings.from_env(env))
    yield built
    await built.close()


async def _workout(services: Services) -> tuple[str, str]:
    user, _ = await create_user(services.sessionmaker, "lifter")
    async with services.sessionmaker() as session, session.begin():
        workout = await create_workout(session, user.id, None)
    return user.id, workout.id


Row = tuple[float | None, int | None, float | None]


async def _sets(services: Services, user_id: str, workout_id: str) -> list[Row]:
    from sqlalchemy import select

    from models.db import WorkoutSet

    async with services.sessionmaker() as session:
        rows = await session.execute(
            select(WorkoutSet).where(WorkoutSet.workout_id == workout_id).order_by(WorkoutSet.set_number)
        )
        return [(r.weight, r.reps, r.rpe) for r in rows.scalars()]


@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        ("felt like an eight", [(225.0, 5, 8.0)]),
        ("no, six", [(225.0, 6, None)]),
        ("one left in the tank", [(225.0, 5, 9.0)]),
        # a new set, even in the same breath: "again", a set count
        ("again", [(225.0, 5, None), (225.0, 5, None)]),
        ("two more sets", [(225.0, 5, None), (225.0, 5, None), (225.0, 5, None)]),
    ],
)
async def test_the_rest_of_the_utterance_amends_the_set_just_logged(
    services: Services, rest: str, expected: list[tuple[float, int, float | None]]
) -> None:
    user_id, workout_id = await _workout(services)
    first = await services.pipeline.handle_text(user_id, workout_id, "front squat two twenty five for five")
    assert first.action == "logged"
    second = await services.pipeline.handle_text(user_id, workout_id, rest, amends=True)
    assert await _sets(services, user_id, workout_id) == expected
    if len(expected) == 1:
        assert second.action == "corrected"
        assert second.sets[0].id == first.sets[0].id


async def test_without_amends_an_effort_alone_is_another_set_by_the_multi_turn_rules(
    services: Services,
) -> None:
    user_id, workout_id = await _workout(services)
    await services.pipeline.handle_text(user_id, workout_id, "front squat two twenty five for five")
    await services.pipeline.handle_text(user_id, workout_id, "felt like an eight")
    assert await _sets(services, user_id, workout_id) == [(225.0, 5, None), (225.0, 5, 8.0)]
