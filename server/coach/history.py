"""The lifter's logged sets as one short text per lift, for the coach to retrieve and cite."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from matcher.units import KG_PER_LB
from models.db import Exercise, WorkoutSet
from server.workout_md.render import format_number

__all__ = ["history_texts"]


def _set(weight: float | None, unit: str | None, reps: int | None, duration_s: int | None) -> str:
    load = f"{format_number(weight)} {unit or ''}".strip() if weight is not None else "bodyweight"
    amount = f" × {reps}" if reps else ""
    held = f" for {duration_s} s" if duration_s else ""
    return f"{load}{amount}{held}"


async def history_texts(session: AsyncSession, user_id: str, *, rows: int = 300) -> dict[str, str]:
    """exercise id → "Name: best 110 kg × 3 on 2026-12-01; last sets 100 kg × 5 (2026-12-03), ..."."""
    result = await session.execute(
        select(
            WorkoutSet.exercise_id,
            Exercise.name,
            WorkoutSet.weight,
            WorkoutSet.unit,
            WorkoutSet.reps,
            WorkoutSet.duration_s,
            WorkoutSet.created_at,
        )
        .join(Exercise, Exercise.id == WorkoutSet.exercise_id)
        .where(WorkoutSet.user_id == user_id)
        .order_by(WorkoutSet.created_at.desc(), WorkoutSet.id)
        .limit(rows)
    )
    by_lift: dict[str, list[tuple[str, float | None, str | None, int | None, int | None, str]]] = defaultdict(
        list
    )
    for ex_id, name, weight, unit, reps, duration_s, at in result:
        by_lift[ex_id].append((name, weight, unit, reps, duration_s, at.date().isoformat()))
    texts = {}
    for ex_id, sets in by_lift.items():
        name = sets[0][0]
        recent = ", ".join(f"{_set(*s[1:5])} ({s[5]})" for s in sets[:5])
        weighted = [s for s in sets if s[1] is not None]
        best = ""
        if weighted:
            top = max(weighted, key=lambda s: ((s[1] or 0) * (KG_PER_LB if s[2] == "lb" else 1), s[3] or 0))
            best = f"best {_set(*top[1:5])} on {top[5]}; "
        texts[ex_id] = f"{name}: {best}last sets {recent}"
    return texts
