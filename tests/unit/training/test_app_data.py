"""Instrument-event retention, bodyweight out of a profile snapshot, and the e1rm formulas as SQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from models.db import User, Workout, WorkoutSet, new_id
from models.db_training_app import InstrumentEvent
from server.db import create_engine, create_sessionmaker, upgrade
from server.profile.versions import bodyweight_kg_of
from server.training.analytics import e1rm_kg_sql
from server.training.formulas import FORMULAS, estimated_1rm, to_kg
from server.training.schedule import run_all


async def test_the_scheduled_run_deletes_instrument_events_past_the_retention(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    user_id = new_id()
    now = datetime.now(UTC)
    try:
        async with sessions() as session, session.begin():
            session.add(User(id=user_id, name="kept", default_unit="kg"))
            await session.flush()
            for days in (1, 29, 31, 400):
                session.add(
                    InstrumentEvent(
                        user_id=user_id, event_type=f"e{days}", occurred_at=now - timedelta(days=days)
                    )
                )
        await run_all(sessions, retention_days=30)
        async with sessions() as session:
            left = sorted((await session.execute(select(InstrumentEvent.event_type))).scalars())
        assert left == ["e1", "e29"]
        await run_all(sessions, retention_days=0)  # 0 keeps everything
        async with sessions() as session:
            assert await session.scalar(select(func.count()).select_from(InstrumentEvent)) == 2
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("snapshot", "kg"),
    [
        ({"metrics": {"bodyweight": {"value": 82, "unit": "kg"}}}, 82.0),
        ({"metrics": {"bodyweight": {"value": 180, "unit": "lb"}}}, 81.647),
        ({"bodyweight": 80.5}, 80.5),
        ({"bodyweight_kg": 79}, 79.0),
        ({"bodyweight": {"value": 200, "unit": "lb"}}, 90.718),
        ({"metrics": {}}, None),
        ({"bodyweight": "heavy"}, None),
        ({"bodyweight": True}, None),
        ({"bodyweight": -3}, None),
    ],
)
def test_bodyweight_out_of_a_snapshot(snapshot: dict[str, object], kg: float | None) -> None:
    assert bodyweight_kg_of(snapshot) == kg


async def test_each_formula_in_sql_equals_the_python_one(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    user_id, wid = new_id(), new_id()
    cases = [
        (w, r, u) for w in (0.0, 60.0, 102.5) for r in (0, 1, 5, 10, 11, 12, 13, 20) for u in ("kg", "lb")
    ]
    try:
        async with sessions() as session, session.begin():
            session.add(User(id=user_id, name="f", default_unit="kg"))
            session.add(Workout(id=wid, user_id=user_id))
            await session.flush()
            rows = [
                {"id": f"s{i}", "workout_id": wid, "user_id": user_id, "exercise_id": "Barbell_Squat",
                 "set_number": i + 1, "weight": w, "reps": r, "unit": u, "corrected": False}
                for i, (w, r, u) in enumerate(cases)
            ]  # fmt: skip
            await session.execute(insert(WorkoutSet), rows)
        for formula in FORMULAS:
            async with sessions() as session:
                got = dict(
                    (
                        await session.execute(
                            select(WorkoutSet.id, e1rm_kg_sql(formula)).where(WorkoutSet.workout_id == wid)
                        )
                    ).all()
                )
            for i, (w, r, u) in enumerate(cases):
                want = estimated_1rm(to_kg(w, u), r, formula)
                assert got[f"s{i}"] == (pytest.approx(want) if want is not None else None), (formula, w, r, u)
    finally:
        await engine.dispose()
