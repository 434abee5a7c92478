"""The hot path (each set against the standing records) and the replay after a change must agree: the
same sets, logged one by one or replayed from the start, leave the same records standing (SQLite)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db import User, Workout, WorkoutSet, new_id
from models.db_training import PrRecord
from server.db import create_engine, create_sessionmaker, upgrade
from server.training.hooks import records_after_change, records_of_new_sets
from server.training.store import replay_since

SQUAT = "Barbell_Squat"


Standing = set[tuple[str, str, float, str | None, str | None]]


async def _standing(sessions: async_sessionmaker[AsyncSession], user_id: str) -> Standing:
    async with sessions() as session:
        rows = (
            await session.execute(
                select(PrRecord).where(PrRecord.user_id == user_id, PrRecord.current.is_(True))
            )
        ).scalars()
        return {(r.pr_type, r.key, round(r.value_kg, 6), r.set_id, r.previous_pr_id) for r in rows}


async def test_logging_one_by_one_equals_replaying_and_a_correction_round_trips(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    rng = random.Random(7)
    user_id = new_id()
    t0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
    rows: list[WorkoutSet] = []
    try:
        async with sessions() as session, session.begin():
            session.add(User(id=user_id, name="replay", default_unit="lb"))
        for w in range(12):
            wid = new_id()
            async with sessions() as session, session.begin():
                session.add(Workout(id=wid, user_id=user_id, started_at=t0 + timedelta(days=w)))
            for n in range(5):
                unit = rng.choice(("lb", "kg"))
                weight = rng.choice((None, 0.0, 100.0, 135.0, 140.0, 60.0, 62.5, 225.0))
                row = WorkoutSet(
                    id=new_id(),
                    workout_id=wid,
                    user_id=user_id,
                    exercise_id=SQUAT,
                    set_number=n + 1,
                    reps=rng.choice((1, 3, 5, 8, 12)),
                    weight=weight,
                    unit=unit if weight is not None else None,
                    created_at=t0 + timedelta(days=w, minutes=n),
                )
                async with sessions() as session, session.begin():
                    session.add(row)
                    await records_of_new_sets(session, user_id, [row])
                rows.append(row)
        logged = await _standing(sessions, user_id)
        assert {t for t, *_ in logged} >= {"1rm", "e1rm", "volume_session", "reps_at_weight"}

        async with sessions() as session, session.begin():
            await replay_since(session, user_id, SQUAT, t0 - timedelta(days=1))
        assert await _standing(sessions, user_id) == logged
        async with sessions() as session:
            withdrawn = (
                await session.execute(select(PrRecord.id).where(PrRecord.withdrawn_at.is_not(None)))
            ).all()
        assert withdrawn == []  # a replay that changes nothing withdraws nothing

        # the heaviest set fixed down and back up: the records go and come back as they were
        async with sessions() as session:
            top = (
                await session.execute(
                    select(PrRecord).where(
                        PrRecord.user_id == user_id, PrRecord.pr_type == "1rm", PrRecord.current.is_(True)
                    )
                )
            ).scalar_one()
        async with sessions() as session, session.begin():
            row = await session.get(WorkoutSet, top.set_id)
            assert row is not None
            old_weight = row.weight
            before = [(row.exercise_id, t0 + timedelta(days=-1))]
            row.weight = 1.0
            await records_after_change(session, user_id, before, [row])
        lowered = await _standing(sessions, user_id)
        assert all(set_id != top.set_id or t == "reps_at_weight" for t, _, _, set_id, _ in lowered)
        async with sessions() as session, session.begin():
            row = await session.get(WorkoutSet, top.set_id)
            assert row is not None
            row.weight = old_weight
            await records_after_change(session, user_id, [(SQUAT, t0 - timedelta(days=1))], [row])
        restored = await _standing(sessions, user_id)
        assert {(t, k, v, s) for t, k, v, s, _ in restored} == {(t, k, v, s) for t, k, v, s, _ in logged}
    finally:
        await engine.dispose()


def _squat(ident: str, workout_id: str, user_id: str, weight: float, at: datetime) -> WorkoutSet:
    return WorkoutSet(
        id=ident,
        workout_id=workout_id,
        user_id=user_id,
        exercise_id=SQUAT,
        set_number=1,
        reps=5,
        weight=weight,
        unit="kg",
        created_at=at,
    )


async def test_sets_logged_before_records_existed_are_backfilled_on_the_next_set(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    user_id, wid = new_id(), new_id()
    t0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
    try:
        async with sessions() as session, session.begin():
            session.add(User(id=user_id, name="old-history", default_unit="kg"))
            session.add(Workout(id=wid, user_id=user_id, started_at=t0))
            await session.flush()
            for n, weight in enumerate((100.0, 120.0, 110.0)):  # as an older server stored them: no records
                session.add(_squat(f"old{n}", wid, user_id, weight, t0 + timedelta(minutes=n)))
        lighter = _squat("new", new_id(), user_id, 115.0, t0 + timedelta(days=3))
        async with sessions() as session, session.begin():
            session.add(Workout(id=lighter.workout_id, user_id=user_id, started_at=lighter.created_at))
            session.add(lighter)
            made = await records_of_new_sets(session, user_id, [lighter])
        assert {p.pr_type for p in made} <= {"reps_at_weight"}  # 115 × 5 beats no weight record of 120 × 5
        async with sessions() as session:
            query = select(PrRecord).where(PrRecord.pr_type == "1rm", PrRecord.current.is_(True))
            (standing,) = (await session.execute(query)).scalars()
        assert (standing.value, standing.set_id) == (120.0, "old1")
    finally:
        await engine.dispose()
