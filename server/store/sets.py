"""Changing logged sets: corrections with their history, and deletion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import Exercise, SetCorrection, VoiceCommand, WorkoutSet, utcnow
from models.parsed import ExerciseRef, ParsedSet
from server.learning.store import learn

__all__ = ["CORRECTABLE", "apply_changes", "correction_type", "ensure_exercise", "require_set"]

CORRECTABLE = ("exercise_id", "reps", "weight", "unit", "rpe", "duration_s")
_TYPE_NAMES = {"exercise_id": "exercise", "duration_s": "duration"}


async def require_set(session: AsyncSession, user_id: str, set_id: str) -> WorkoutSet:
    from server.errors import NotFound, shown_id

    if "\x00" in set_id:  # PostgreSQL refuses NUL in text; no id holds one
        raise NotFound(f"no set {shown_id(set_id)!r}")
    row = (
        await session.execute(
            select(WorkoutSet).where(WorkoutSet.id == set_id, WorkoutSet.user_id == user_id)
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"no set {shown_id(set_id)}")
    return row


async def ensure_exercise(session: AsyncSession, exercise_id: str, user_id: str | None = None) -> ExerciseRef:
    """The catalog's exercise, or a custom one of `user_id`'s (another lifter's is as unknown as a typo)."""
    from server.errors import UnknownExercise

    found = (
        await session.execute(select(Exercise.name, Exercise.owner_id).where(Exercise.id == exercise_id))
    ).one_or_none()
    name = found.name if found is not None and found.owner_id in (None, user_id) else None
    if name is None:
        raise UnknownExercise(f"unknown exercise id {exercise_id!r}; GET /v1/exercises?q=... lists ids")
    return ExerciseRef(id=exercise_id, name=name)


def correction_type(fields: Sequence[str], previous: str | None = None) -> str | None:
    """exercise / reps / weight / unit / rpe / duration, or multiple when more than one kind changed."""
    kinds = {_TYPE_NAMES.get(f, f) for f in fields}
    if previous:
        kinds.add(previous)
    if not kinds:
        return None
    return kinds.pop() if len(kinds) == 1 else "multiple"


async def apply_changes(
    session: AsyncSession,
    *,
    user_id: str,
    rows: Sequence[WorkoutSet],
    changes: Mapping[str, Any],
    source: str,
    default_unit: str,
    voice_command_id: str | None = None,
) -> list[str]:
    """Change the rows, record every changed field in set_corrections, mark their voice commands corrected.

    Returns the names of the fields that actually changed (sending a set's current value changes nothing).
    """
    changes = dict(changes)
    if "exercise_id" in changes:
        await ensure_exercise(session, changes["exercise_id"], user_id)
    now = utcnow()
    changed: set[str] = set()
    for row in rows:
        wanted = dict(changes)
        # The contract's unit is null exactly when weight is: keep the two consistent.
        if wanted.get("weight") is not None and "unit" not in wanted and row.unit is None:
            wanted["unit"] = default_unit
        if "weight" in wanted and wanted["weight"] is None and "unit" not in wanted:
            wanted["unit"] = None
        row_changed = []
        for field, new in wanted.items():
            old = getattr(row, field)
            if old == new:
                continue
            setattr(row, field, new)
            row_changed.append(field)
            session.add(
                SetCorrection(
                    set_id=row.id,
                    user_id=user_id,
                    voice_command_id=voice_command_id,
                    field=field,
                    old_value=old,
                    new_value=new,
                    source=source,
                    at=now,
                )
            )
        if row_changed:
            row.corrected = True
            row.updated_at = now
            changed.update(row_changed)
    if changed:
        await _mark_commands(session, user_id, rows, sorted(changed))
    await session.flush()
    return sorted(changed)


_EXACT = 0.99  # the matcher's score of an exact name or alias


def _named_exactly(command: VoiceCommand) -> bool:
    """The utterance's phrase was an exact name or alias of the exercise it was first read as."""
    top = (command.candidates or [None])[0]
    read = (command.parsed or {}).get("exercise") or {}
    return (
        isinstance(top, dict) and top.get("id") == read.get("id") and float(top.get("score") or 0) >= _EXACT
    )


async def _mark_commands(
    session: AsyncSession, user_id: str, rows: Sequence[WorkoutSet], fields: list[str]
) -> None:
    command_ids = {r.voice_command_id for r in rows if r.voice_command_id}
    if not command_ids:
        return
    commands = (await session.execute(select(VoiceCommand).where(VoiceCommand.id.in_(command_ids)))).scalars()
    for command in commands:
        row = next(r for r in rows if r.voice_command_id == command.id)
        base = msgspec.convert(command.corrected_output or command.parsed, ParsedSet)
        exercise = await ensure_exercise(session, row.exercise_id, row.user_id)
        corrected = msgspec.structs.replace(
            base,
            exercise=exercise,
            alternatives=[] if exercise != base.exercise else base.alternatives,
            reps=row.reps,
            weight=row.weight,
            unit=row.unit,  # type: ignore[arg-type]
            rpe=row.rpe,
            duration_s=row.duration_s,
        )
        command.was_corrected = True
        command.correction_type = correction_type(fields, command.correction_type)
        command.corrected_output = msgspec.to_builtins(corrected)
        phrase = (command.trace or {}).get("exercise_phrase")
        if "exercise_id" in fields and phrase and user_id == command.user_id:
            # "no, skull crushers": what they said is their name for it; next time it is read right.
            await learn(
                session,
                user_id=user_id,
                phrase=phrase,
                exercise_id=row.exercise_id,
                voice_command_id=command.id,
                needs=2 if _named_exactly(command) else 1,
            )
