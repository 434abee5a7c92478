"""The lifter's workouts, newest first, whatever made them (voice, typed, sync, an import)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from litestar import get
from litestar.params import Parameter
from sqlalchemy import and_, func, or_, select

from models.db import Workout, WorkoutSet
from models.db_imports import ExternalActivityRecord
from models.history import WorkoutPage, WorkoutSummary
from server.auth import CurrentUser
from server.errors import BadInput
from server.services import Services
from server.store.workouts import iso

__all__ = ["list_workouts"]

_SEP = "~"


def _cursor(before: str) -> tuple[datetime, str | None]:
    """`before` is a time (ISO 8601), or the `next_before` of a page: that time and the last id shown."""
    stamp, _, last_id = before.partition(_SEP)
    try:
        at = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(f"before {before!r} is not a time or a page cursor", code="invalid_cursor") from None
    return (at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)), (last_id or None)


@get("/v1/workouts", tags=["workouts"], summary="The lifter's workouts, newest first, a page at a time")
async def list_workouts(
    user: CurrentUser,
    services: Services,
    limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    before: Annotated[str | None, Parameter(max_length=100)] = None,
) -> WorkoutPage:
    query = select(Workout).where(Workout.user_id == user.id)
    if before:
        at, last_id = _cursor(before)
        if last_id is None:
            query = query.where(Workout.started_at < at)
        else:
            query = query.where(
                or_(Workout.started_at < at, and_(Workout.started_at == at, Workout.id < last_id))
            )
    query = query.order_by(Workout.started_at.desc(), Workout.id.desc()).limit(limit + 1)
    async with services.sessionmaker() as session:
        rows = list((await session.execute(query)).scalars())
        more, rows = len(rows) > limit, rows[:limit]
        ids = [w.id for w in rows]
        counts = dict(
            (
                await session.execute(
                    select(WorkoutSet.workout_id, func.count())
                    .where(WorkoutSet.workout_id.in_(ids))
                    .group_by(WorkoutSet.workout_id)
                )
            ).all()
        )
        sources = dict(
            (
                await session.execute(
                    select(ExternalActivityRecord.workout_id, ExternalActivityRecord.provider).where(
                        ExternalActivityRecord.workout_id.in_(ids), ExternalActivityRecord.status == "workout"
                    )
                )
            ).all()
        )
    workouts = [
        WorkoutSummary(
            id=w.id,
            name=w.name,
            started_at=iso(w.started_at) or "",
            ended_at=iso(w.ended_at),
            source=f"import:{sources[w.id]}" if w.id in sources else "live",
            set_count=int(counts.get(w.id, 0)),
        )
        for w in rows
    ]
    next_before = f"{workouts[-1].started_at}{_SEP}{rows[-1].id}" if more and rows else None
    return WorkoutPage(workouts=workouts, next_before=next_before)
