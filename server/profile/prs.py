"""The lifter's best logged sets: the PRs the AI context shows beside the ones the profile states."""

from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from matcher.units import KG_PER_LB
from models.db import Exercise, WorkoutSet

__all__ = ["LoggedPr", "logged_prs"]


class LoggedPr(msgspec.Struct, kw_only=True, frozen=True, rename="camel"):
    exercise_id: str
    exercise: str
    weight: float
    unit: str | None
    reps: int | None
    date: str


async def logged_prs(
    session: AsyncSession, user_id: str, *, before: datetime | None = None, limit: int = 5
) -> list[LoggedPr]:
    """The heaviest set of each of the lifter's most-logged lifts (ties: more reps, then the earlier)."""
    weighted = [WorkoutSet.user_id == user_id, WorkoutSet.weight.is_not(None)]
    if before is not None:
        weighted.append(WorkoutSet.created_at < before)
    count = func.count(WorkoutSet.id)
    top = (
        await session.execute(
            select(WorkoutSet.exercise_id, count)
            .where(*weighted)
            .group_by(WorkoutSet.exercise_id)
            .order_by(count.desc(), WorkoutSet.exercise_id)
            .limit(limit)
        )
    ).all()
    prs: list[LoggedPr] = []
    for exercise_id, _ in top:
        rows = (
            await session.execute(
                select(
                    WorkoutSet.weight, WorkoutSet.unit, WorkoutSet.reps, WorkoutSet.created_at, Exercise.name
                )
                .join(Exercise, Exercise.id == WorkoutSet.exercise_id)
                .where(*weighted, WorkoutSet.exercise_id == exercise_id)
            )
        ).all()

        def key(r: tuple[float, str | None, int | None, datetime, str]) -> tuple[float, int, float]:
            kg = r[0] * KG_PER_LB if r[1] == "lb" else r[0]
            return (round(kg, 6), r[2] or 0, -r[3].timestamp())

        best = max(rows, key=key)  # type: ignore[arg-type]
        prs.append(
            LoggedPr(
                exercise_id=exercise_id,
                exercise=best[4],
                weight=float(best[0] or 0.0),
                unit=best[1],
                reps=best[2],
                date=best[3].date().isoformat(),
            )
        )
    return sorted(prs, key=lambda p: (p.exercise, p.exercise_id))
