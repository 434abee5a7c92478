"""The modifiers are recomputed on a schedule inside the server, and the schedule stops with it."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from models.db import User, Workout, new_id
from models.db_training import AdaptiveModifier, SessionSet, TrainingSession
from server.db import create_engine, create_sessionmaker, upgrade
from server.training.schedule import start_schedule

BENCH = "Barbell_Bench_Press_-_Medium_Grip"


async def test_the_schedule_judges_every_lifter_and_stops(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    user_id, wid = new_id(), new_id()
    try:
        async with sessions() as session, session.begin():
            session.add(User(id=user_id, name="scheduled", default_unit="kg"))
            session.add(Workout(id=wid, user_id=user_id))
            await session.flush()
            session.add(TrainingSession(id=wid, user_id=user_id, session_date=date(2026, 11, 23), unit="kg"))
            await session.flush()
            session.add(
                SessionSet(session_id=wid, user_id=user_id, exercise_id=BENCH, set_number=1, rec_weight=100,
                           rec_reps=5, actual_weight=100, actual_reps=3, done=True, unit="kg",
                           performed_on=date(2026, 11, 23))
            )  # fmt: skip

        async def modifiers() -> list[AdaptiveModifier]:
            async with sessions() as session:
                return list((await session.execute(select(AdaptiveModifier))).scalars())

        runs: list[int] = []
        twice = asyncio.Event()

        def ran(judged: int) -> None:
            runs.append(judged)
            if len(runs) >= 2:
                twice.set()

        stop = start_schedule(sessions, 0.05, on_run=ran)
        try:
            await asyncio.wait_for(twice.wait(), 20)
        finally:
            await stop()
        assert runs[:2] == [1, 1]
        (mod,) = await modifiers()
        assert (mod.week_start, mod.modifier_percent) == (date(2026, 11, 30), -2.5)
        assert mod.rule == "lower_below_0.5"
        async with sessions() as session:
            count = (await session.execute(select(func.count()).select_from(AdaptiveModifier))).scalar_one()
        assert count == 1  # two runs, one row: idempotent
        assert await start_schedule(sessions, 0)() is None  # 0: nothing scheduled
    finally:
        await engine.dispose()
