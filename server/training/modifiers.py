"""The adaptive modifier (`voicelog analytics run`) and the next set's target built on it.

Per exercise and week, the share of recommended sets met (at least the reps at the recommended weight)
decides next week's modifier by `rules.modifier_for`; each is kept in `adaptive_modifiers` with its
evidence, one row per (lifter, exercise, week it applies to), so a run again changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import WorkoutSet, utcnow
from models.db_training import AdaptiveModifier, SessionSet
from models.training import NextSetOut
from server.store.workouts import iso
from server.training.formulas import load_step, round_to_load, to_unit
from server.training.rules import WeekResult, modifier_for, set_succeeded, week_start

__all__ = ["next_set", "parse_week", "run_modifiers"]


def parse_week(text: str) -> date:
    """`2026-W48` (ISO week) or any date in the week (`2026-11-23`): that week's Monday."""
    try:
        if "W" in text.upper():
            year, week = text.upper().split("-W")
            return date.fromisocalendar(int(year), int(week), 1)
        return week_start(date.fromisoformat(text))
    except ValueError:
        raise ValueError(f"week {text!r} is not understood: use 2026-W48 or a date in the week") from None


async def _week_results(
    session: AsyncSession, user_id: str
) -> tuple[dict[tuple[str, date], WeekResult], set[str]]:
    rows = await session.execute(
        select(
            SessionSet.exercise_id, SessionSet.performed_on, SessionSet.rec_weight, SessionSet.rec_reps,
            SessionSet.actual_weight, SessionSet.actual_reps, SessionSet.done,
        ).where(SessionSet.user_id == user_id, SessionSet.rec_reps.is_not(None))
    )  # fmt: skip
    counts: dict[tuple[str, date], list[int]] = defaultdict(lambda: [0, 0])
    weighted: set[str] = set()
    for exercise_id, day, rec_weight, rec_reps, actual_weight, actual_reps, done in rows:
        tally = counts[(exercise_id, week_start(day))]
        tally[0] += 1
        tally[1] += set_succeeded(rec_weight, rec_reps, actual_weight, actual_reps, done)
        if rec_weight:
            weighted.add(exercise_id)
    results = {
        key: WeekResult(week_start=key[1].isoformat(), sets=n, successes=k) for key, (n, k) in counts.items()
    }
    return results, weighted


def _week_evidence(result: WeekResult | None, monday: date) -> dict[str, Any]:
    if result is None:
        return {"week_start": monday.isoformat(), "sets": 0, "successes": 0, "success_rate": None}
    return {
        "week_start": result.week_start,
        "sets": result.sets,
        "successes": result.successes,
        "success_rate": round(result.rate, 4) if result.rate is not None else None,
    }


async def run_modifiers(
    session: AsyncSession,
    user_id: str,
    *,
    week: date | None = None,
    progress: Callable[[int], None] | None = None,
    total: Callable[[int], None] | None = None,
) -> list[AdaptiveModifier]:
    """Judge each week with recommendations (or only `week`) and store the modifier for the week after."""
    results, weighted = await _week_results(session, user_id)
    todo = sorted({key for key in results if week is None or key[1] == week})
    if total is not None:
        total(len(todo))
    existing = {
        (m.exercise_id, m.week_start): m
        for m in (
            await session.execute(select(AdaptiveModifier).where(AdaptiveModifier.user_id == user_id))
        ).scalars()
    }
    out = []
    for exercise_id, monday in todo:
        this, before = (
            results.get((exercise_id, monday)),
            results.get((exercise_id, monday - timedelta(days=7))),
        )
        mod = modifier_for(this, before, weighted=exercise_id in weighted)
        applies = monday + timedelta(days=7)
        evidence = {
            "judged_week": _week_evidence(this, monday),
            "week_before": _week_evidence(before, monday - timedelta(days=7)),
            "rule": mod.rule,
        }
        row = existing.get((exercise_id, applies))
        if row is None:
            row = AdaptiveModifier(user_id=user_id, exercise_id=exercise_id, week_start=applies)
            session.add(row)
        row.modifier_percent, row.rep_change, row.rule = mod.percent, mod.rep_change, mod.rule
        row.evidence, row.computed_at = evidence, utcnow()
        out.append(row)
        if progress is not None:
            progress(1)
    await session.flush()
    return out


async def next_set(
    session: AsyncSession, user_id: str, unit: str, exercise_id: str, equipment: str | None
) -> NextSetOut:
    """The top set of the exercise's last session, changed by its newest modifier, rounded to a load."""
    last = (
        await session.execute(
            select(WorkoutSet.workout_id)
            .where(WorkoutSet.user_id == user_id, WorkoutSet.exercise_id == exercise_id)
            .order_by(WorkoutSet.created_at.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    if last is None:
        return NextSetOut(
            weight=None, reps=None, unit=unit, modifier_percent=0.0, evidence={"reason": "no history"}
        )
    sets = (
        await session.execute(
            select(WorkoutSet).where(WorkoutSet.workout_id == last, WorkoutSet.exercise_id == exercise_id)
        )
    ).scalars()
    top = max(sets, key=lambda s: (to_unit(s.weight or 0.0, s.unit, unit), s.reps or 0))
    modifier = (
        await session.execute(
            select(AdaptiveModifier)
            .where(AdaptiveModifier.user_id == user_id, AdaptiveModifier.exercise_id == exercise_id)
            .order_by(AdaptiveModifier.week_start.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    percent = modifier.modifier_percent if modifier is not None else 0.0
    rep_change = modifier.rep_change if modifier is not None else 0
    base = to_unit(top.weight, top.unit, unit) if top.weight else None
    evidence: dict[str, Any] = {
        "base": {
            "set_id": top.id, "workout_id": top.workout_id, "weight": top.weight, "unit": top.unit,
            "reps": top.reps, "performed_at": iso(top.created_at),
        },
        "modifier": None if modifier is None else {
            "week_start": modifier.week_start.isoformat(), "modifier_percent": modifier.modifier_percent,
            "rep_change": modifier.rep_change, "rule": modifier.rule, **modifier.evidence,
        },
    }  # fmt: skip
    weight = None
    if base is not None:
        step = load_step(equipment, unit)
        raw = base * (1 + percent / 100)
        weight = round_to_load(raw, base, step, (percent > 0) - (percent < 0))
        evidence["rounding"] = {"raw": round(raw, 3), "step": step, "equipment": equipment}
    reps = max(1, (top.reps or 1) + rep_change) if top.reps is not None else None
    return NextSetOut(weight=weight, reps=reps, unit=unit, modifier_percent=percent, evidence=evidence)
