"""`GET /v1/analytics`: records per exercise, plateaus and weekly summaries over a range of the history.

The database sums the range's sets per (workout, exercise) in one grouped query; per exercise one small
read finds its best set inside its best workout, and per plateau candidate one MAX finds its best before
the last three sessions (none for the whole history: the groups hold it). Python only adds up groups, so
the cost follows workouts, not sets. Estimated 1RM is by the lifter's formula (Epley unless chosen),
computed in kg by the database; weights are shown in the lifter's unit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from operator import attrgetter
from typing import Any

from sqlalchemy import String, and_, case, func, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from matcher.catalog import Catalog
from models.db import WorkoutSet, utcnow
from models.db_training import SessionSet
from server.store.workouts import iso
from server.training.formulas import KG_PER_LB, estimated_1rm, to_unit
from server.training.rules import PLATEAU_GAIN, PLATEAU_SESSIONS, is_plateau, week_start
from server.training.store import aware

__all__ = ["SUCCEEDED", "analytics"]


# Per set, in kg, computed by the database: weight × reps, and the lifter's estimated 1RM.
_TO_KG = case((WorkoutSet.unit == "lb", KG_PER_LB), else_=1.0)
_LOADED = and_(WorkoutSet.weight > 0, WorkoutSet.reps > 0)
_TONNAGE_KG = case((_LOADED, WorkoutSet.weight * _TO_KG * WorkoutSet.reps), else_=0.0)


def e1rm_kg_sql(formula: str) -> Any:
    """`formulas.estimated_1rm` in kg as SQL (NULL where the formula gives no estimate); a unit test holds
    the two equal for every formula."""
    kg = WorkoutSet.weight * _TO_KG
    reps = WorkoutSet.reps
    if formula == "epley":
        return case((_LOADED, kg * (1.0 + reps / 30.0)), else_=None)
    if formula == "brzycki":
        return case((and_(_LOADED, reps <= 10), kg * 36.0 / (37.0 - reps)), else_=None)
    if formula == "lombardi":
        return case((and_(_LOADED, reps <= 10), kg * func.power(reps, 0.10)), else_=None)
    if formula == "oconner":
        return case((and_(_LOADED, reps <= 12), kg * (1.0 + reps / 40.0)), else_=None)
    raise ValueError(f"unknown 1RM formula {formula!r}")


class _Group:
    """One exercise in one workout of the range: what the summaries, records and plateaus are made of.
    Amounts stay in kg (converted once, at the answer)."""

    __slots__ = ("at", "e1rm_kg", "exercise_id", "max_reps", "reps", "sets", "tonnage_kg", "workout_id")

    def __init__(self, row: Any) -> None:
        self.workout_id, self.exercise_id = row[0], row[1]
        self.sets, self.reps = int(row[2]), int(row[3] or 0)
        self.tonnage_kg = float(row[4] or 0.0)
        self.e1rm_kg = float(row[5]) if row[5] is not None else None
        self.max_reps = row[6]
        at = row[7]  # text on SQLite (read as such: the generic DateTime parser is the slow part here)
        if isinstance(at, str):
            at = datetime.fromisoformat(at)
        self.at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _shown(kg: float | None, unit: str) -> float | None:
    return None if kg is None else round(to_unit(kg, "kg", unit), 2)


async def analytics(
    session: AsyncSession,
    user_id: str,
    unit: str,
    span: timedelta | None,
    catalog: Catalog,
    *,
    now: datetime | None = None,
    formula: str = "epley",
    bodyweights: list[tuple[date, float]] | None = None,
) -> dict[str, Any]:
    """`bodyweights`: (effective date, kg) of the lifter's profile versions, oldest first."""
    now = now or utcnow()
    e1rm_kg = e1rm_kg_sql(formula)
    since = now - span if span is not None else None
    query = select(
        WorkoutSet.workout_id,
        WorkoutSet.exercise_id,
        func.count(),
        func.sum(func.coalesce(WorkoutSet.reps, 0)),
        func.sum(_TONNAGE_KG),
        func.max(e1rm_kg),
        func.max(WorkoutSet.reps),
        func.min(type_coerce(WorkoutSet.created_at, String)),
    ).where(WorkoutSet.user_id == user_id)
    if since is not None:
        query = query.where(WorkoutSet.created_at >= since)
    # exercise first: the grouping then reads the covering (user, exercise, ...) index alone
    # exercise, workout: the order of ix_workout_sets_user_exercise_workout, so no sort of the history
    rows = (await session.execute(query.group_by(WorkoutSet.exercise_id, WorkoutSet.workout_id))).all()
    groups = [_Group(r) for r in rows]
    groups.sort(key=attrgetter("at", "workout_id", "exercise_id"))
    return {
        "range": {"since": iso(since), "until": iso(now), "unit": unit, "formula": formula},
        "prs": await _prs(session, groups, unit, formula),
        "plateaus": await _plateaus(session, user_id, groups, unit, e1rm_kg, whole_history=since is None),
        "weekly_summary": _with_bodyweight(
            _weekly(groups, since or (groups[0].at if groups else now), now, catalog, unit),
            bodyweights or [],
            unit,
        ),
        "recommendations": await _recommendations(session, user_id, since),
    }


async def _prs(
    session: AsyncSession, groups: list[_Group], unit: str, formula: str
) -> dict[str, dict[str, Any]]:
    """Per exercise, the range's best set by estimated 1RM (most reps for bodyweight-only exercises):
    the best workout from the groups, then the set itself from that workout's few rows."""
    best: dict[str, _Group] = {}
    for g in groups:
        held = best.get(g.exercise_id)
        if held is None or (g.e1rm_kg or 0.0, g.max_reps or 0) > (held.e1rm_kg or 0.0, held.max_reps or 0):
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
            key = (estimated_1rm(weight, row.reps, formula) or 0.0, row.reps or 0, (row, weight))
            if top is None or key[:2] > top[:2]:
                top = key
        assert top is not None
        row, weight = top[2]
        out[exercise_id] = {
            "weight": _r(weight),
            "reps": row.reps,
            "e1rm": _r(estimated_1rm(weight, row.reps, formula)),
            "unit": unit if weight is not None else None,
            "achieved_at": iso(aware(row.created_at)),
            "set_id": row.id,
        }
    return out


async def _plateaus(
    session: AsyncSession,
    user_id: str,
    groups: list[_Group],
    unit: str,
    e1rm_kg: Any,
    *,
    whole_history: bool,
) -> list[dict[str, Any]]:
    sessions: dict[str, list[_Group]] = defaultdict(list)
    for g in groups:
        if g.e1rm_kg is not None:
            sessions[g.exercise_id].append(g)  # in time order already
    out = []
    for exercise_id, ordered in sorted(sessions.items()):
        if len(ordered) < PLATEAU_SESSIONS:
            continue
        last = ordered[-PLATEAU_SESSIONS:]
        if whole_history:  # the groups are the whole history: the best before is among them
            earlier = [g.e1rm_kg for g in ordered[:-PLATEAU_SESSIONS] if g.at < last[0].at]
            previous = max(earlier) if earlier else None  # type: ignore[type-var]
        else:
            previous = await _best_before(session, user_id, exercise_id, last[0].at, e1rm_kg)
        recent = [g.e1rm_kg or 0.0 for g in last]
        if not is_plateau(previous, recent):
            continue
        assert previous is not None
        out.append(
            {
                "exercise_id": exercise_id,
                "best_e1rm": _shown(max(previous, *recent), unit),
                "previous_best_e1rm": _shown(previous, unit),
                "recent_best_e1rm": _shown(max(recent), unit),
                "needed_e1rm": _shown(previous * (1 + PLATEAU_GAIN), unit),
                "unit": unit,
                "sessions": [
                    {
                        "workout_id": g.workout_id,
                        "date": g.at.date().isoformat(),
                        "best_e1rm": _shown(g.e1rm_kg, unit),
                    }
                    for g in last
                ],
            }
        )
    return out


async def _best_before(
    session: AsyncSession, user_id: str, exercise_id: str, before: datetime, e1rm_kg: Any
) -> float | None:
    """The best estimated 1RM (kg) of the exercise's sets before `before` (its whole history, not the
    range): a MAX over an index range of (user, exercise, created_at) that covers the columns it reads."""
    best = (
        await session.execute(
            select(func.max(e1rm_kg)).where(
                WorkoutSet.user_id == user_id,
                WorkoutSet.exercise_id == exercise_id,
                WorkoutSet.created_at < before,
            )
        )
    ).scalar_one_or_none()
    return float(best) if best is not None else None


def _weekly(
    groups: list[_Group], since: datetime, now: datetime, catalog: Catalog, unit: str
) -> list[dict[str, Any]]:
    """Every week the range touches; an exercise's sets of one workout count in the week it started.
    The groups are summed per (week, exercise) first: the catalog is asked once per exercise."""
    totals: dict[tuple[date, str], list[float]] = defaultdict(lambda: [0, 0, 0.0])
    mondays: dict[date, date] = {}
    for g in groups:
        day = g.at.date()
        monday = mondays.get(day)
        if monday is None:
            monday = mondays[day] = week_start(day)
        t = totals[(monday, g.exercise_id)]
        t[0] += g.sets
        t[1] += g.reps
        t[2] += g.tonnage_kg
    weeks: dict[date, dict[str, Any]] = {}
    monday = week_start(since)
    while monday <= week_start(now):
        weeks[monday] = {
            "week_start": monday.isoformat(), "sets": 0, "reps": 0, "tonnage": 0.0, "unit": unit,
            "muscle_groups": {}, "bodyweight_change": None,
        }  # fmt: skip
        monday += timedelta(days=7)
    muscles: dict[str, tuple[str, ...]] = {}
    for (monday, exercise_id), (sets, reps, tonnage_kg) in totals.items():
        week = weeks.get(monday)
        if week is None:
            continue
        week["sets"] += sets
        week["reps"] += reps
        week["tonnage"] += tonnage_kg
        if exercise_id not in muscles:
            exercise = catalog.get(exercise_id)
            muscles[exercise_id] = tuple(exercise.primary_muscles) if exercise is not None else ("unknown",)
        for muscle in muscles[exercise_id]:
            group = week["muscle_groups"].setdefault(muscle, {"sets": 0, "reps": 0, "tonnage": 0.0})
            group["sets"] += sets
            group["reps"] += reps
            group["tonnage"] += tonnage_kg
    for week in weeks.values():
        week["tonnage"] = round(to_unit(week["tonnage"], "kg", unit), 2)
        for group in week["muscle_groups"].values():
            group["tonnage"] = round(to_unit(group["tonnage"], "kg", unit), 2)
    return list(weeks.values())


def _with_bodyweight(
    weeks: list[dict[str, Any]], bodyweights: list[tuple[date, float]], unit: str
) -> list[dict[str, Any]]:
    """`bodyweight_change`: the bodyweight standing at the week's end minus the one standing at its
    start (from profile versions); null when either is unknown."""

    def standing(day: date) -> float | None:
        found = None
        for effective, kg in bodyweights:
            if effective > day:
                break
            found = kg
        return found

    for week in weeks:
        monday = date.fromisoformat(week["week_start"])
        start, end = standing(monday - timedelta(days=1)), standing(monday + timedelta(days=6))
        if start is not None and end is not None:
            week["bodyweight_change"] = round(to_unit(end - start, "kg", unit), 2)
    return weeks


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
