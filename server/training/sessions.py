"""`POST /v1/sessions`: a session as the app sends it, kept as a workout (one history with the workouts
logged by voice) plus what only the app knows (recommended vs actual, intensity, done)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.db import Workout, WorkoutSet, new_id, utcnow
from models.db_training import SessionSet, TrainingSession
from models.training import SessionIn, SessionOut, SessionSetIn
from server.errors import BadInput, UnknownExercise
from server.store.sets import ensure_exercise
from server.training.hooks import records_after_change

__all__ = ["create_session", "parse_day"]

# A session's sets are placed at noon UTC of its day, a second apart in the order sent: the date is what
# the app knows, and noon keeps the day the same in every time zone within ±11 h.
_SESSION_HOUR = time(12, tzinfo=UTC)


def parse_day(text: str) -> date:
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise BadInput(f"date {text!r} is not an ISO 8601 date (YYYY-MM-DD)", code="invalid_date") from None


async def _exercise_id(
    session: AsyncSession, matcher: Any, threshold: float, item: SessionSetIn, user_id: str
) -> str:
    if item.exercise_id is not None:
        return (await ensure_exercise(session, item.exercise_id, user_id)).id
    if item.exercise is None:
        raise BadInput("each set needs `exercise` (a name) or `exercise_id`", code="missing_exercise")
    found = matcher.match(item.exercise)
    if found.exercise is None or found.score < threshold:
        raise UnknownExercise(
            f"exercise {item.exercise!r} is not one the catalog knows well enough; send exercise_id "
            "(GET /v1/exercises?q=... lists ids)"
        )
    return str(found.exercise.id)


async def create_session(
    session: AsyncSession, user_id: str, default_unit: str, data: SessionIn, matcher: Any, threshold: float
) -> SessionOut:
    day = parse_day(data.date)
    unit = data.unit or default_unit
    started = datetime.combine(day, _SESSION_HOUR)
    exercise_ids = [await _exercise_id(session, matcher, threshold, item, user_id) for item in data.sets]
    workout = Workout(id=new_id(), user_id=user_id, name=data.day_type, started_at=started)
    if data.finished:
        workout.ended_at = started + timedelta(seconds=len(data.sets))
    session.add(workout)
    session.add(
        TrainingSession(
            id=workout.id,
            user_id=user_id,
            session_date=day,
            day_type=data.day_type,
            finished=data.finished,
            calories=data.calories,
            unit=unit,
            rec_meta=data.rec_meta,
            created_at=utcnow(),
        )
    )
    await session.flush()
    numbers: dict[str, int] = {}
    logged: list[WorkoutSet] = []
    for i, (item, exercise_id) in enumerate(zip(data.sets, exercise_ids, strict=True)):
        number = item.set_number or numbers.get(exercise_id, 0) + 1
        numbers[exercise_id] = max(number, numbers.get(exercise_id, 0))
        row = None
        # A set becomes history when it was done with reps; a skipped or failed (0 reps) set stays only
        # as the recommendation it answered, which the success rate counts.
        if item.done and item.actual_reps:
            weight = item.actual_weight if item.actual_weight else None
            row = WorkoutSet(
                id=new_id(),
                workout_id=workout.id,
                user_id=user_id,
                exercise_id=exercise_id,
                set_number=number,
                reps=item.actual_reps,
                weight=weight,
                unit=unit if weight is not None else None,
                created_at=started + timedelta(seconds=i),
            )
            logged.append(row)
            session.add(row)
        session.add(
            SessionSet(
                session_id=workout.id,
                user_id=user_id,
                exercise_id=exercise_id,
                set_id=row.id if row is not None else None,
                set_number=number,
                rec_weight=item.rec_weight,
                rec_reps=item.rec_reps,
                actual_weight=item.actual_weight,
                actual_reps=item.actual_reps,
                intensity=item.intensity,
                done=item.done,
                unit=unit,
                performed_on=day,
            )
        )
    await session.flush()
    # Back-dated sessions are common (the app syncs later): replaying from the session's sets on puts
    # their records, and those of anything logged after them, right.
    prs = await records_after_change(session, user_id, [], logged)
    mine = {r.id for r in logged}
    return SessionOut(session_id=workout.id, prs=[p for p in prs if p.set_id in mine])
