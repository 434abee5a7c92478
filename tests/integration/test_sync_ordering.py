"""On PostgreSQL, journal positions of one lifter commit in order: a second writer waits for the first.

Without that, a pull could return a cursor past a position whose transaction commits later, and the phone
would never see that set. Two real transactions on a private PostgreSQL cluster.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from models.db import Exercise, Workout, WorkoutSet, new_id
from models.db_sync import SyncJournal
from server.db import create_engine, create_sessionmaker, upgrade
from server.store.users import create_user
from server.sync.journal import install
from tests.services.postgres import PostgresServer, postgres_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.postgres


async def test_a_second_writer_of_one_lifter_waits_for_the_first(postgres_server: PostgresServer) -> None:  # noqa: F811
    install()
    engine = create_engine(postgres_server.create_database())
    try:
        await upgrade(engine)
        sessions = create_sessionmaker(engine)
        user, _ = await create_user(sessions, "orderly")
        async with sessions() as s, s.begin():
            exercise = (await s.execute(select(Exercise.id).limit(1))).scalar_one()
            workout = Workout(user_id=user.id)
            s.add(workout)
        first = sessions()
        await first.begin()
        first.add(
            WorkoutSet(
                id=new_id(), workout_id=workout.id, user_id=user.id, exercise_id=exercise, set_number=1
            )
        )
        await first.flush()  # journaled, lifter held, not committed

        async def second() -> None:
            async with sessions() as s, s.begin():
                s.add(
                    WorkoutSet(
                        id=new_id(),
                        workout_id=workout.id,
                        user_id=user.id,
                        exercise_id=exercise,
                        set_number=2,
                    )
                )

        waiting = asyncio.create_task(second())
        await asyncio.sleep(0.5)
        assert not waiting.done()  # the second writer waits
        async with sessions() as reader:  # and a pull meanwhile sees neither position
            seqs = (
                await reader.execute(select(SyncJournal.seq).where(SyncJournal.user_id == user.id))
            ).scalars()
            before = sorted(seqs)
        await first.commit()
        await first.close()
        await asyncio.wait_for(waiting, 10)
        async with sessions() as reader:
            rows = (
                await reader.execute(
                    select(SyncJournal.seq, SyncJournal.entity_id)
                    .where(SyncJournal.user_id == user.id, SyncJournal.kind == "set")
                    .order_by(SyncJournal.seq)
                )
            ).all()
            sets = {
                r.id: r.set_number
                for r in (
                    await reader.execute(select(WorkoutSet).where(WorkoutSet.user_id == user.id))
                ).scalars()
            }
        assert len(before) == 1  # only the workout's position was visible while the first was open
        assert [sets[e] for _s, e in rows] == [1, 2]  # positions in commit order
    finally:
        await engine.dispose()
