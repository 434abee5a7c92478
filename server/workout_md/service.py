"""A stored workout as a WorkoutDoc: its sets grouped into exercise blocks, heaviest-yet loads marked PR."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from matcher.units import KG_PER_LB
from models.db import Exercise, WorkoutSet
from server.store.workouts import iso, load_sets, require_workout
from server.workout_md.document import ExerciseBlock, SetLine, WorkoutDoc
from server.workout_md.render import render_markdown

__all__ = ["KG_PER_LB", "workout_doc", "workout_markdown"]


def _kg(weight: float, unit: str | None) -> float:
    return weight * KG_PER_LB if unit == "lb" else weight


async def _best_before(session: AsyncSession, user_id: str, row: WorkoutSet) -> float | None:
    """The heaviest load (kg) this lifter moved on the exercise before this set, any workout."""
    best: float | None = None
    rows = await session.execute(
        select(WorkoutSet.unit, func.max(WorkoutSet.weight))
        .where(
            WorkoutSet.user_id == user_id,
            WorkoutSet.exercise_id == row.exercise_id,
            WorkoutSet.created_at < row.created_at,
            WorkoutSet.weight.is_not(None),
        )
        .group_by(WorkoutSet.unit)
    )
    for unit, weight in rows:
        if weight is not None:
            best = max(best or 0.0, _kg(weight, unit))
    return best


async def workout_doc(session: AsyncSession, user_id: str, workout_id: str) -> WorkoutDoc:
    workout = await require_workout(session, user_id, workout_id)
    rows = await load_sets(session, workout.id)
    ids = {r.exercise_id for r in rows}
    names = dict(
        (await session.execute(select(Exercise.id, Exercise.name).where(Exercise.id.in_(ids)))).all()
    )
    blocks: list[ExerciseBlock] = []
    pending: list[SetLine] = []
    for i, row in enumerate(rows):
        pr = False
        if row.weight is not None and row.reps:
            # A PR needs a history to beat: the first time a lift is logged is not a record.
            best = await _best_before(session, user_id, row)
            pr = best is not None and _kg(row.weight, row.unit) > best + 1e-9
        pending.append(
            SetLine(
                weight=row.weight,
                unit=row.unit if row.weight is not None else None,
                reps=row.reps,
                duration_s=row.duration_s,
                rpe=row.rpe,
                pr=pr,
            )
        )
        if i + 1 == len(rows) or rows[i + 1].exercise_id != row.exercise_id:
            name = names.get(row.exercise_id, row.exercise_id)
            blocks.append(ExerciseBlock(exercise_id=row.exercise_id, name=name, sets=tuple(pending)))
            pending = []
    return WorkoutDoc(
        id=workout.id,
        title=workout.name or "Workout",
        started_at=iso(workout.started_at) or "",
        ended_at=iso(workout.ended_at),
        blocks=tuple(blocks),
    )


async def workout_markdown(session: AsyncSession, user_id: str, workout_id: str) -> str:
    return render_markdown(await workout_doc(session, user_id, workout_id))
