"""`GET /v1/analytics`: records per exercise, plateaus and weekly summaries over a range of the history.

One indexed range read of the lifter's sets (ix_workout_sets_user_created), then per exercise with a
plateau candidate one indexed read of its best before the last three sessions; everything else is
arithmetic in memory. Weights are shown in the lifter's unit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from matcher.catalog import Catalog
from models.db import WorkoutSet, utcnow
from models.db_training import SessionSet
from server.store.workouts import iso
from server.training.formulas import estimated_1rm, to_unit
from server.training.rules import PLATEAU_GAIN, PLATEAU_SESSIONS, is_plateau, set_succeeded, week_start
from server.training.store import aware

__all__ = ["analytics"]


class _Set:
    __slots__ = ("at", "duration_s", "e1rm", "exercise_id", "id", "reps", "weight", "workout_id")

    def __init__(self, row: Any, unit: str, formula: str) -> None:
        self.id, self.exercise_id, self.workout_id = row.id, row.exercise_id, row.workout_id
        self.weight = to_unit(row.weight, row.unit, unit) if row.weight is not None else None
        self.reps, self.duration_s = row.reps, row.duration_s
        self.at = aware(row.created_at)
        self.e1rm = estimated_1rm(self.weight, self.reps, formula)


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


async def analytics(
    session: AsyncSession,
    user_id: str,
    unit: str,
    span: timedelta | None,
    catalog: Catalog,
    *,
    now: datetime | None = None,
    formula: str = "epley",
) -> dict[str, Any]:
    now = now or utcnow()
    since = now - span if span is not None else None
    query = select(
        WorkoutSet.id, WorkoutSet.exercise_id, WorkoutSet.workout_id, WorkoutSet.weight, WorkoutSet.unit,
        WorkoutSet.reps, WorkoutSet.duration_s, WorkoutSet.created_at,
    ).where(WorkoutSet.user_id == user_id)  # fmt: skip
    if since is not None:
        query = query.where(WorkoutSet.created_at >= since)
    sets = [_Set(r, unit, formula) for r in await session.execute(query.order_by(WorkoutSet.created_at))]
    return {
        "range": {
            "since": iso(since) if since else None,
            "until": iso(now),
            "unit": unit,
            "formula": formula,
        },
        "prs": _prs(sets, unit),
        "plateaus": await _plateaus(session, user_id, sets, unit, formula),
        "weekly_summary": _weekly(sets, since or (sets[0].at if sets else now), now, catalog, unit),
        "recommendations": await _recommendations(session, user_id, since),
    }


def _prs(sets: list[_Set], unit: str) -> dict[str, dict[str, Any]]:
    """Per exercise, the range's best set by estimated 1RM (most reps for bodyweight-only exercises)."""
    best: dict[str, _Set] = {}
    for s in sets:
        held = best.get(s.exercise_id)
        key = (s.e1rm or 0.0, s.reps or 0)
        if held is None or key > (held.e1rm or 0.0, held.reps or 0):
            best[s.exercise_id] = s
    return {
        exercise_id: {
            "weight": _r(s.weight),
            "reps": s.reps,
            "e1rm": _r(s.e1rm),
            "unit": unit if s.weight is not None else None,
            "achieved_at": iso(s.at),
            "set_id": s.id,
        }
        for exercise_id, s in sorted(best.items())
    }


async def _plateaus(
    session: AsyncSession, user_id: str, sets: list[_Set], unit: str, formula: str
) -> list[dict[str, Any]]:
    sessions: dict[str, dict[str, list[_Set]]] = defaultdict(lambda: defaultdict(list))
    for s in sets:
        if s.e1rm is not None:
            sessions[s.exercise_id][s.workout_id].append(s)
    out = []
    for exercise_id, by_workout in sorted(sessions.items()):
        if len(by_workout) < PLATEAU_SESSIONS:
            continue
        ordered = sorted(by_workout.values(), key=lambda group: group[0].at)
        last = ordered[-PLATEAU_SESSIONS:]
        first_at = last[0][0].at
        previous = await _best_before(session, user_id, exercise_id, first_at, unit, formula)
        recent = [max(s.e1rm or 0.0 for s in group) for group in last]
        if not is_plateau(previous, recent):
            continue
        assert previous is not None
        out.append(
            {
                "exercise_id": exercise_id,
                "best_e1rm": _r(max(previous, *recent)),
                "previous_best_e1rm": _r(previous),
                "recent_best_e1rm": _r(max(recent)),
                "needed_e1rm": _r(previous * (1 + PLATEAU_GAIN)),
                "unit": unit,
                "sessions": [
                    {
                        "workout_id": group[0].workout_id,
                        "date": group[0].at.date().isoformat(),
                        "best_e1rm": _r(b),
                    }
                    for group, b in zip(last, recent, strict=True)
                ],
            }
        )
    return out


async def _best_before(
    session: AsyncSession, user_id: str, exercise_id: str, before: datetime, unit: str, formula: str
) -> float | None:
    """The best estimated 1RM of the exercise's sets before `before` (its whole history, not the range).

    Epley is a monotone expression of the row, so the database finds its maximum per unit (an index range
    of (user, exercise, created_at)); other formulas read the rows."""
    where = (
        WorkoutSet.user_id == user_id,
        WorkoutSet.exercise_id == exercise_id,
        WorkoutSet.created_at < before,
        WorkoutSet.weight > 0,
        WorkoutSet.reps > 0,
    )
    if formula == "epley":
        epley = func.max(WorkoutSet.weight * (1.0 + WorkoutSet.reps / 30.0))
        found = [
            to_unit(float(best), set_unit, unit)
            for set_unit, best in await session.execute(
                select(WorkoutSet.unit, epley).where(*where).group_by(WorkoutSet.unit)
            )
            if best is not None
        ]
        return max(found, default=None)
    rows = await session.execute(select(WorkoutSet.weight, WorkoutSet.unit, WorkoutSet.reps).where(*where))
    best = None
    for weight, set_unit, reps in rows:
        e1rm = estimated_1rm(to_unit(weight or 0.0, set_unit, unit), reps, formula)
        if e1rm is not None and (best is None or e1rm > best):
            best = e1rm
    return best


def _weekly(
    sets: list[_Set], since: datetime, now: datetime, catalog: Catalog, unit: str
) -> list[dict[str, Any]]:
    weeks: dict[str, dict[str, Any]] = {}
    monday = week_start(since)
    while monday <= week_start(now):
        weeks[monday.isoformat()] = {
            "week_start": monday.isoformat(), "sets": 0, "reps": 0, "tonnage": 0.0, "unit": unit,
            "muscle_groups": {}, "bodyweight_change": None,
        }  # fmt: skip
        monday += timedelta(days=7)
    for s in sets:
        week = weeks.get(week_start(s.at).isoformat())
        if week is None:
            continue
        tonnage = (s.weight or 0.0) * (s.reps or 0)
        week["sets"] += 1
        week["reps"] += s.reps or 0
        week["tonnage"] += tonnage
        exercise = catalog.get(s.exercise_id)
        for muscle in exercise.primary_muscles if exercise is not None else ("unknown",):
            group = week["muscle_groups"].setdefault(muscle, {"sets": 0, "reps": 0, "tonnage": 0.0})
            group["sets"] += 1
            group["reps"] += s.reps or 0
            group["tonnage"] += tonnage
    for week in weeks.values():
        week["tonnage"] = round(week["tonnage"], 2)
        for group in week["muscle_groups"].values():
            group["tonnage"] = round(group["tonnage"], 2)
    return list(weeks.values())


async def _recommendations(session: AsyncSession, user_id: str, since: datetime | None) -> dict[str, Any]:
    """How often the app's recommended sets were met (at least the reps, at the weight) in the range."""
    query = select(
        SessionSet.rec_weight, SessionSet.rec_reps, SessionSet.actual_weight, SessionSet.actual_reps,
        SessionSet.done,
    ).where(SessionSet.user_id == user_id, SessionSet.rec_reps.is_not(None))  # fmt: skip
    if since is not None:
        query = query.where(SessionSet.performed_on >= since.date())
    total = succeeded = 0
    for rec_weight, rec_reps, actual_weight, actual_reps, done in await session.execute(query):
        total += 1
        succeeded += set_succeeded(rec_weight, rec_reps, actual_weight, actual_reps, done)
    return {"sets": total, "successes": succeeded, "success_rate": _r(succeeded / total) if total else None}
