"""`GET /v1/progress?exercise_id=&range=`: one exercise's estimated 1RM per session over the range (the
web page's chart), the e1rm records set in it (its markers) and the next set's target."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import WorkoutSet, utcnow
from models.db_training import PrRecord
from server.training.analytics import e1rm_kg_sql
from server.training.formulas import to_unit
from server.training.modifiers import next_set
from server.training.store import aware, formula_of

__all__ = ["progress"]


def _at(value: Any) -> datetime:
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


async def progress(
    session: AsyncSession,
    user_id: str,
    unit: str,
    exercise_id: str,
    equipment: str | None,
    span: timedelta | None,
) -> dict[str, Any]:
    formula = await formula_of(session, user_id)
    since = utcnow() - span if span is not None else None
    query = select(
        WorkoutSet.workout_id,
        func.max(e1rm_kg_sql(formula)),
        func.min(type_coerce(WorkoutSet.created_at, String)),
    ).where(WorkoutSet.user_id == user_id, WorkoutSet.exercise_id == exercise_id)
    if since is not None:
        query = query.where(WorkoutSet.created_at >= since)
    rows = [(w, e, _at(at)) for w, e, at in await session.execute(query.group_by(WorkoutSet.workout_id))]
    rows.sort(key=lambda r: r[2])
    points = [
        {"date": at.date().isoformat(), "workout_id": w, "e1rm": round(to_unit(float(e), "kg", unit), 2)}
        for w, e, at in rows
        if e is not None
    ]
    records = select(PrRecord.value_kg, PrRecord.achieved_at, PrRecord.workout_id).where(
        PrRecord.user_id == user_id,
        PrRecord.exercise_id == exercise_id,
        PrRecord.pr_type == "e1rm",
        PrRecord.withdrawn_at.is_(None),
    )
    if since is not None:
        records = records.where(PrRecord.achieved_at >= since)
    prs = [
        {
            "date": aware(at).date().isoformat(),
            "workout_id": workout_id,
            "e1rm": round(to_unit(value_kg, "kg", unit), 2),
        }
        for value_kg, at, workout_id in await session.execute(records.order_by(PrRecord.achieved_at))
    ]
    target = await next_set(session, user_id, unit, exercise_id, equipment)
    return {
        "exercise_id": exercise_id,
        "unit": unit,
        "formula": formula,
        "points": points,
        "prs": prs,
        "next": msgspec.to_builtins(target),
    }
