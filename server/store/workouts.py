"""Workouts and the sets in them, as the contract shows them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.api import LoggedSet, WorkoutOut
from models.db import Exercise, Workout, WorkoutSet
from models.parsed import ExerciseRef
from server.errors import NotFound, shown_id

__all__ = [
    "create_workout",
    "get_workout",
    "iso",
    "load_sets",
    "logged_set",
    "logged_sets",
    "require_workout",
    "workout_out",
]


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC; SQLite hands datetimes back naive, and they were stored as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


async def create_workout(session: AsyncSession, user_id: str, name: str | None) -> Workout:
    workout = Workout(user_id=user_id, name=name)
    session.add(workout)
    await session.flush()
    return workout


async def require_workout(session: AsyncSession, user_id: str, workout_id: str) -> Workout:
    if "\x00" in workout_id:  # PostgreSQL refuses NUL in text; no id holds one
        raise NotFound(f"no workout {shown_id(workout_id)!r}")
    workout = (
        await session.execute(select(Workout).where(Workout.id == workout_id, Workout.user_id == user_id))
    ).scalar_one_or_none()
    if workout is None:
        raise NotFound(f"no workout {shown_id(workout_id)}")
    return workout


def logged_set(row: WorkoutSet, exercise: ExerciseRef) -> LoggedSet:
    """The contract's LoggedSet for one stored row, with its exercise already named."""
    return LoggedSet(
        id=row.id,
        workout_id=row.workout_id,
        exercise=exercise,
        set_number=row.set_number,
        reps=row.reps,
        weight=row.weight,
        unit=row.unit,  # type: ignore[arg-type]
        rpe=row.rpe,
        duration_s=row.duration_s,
        voice_command_id=row.voice_command_id,
        created_at=iso(row.created_at) or "",
        corrected=bool(row.corrected),
    )


async def logged_sets(session: AsyncSession, rows: Sequence[WorkoutSet]) -> list[LoggedSet]:
    if not rows:
        return []
    ids = {r.exercise_id for r in rows}
    result = await session.execute(select(Exercise.id, Exercise.name).where(Exercise.id.in_(ids)))
    names = {ident: name for ident, name in result}
    return [
        logged_set(r, ExerciseRef(id=r.exercise_id, name=names.get(r.exercise_id, r.exercise_id)))
        for r in rows
    ]


async def load_sets(session: AsyncSession, workout_id: str) -> list[WorkoutSet]:
    return list(
        (
            await session.execute(
                select(WorkoutSet)
                .where(WorkoutSet.workout_id == workout_id)
                .order_by(WorkoutSet.created_at, WorkoutSet.set_number)
            )
        ).scalars()
    )


async def workout_out(session: AsyncSession, workout: Workout, *, with_sets: bool = True) -> WorkoutOut:
    sets = await logged_sets(session, await load_sets(session, workout.id)) if with_sets else []
    return WorkoutOut(
        id=workout.id,
        name=workout.name,
        started_at=iso(workout.started_at) or "",
        ended_at=iso(workout.ended_at),
        sets=sets,
    )


async def get_workout(session: AsyncSession, user_id: str, workout_id: str) -> WorkoutOut:
    return await workout_out(session, await require_workout(session, user_id, workout_id))
