"""`GET /v1/analytics`: records per exercise, plateaus and weekly summaries over a range of the history.

The database sums the range's sets per (workout, exercise) in one grouped query; per exercise one small
read finds its best set inside its best workout, and per plateau candidate one MAX finds its best before
the last three sessions. Python only adds up groups, so the cost follows workouts, not sets. Estimated
1RM is Epley's, computed in kg by the database; weights are shown in the lifter's unit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from matcher.catalog import Catalog
from models.db import WorkoutSet, utcnow
from models.db_training import SessionSet
from server.imports.biometrics import weekly_body_mass_change
from server.store.workouts import iso
from server.training.formulas import KG_PER_LB, estimated_1rm, to_unit
from server.training.rules import PLATEAU_GAIN, PLATEAU_SESSIONS, is_plateau, week_start
from server.training.store import aware

__all__ = ["SUCCEEDED", "analytics"]


# Per set, in kg, computed by the database: weight × reps, and Epley's weight × (1 + reps / 30).
_TO_KG = case((WorkoutSet.unit == "lb", KG_PER_LB), else_=1.0)
_LOADED = and_(WorkoutSet.weight > 0, WorkoutSet.reps > 0)
_TONNAGE_KG = case((_LOADED, WorkoutSet.weight * _TO_KG * WorkoutSet.reps), else_=0.0)
_EPLEY_KG = case((_LOADED, WorkoutSet.weight * _TO_KG * (1.0 + WorkoutSet.reps / 30.0)), else_=None)


class _Group:
    """One exercise in one workout of the range: what the summaries, records and plateaus are made of."""

    __slots__ = ("at", "e1rm", "exercise_id", "max_reps", "reps", "sets", "tonnage", "workout_id")

    def __init__(self, row: Any, unit: str) -> None:
        self.workout_id, self.exercise_id = row[0], row[1]
        self.sets, self.reps = int(row[2]), int(row[3] or 0)
        self.tonnage = to_unit(float(row[4] or 0.0), "kg", unit)
        self.e1rm = to_unit(float(row[5]), "kg", unit) if row[5] is not None else None
        self.max_reps = row[6]
        self.at = aware(row[7])


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
) -> dict[str, Any]:
    now = now or utcnow()
    since = now - span if span is not None else None
    query = select(
        WorkoutSet.workout_id,
        WorkoutSet.exercise_id,
        func.count(),
        func.sum(func.coalesce(WorkoutSet.reps, 0)),
        func.sum(_TONNAGE_KG),
        func.max(_EPLEY_KG),
        func.max(WorkoutSet.reps),
        func.min(WorkoutSet.created_at),
    ).where(WorkoutSet.user_id == user_id)
    if since is not None:
        query = query.where(WorkoutSet.created_at >= since)
    # exercise first: the grouping then reads the covering (user, exercise, ...) index alone
    rows = await session.execute(query.group_by(WorkoutSet.exercise_id, WorkoutSet.workout_id))
    groups = sorted((_Group(r, unit) for r in rows), key=lambda g: (g.at, g.workout_id, g.exercise_id))
    weekly = _weekly(groups, since or (groups[0].at if groups else now), now, catalog, unit)
    # body mass from the biometrics history (imports: Apple Health), week by week
    changes = await weekly_body_mass_change(
        session, user_id, [date.fromisoformat(w["week_start"]) for w in weekly], unit
    )
    for week in weekly:
        week["bodyweight_change"] = changes.get(date.fromisoformat(week["week_start"]))
    return {
        "range": {"since": iso(since), "until": iso(now), "unit": unit, "formula": "epley"},
        "prs": await _prs(session, groups, unit),
        "plateaus": await _plateaus(session, user_id, groups, unit),
        "weekly_summary": weekly,
        "recommendations": await _recommendations(session, user_id, since),
    }


async def _prs(session: AsyncSession, groups: list[_Group], unit: str) -> dict[str, dict[str, Any]]:
    """Per exercise, the range's best set by estimated 1RM (most reps for bodyweight-only exercises):
    the best workout from the groups, then the set itself from that workout's few rows."""
    best: dict[str, _Group] = {}
    for g in groups:
        held = best.get(g.exercise_id)
        if held is None or (g.e1rm or 0.0, g.max_reps or 0) > (held.e1rm or 0.0, held.max_reps or 0):
            best[g.exercise_id] = g
    out = {}
    for exercise_id, g in sorted(best.items()):
        rows = await session.execute(
            select(WorkoutSet.id, WorkoutSet.weight, WorkoutSet.unit, WorkoutSet.reps, WorkoutSet.created_at)
            .where(WorkoutSet.workout_id == g.workout_id, WorkoutSet.exercise_id == exercise_id)
            .order_by(WorkoutSet.created_at, WorkoutSet.set_number)
        )
        top: tuple[float, int, Any] | None = None
        for row in rows:
            weight = to_unit(row.weight, row.unit, unit) if row.weight is not None else None
            key = (estimated_1rm(weight, row.reps) or 0.0, row.reps or 0, (row, weight))
            if top is None or key[:2] > top[:2]:
                top = key
        assert top is not None
        row, weight = top[2]
        out[exercise_id] = {
            "weight": _r(weight),
            "reps": row.reps,
            "e1rm": _r(estimated_1rm(weight, row.reps)),
            "unit": unit if weight is not None else None,
            "achieved_at": iso(aware(row.created_at)),
            "set_id": row.id,
        }
    return out


async def _plateaus(
    session: AsyncSession, user_id: str, groups: list[_Group], unit: str
) -> list[dict[str, Any]]:
    sessions: dict[str, list[_Group]] = defaultdict(list)
    for g in groups:
        if g.e1rm is not None:
            sessions[g.exercise_id].append(g)  # in time order already
    out = []
    for exercise_id, ordered in sorted(sessions.items()):
        if len(ordered) < PLATEAU_SESSIONS:
            continue
        last = ordered[-PLATEAU_SESSIONS:]
        previous = await _best_before(session, user_id, exercise_id, last[0].at, unit)
        recent = [g.e1rm or 0.0 for g in last]
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
                    {"workout_id": g.workout_id, "date": g.at.date().isoformat(), "best_e1rm": _r(g.e1rm)}
                    for g in last
                ],
            }
        )
    return out


async def _best_before(
    session: AsyncSession, user_id: str, exercise_id: str, before: datetime, unit: str
) -> float | None:
    """The best estimated 1RM of the exercise's sets before `before` (its whole history, not the range):
    a MAX over an index range of (user, exercise, created_at) that covers the columns it reads."""
    best = (
        await session.execute(
            select(func.max(_EPLEY_KG)).where(
                WorkoutSet.user_id == user_id,
                WorkoutSet.exercise_id == exercise_id,
                WorkoutSet.created_at < before,
            )
        )
    ).scalar_one_or_none()
    return to_unit(float(best), "kg", unit) if best is not None else None


def _weekly(
    groups: list[_Group], since: datetime, now: datetime, catalog: Catalog, unit: str
) -> list[dict[str, Any]]:
    """Every week the range touches; an exercise's sets of one workout count in the week it started."""
    weeks: dict[str, dict[str, Any]] = {}
    monday = week_start(since)
    while monday <= week_start(now):
        weeks[monday.isoformat()] = {
            "week_start": monday.isoformat(), "sets": 0, "reps": 0, "tonnage": 0.0, "unit": unit,
            "muscle_groups": {}, "bodyweight_change": None,
        }  # fmt: skip
        monday += timedelta(days=7)
    for g in groups:
        week = weeks.get(week_start(g.at).isoformat())
        if week is None:
            continue
        week["sets"] += g.sets
        week["reps"] += g.reps
        week["tonnage"] += g.tonnage
        exercise = catalog.get(g.exercise_id)
        for muscle in exercise.primary_muscles if exercise is not None else ("unknown",):
            group = week["muscle_groups"].setdefault(muscle, {"sets": 0, "reps": 0, "tonnage": 0.0})
            group["sets"] += g.sets
            group["reps"] += g.reps
            group["tonnage"] += g.tonnage
    for week in weeks.values():
        week["tonnage"] = round(week["tonnage"], 2)
        for group in week["muscle_groups"].values():
            group["tonnage"] = round(group["tonnage"], 2)
    return list(weeks.values())


SUCCEEDED = and_(
    SessionSet.done.is_(True),
    SessionSet.actual_reps >= SessionSet.rec_reps,
    or_(
        SessionSet.rec_weight.is_(None),
        SessionSet.rec_weight <= 0,
        SessionSet.actual_weight >= SessionSet.rec_weight - 1e-9,
    ),
)
"""`rules.set_succeeded` as SQL, so the database counts a long history (a unit test holds the two equal)."""


async def _recommendations(session: AsyncSession, user_id: str, since: datetime | None) -> dict[str, Any]:
    """How often the app's recommended sets were met (at least the reps, at the weight) in the range."""
    query = select(func.count(), func.sum(case((SUCCEEDED, 1), else_=0))).where(
        SessionSet.user_id == user_id, SessionSet.rec_reps.is_not(None)
    )
    if since is not None:
        query = query.where(SessionSet.performed_on >= since.date())
    total, succeeded = (await session.execute(query)).one()
    total, succeeded = int(total or 0), int(succeeded or 0)
    return {"sets": total, "successes": succeeded, "success_rate": _r(succeeded / total) if total else None}
