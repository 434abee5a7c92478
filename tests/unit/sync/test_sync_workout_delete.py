"""`delete_workout`: a tombstone that takes the workout and its sets off every device, keeps a stale device
(an older client time) from bringing it back, and yields to an edit made after it."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from models.db import Workout, WorkoutSet
from tests.unit.sync.harness import SyncDb, change, minutes

BENCH, SQUAT = "Barbell_Bench_Press_-_Medium_Grip", "Barbell_Squat"


def ids(n: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(n)]


async def _workout_with_sets(db: SyncDb, user: str) -> tuple[str, list[str], str]:
    w, s1, s2 = ids(3)
    answer = await db.sync(
        user,
        None,
        [
            change("upsert_workout", w, minutes(0), name="Push", started_at="2026-03-01T09:00:00Z"),
            change("upsert_set", s1, minutes(1), workout_client_id=w, exercise_id=BENCH, reps=5, weight=100),
            change("upsert_set", s2, minutes(2), workout_client_id=w, exercise_id=SQUAT, reps=3, weight=140),
        ],
    )
    assert answer.conflicts == []
    return w, [s1, s2], answer.cursor


async def test_a_deleted_workout_and_its_sets_leave_every_device(db: SyncDb) -> None:
    user = await db.user()
    w, sets, cursor = await _workout_with_sets(db, user)
    d = str(uuid.uuid4())
    gone = await db.sync(user, cursor, [change("delete_workout", d, minutes(30), {"client_id": w})])
    assert gone.applied == [d] and gone.conflicts == []
    assert await db.workouts(user) == {} and await db.sets(user) == {}
    # the other phone, still at the first cursor, pulls the tombstones with the client ids it knows
    pulled, _ = await db.pull_all(user, cursor)
    assert sorted((c["op"], c["client_id"]) for c in pulled) == sorted(
        [("delete_workout", w), *(("delete_set", s) for s in sets)]
    )
    again = await db.sync(user, cursor, [change("delete_workout", d, minutes(30), {"client_id": w})])
    assert (again.applied, again.cursor) == (gone.applied, gone.cursor)  # a replay changes nothing


async def test_a_stale_device_does_not_bring_a_deleted_workout_back(db: SyncDb) -> None:
    user = await db.user()
    w, (s1, _), cursor = await _workout_with_sets(db, user)
    await db.sync(user, cursor, [change("delete_workout", str(uuid.uuid4()), minutes(30), {"client_id": w})])
    # edits made offline before the deletion, arriving after it
    stale = await db.sync(
        user,
        cursor,
        [
            change("upsert_workout", w, minutes(10), name="Push day"),
            change("upsert_set", s1, minutes(11), reps=6),
            change(
                "upsert_set", str(uuid.uuid4()), minutes(12), workout_client_id=w, exercise_id=BENCH, reps=4
            ),
        ],
    )
    assert stale.applied == [] and [c.reason for c in stale.conflicts] == ["deleted"] * 3
    assert stale.conflicts[0].server["op"] == "delete_workout"
    assert await db.workouts(user) == {} and await db.sets(user) == {}


async def test_an_edit_after_the_deletion_brings_the_workout_back_with_its_live_sets(db: SyncDb) -> None:
    user = await db.user()
    w, (s1, s2), cursor = await _workout_with_sets(db, user)
    await db.sync(
        user,
        cursor,
        [
            change("delete_set", str(uuid.uuid4()), minutes(20), {"client_id": s2}),
            change("delete_workout", str(uuid.uuid4()), minutes(30), {"client_id": w}),
        ],
    )
    back = await db.sync(user, cursor, [change("upsert_workout", w, minutes(40), name="Push again")])
    assert back.applied == [w]
    (workout,) = (await db.workouts(user)).values()
    assert workout.name == "Push again"
    # the set deleted on its own stays deleted; the other comes back with its workout
    assert [r.client_id for r in (await db.sets(user)).values()] == [s1]
    pulled, _ = await db.pull_all(user, back.cursor)
    assert pulled == []


async def test_a_deletion_that_arrives_before_its_workout_keeps_it_away(db: SyncDb) -> None:
    user = await db.user()
    w, s = ids(2)
    await db.sync(user, None, [change("delete_workout", str(uuid.uuid4()), minutes(5), {"client_id": w})])
    late = await db.sync(
        user,
        None,
        [
            change("upsert_workout", w, minutes(0), name="Legs"),
            change("upsert_set", s, minutes(1), workout_client_id=w, exercise_id=SQUAT, reps=5),
        ],
    )
    assert [c.reason for c in late.conflicts] == ["deleted", "deleted"]
    assert await db.workouts(user) == {} and await db.sets(user) == {}


async def test_a_workout_the_server_made_is_deleted_by_id_with_its_sets(db: SyncDb) -> None:
    user = await db.user()
    async with db.sessions() as session, session.begin():
        workout = Workout(user_id=user, name="voice")
        session.add(workout)
        await session.flush()
        session.add(WorkoutSet(workout_id=workout.id, user_id=user, exercise_id=BENCH, set_number=1, reps=8))
    first = await db.sync(user, None, [])
    d = str(uuid.uuid4())
    gone = await db.sync(
        user, first.cursor, [change("delete_workout", d, minutes(60 * 24 * 3650), id=workout.id)]
    )
    assert gone.applied == [d]
    assert {c.op for c in gone.changes} == {"delete_workout", "delete_set"}
    async with db.sessions() as session:
        assert (await session.execute(select(WorkoutSet))).scalars().all() == []


async def test_a_workout_deleted_on_the_server_is_not_revived_by_an_older_device_edit(db: SyncDb) -> None:
    user = await db.user()
    w, _, cursor = await _workout_with_sets(db, user)
    (workout_id,) = await db.workouts(user)
    async with db.sessions() as session, session.begin():
        for row in (await session.execute(select(WorkoutSet).where(WorkoutSet.user_id == user))).scalars():
            await session.delete(row)
        await session.flush()
        await session.delete(await session.get(Workout, workout_id))
    stale = await db.sync(user, cursor, [change("upsert_workout", w, minutes(50), name="renamed offline")])
    assert [c.reason for c in stale.conflicts] == ["deleted"] and await db.workouts(user) == {}
    pulled, _ = await db.pull_all(user, cursor)
    assert ("delete_workout", w) in {(c["op"], c["client_id"]) for c in pulled}


async def test_a_set_that_arrives_before_its_custom_exercise_shows_when_the_exercise_comes(
    db: SyncDb,
) -> None:
    user = await db.user()
    e, w, s = ids(3)
    early = await db.sync(
        user,
        None,
        [
            change("upsert_workout", w, minutes(0), name="Odd"),
            change("upsert_set", s, minutes(2), workout_client_id=w, exercise_client_id=e, reps=12),
        ],
    )
    assert early.applied == [w, s] and await db.sets(user) == {}  # waiting for its exercise
    came = await db.sync(
        user, early.cursor, [change("upsert_exercise", e, minutes(1), name="Tire Flip Press")]
    )
    assert came.applied == [e]
    (row,) = (await db.sets(user)).values()
    assert row.exercise_id.startswith("custom-") and row.reps == 12
    assert {c.op for c in came.changes} == {"upsert_exercise", "upsert_set"}
