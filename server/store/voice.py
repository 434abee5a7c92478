"""Voice commands: the session context they give the parser, and finding one again by client_id."""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import User, VoiceCommand, Workout, WorkoutSet
from models.parsed import ParsedSet

__all__ = [
    "by_client_id",
    "final_output",
    "last_command",
    "last_logged_command",
    "recent_exercise_ids",
    "sets_of",
    "user_default_unit",
    "workout_unit",
]


def final_output(command: VoiceCommand) -> ParsedSet:
    """What the utterance finally meant: the corrected output when the lifter corrected it."""
    return msgspec.convert(command.corrected_output or command.parsed, ParsedSet)


async def last_logged_command(session: AsyncSession, workout_id: str) -> VoiceCommand | None:
    """The newest utterance of the workout that still has sets: what "same again", "make that six" and
    "scratch that" refer to."""
    return (
        await session.execute(
            select(VoiceCommand)
            .where(
                VoiceCommand.workout_id == workout_id,
                VoiceCommand.action == "logged",
                select(WorkoutSet.id).where(WorkoutSet.voice_command_id == VoiceCommand.id).exists(),
            )
            .order_by(VoiceCommand.created_at.desc())
            .limit(1)
        )
    ).scalar_one_or_none()


async def last_command(session: AsyncSession, workout_id: str) -> VoiceCommand | None:
    """The newest utterance of the workout, whatever came of it (a question asked included)."""
    return (
        await session.execute(
            select(VoiceCommand)
            .where(VoiceCommand.workout_id == workout_id)
            .order_by(VoiceCommand.created_at.desc())
            .limit(1)
        )
    ).scalar_one_or_none()


async def sets_of(session: AsyncSession, command_id: str) -> list[WorkoutSet]:
    return list(
        (
            await session.execute(
                select(WorkoutSet)
                .where(WorkoutSet.voice_command_id == command_id)
                .order_by(WorkoutSet.set_number)
            )
        ).scalars()
    )


async def recent_exercise_ids(session: AsyncSession, user_id: str, limit: int = 12) -> tuple[str, ...]:
    """The lifter's most recently logged exercises, newest first: the matcher favours them.

    Reads only the newest sets (an index range), so the cost does not grow with the lifter's history.
    """
    rows = await session.execute(
        select(WorkoutSet.exercise_id)
        .where(WorkoutSet.user_id == user_id)
        .order_by(WorkoutSet.created_at.desc())
        .limit(limit * 20)
    )
    return tuple(dict.fromkeys(rows.scalars()))[:limit]


async def by_client_id(session: AsyncSession, user_id: str, client_id: str) -> VoiceCommand | None:
    return (
        await session.execute(
            select(VoiceCommand).where(VoiceCommand.user_id == user_id, VoiceCommand.client_id == client_id)
        )
    ).scalar_one_or_none()


async def user_default_unit(session: AsyncSession, user_id: str) -> str:
    unit = (await session.execute(select(User.default_unit).where(User.id == user_id))).scalar_one_or_none()
    return unit or "lb"


async def workout_unit(session: AsyncSession, user_id: str, workout_id: str) -> str | None:
    """The owner's default unit if the workout is the caller's, else None (one round trip for both)."""
    if "\x00" in workout_id:
        return None
    return (
        await session.execute(
            select(User.default_unit)
            .join(Workout, Workout.user_id == User.id)
            .where(Workout.id == workout_id, Workout.user_id == user_id)
        )
    ).scalar_one_or_none()
