"""The sync contract case by case, on a real database: what is applied, what conflicts, what a pull says."""

from __future__ import annotations

import uuid

import pytest

from server.errors import BadInput, UnknownExercise
from server.sync.service import MAX_CHANGES, TooManyChanges
from tests.unit.sync.harness import SyncDb, change, minutes

BENCH = "Barbell_Bench_Press_-_Medium_Grip"


def ids(n: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(n)]


async def _workout_with_set(db: SyncDb, user: str) -> tuple[str, str, str]:
    w, s = ids(2)
    answer = await db.sync(
        user,
        None,
        [
            change("upsert_workout", w, minutes(0), name="Push", started_at="2026-03-01T09:00:00Z"),
            change(
                "upsert_set",
                s,
                minutes(1),
                workout_client_id=w,
                exercise_id=BENCH,
                reps=5,
                weight=100,
                unit="kg",
                performed_at="2026-03-01T09:05:00Z",
            ),
        ],
    )
    assert answer.applied == [w, s] and answer.conflicts == []
    return w, s, answer.cursor


async def test_an_offline_workout_and_set_are_created_and_pulled(db: SyncDb) -> None:
    user = await db.user()
    w, s, cursor = await _workout_with_set(db, user)
    (row,) = (await db.sets(user)).values()
    assert (row.reps, row.weight, row.unit, row.exercise_id, row.client_id) == (5, 100.0, "kg", BENCH, s)
    assert row.created_at.isoformat().startswith("2026-03-01T09:05:00")  # logged when it was done
    (workout,) = (await db.workouts(user)).values()
    assert workout.name == "Push" and row.workout_id == workout.id
    changes, _ = await db.pull_all(user, None)
    ops = {(c["op"], c["client_id"]) for c in changes}
    assert ops == {("upsert_workout", w), ("upsert_set", s)}
    pulled = next(c for c in changes if c["op"] == "upsert_set")["data"]
    assert pulled["workout_client_id"] == w and pulled["weight"] == 100.0 and pulled["set_number"] == 1
    assert (await db.pull_all(user, cursor))[0] == []  # nothing new since


async def test_the_same_batch_twice_answers_the_same_and_changes_nothing(db: SyncDb) -> None:
    user = await db.user()
    w, s = ids(2)
    batch = [
        change("upsert_workout", w, minutes(0), name="Legs"),
        change("upsert_set", s, minutes(1), workout_client_id=w, exercise_id="Barbell_Squat", reps=5),
        change("upsert_set", s, minutes(2), reps=6),
    ]
    first = await db.sync(user, None, batch)
    before = {k: (v.reps, v.updated_at) for k, v in (await db.sets(user)).items()}
    again = await db.sync(user, None, batch)
    assert (again.applied, again.conflicts) == (first.applied, first.conflicts)
    assert {k: (v.reps, v.updated_at) for k, v in (await db.sets(user)).items()} == before
    assert again.cursor == first.cursor  # nothing was journaled by the replay
    assert [reps for reps, _ in before.values()] == [6]


async def test_last_writer_by_client_time_and_the_older_edit_is_a_conflict(db: SyncDb) -> None:
    user = await db.user()
    _, s, cursor = await _workout_with_set(db, user)
    newer = await db.sync(user, cursor, [change("upsert_set", s, minutes(20), reps=8)])
    assert newer.applied == [s]
    older = await db.sync(user, cursor, [change("upsert_set", s, minutes(10), reps=3, rpe=9)])
    (conflict,) = older.conflicts
    assert (conflict.client_id, conflict.reason, conflict.fields) == (s, "stale", ["reps"])
    assert conflict.server["data"]["reps"] == 8
    (row,) = (await db.sets(user)).values()
    assert (row.reps, row.rpe) == (8, 9.0)  # the older change's other field was newer for its field


async def test_a_deletion_wins_over_an_older_edit_and_a_later_edit_brings_the_set_back(db: SyncDb) -> None:
    user = await db.user()
    _, s, cursor = await _workout_with_set(db, user)
    gone = await db.sync(
        user, cursor, [change("delete_set", str(uuid.uuid4()), minutes(30), {"client_id": s})]
    )
    assert gone.conflicts == [] and await db.sets(user) == {}
    assert any(c.op == "delete_set" and c.client_id == s for c in gone.changes)
    older = await db.sync(user, cursor, [change("upsert_set", s, minutes(20), reps=9)])
    (conflict,) = older.conflicts
    assert conflict.reason == "deleted" and conflict.server["op"] == "delete_set"
    assert await db.sets(user) == {}
    later = await db.sync(user, cursor, [change("upsert_set", s, minutes(40), reps=10)])
    assert later.applied == [s]
    (row,) = (await db.sets(user)).values()
    assert (row.reps, row.weight, row.exercise_id) == (10, 100.0, BENCH)


async def test_a_deletion_that_arrives_before_its_set_keeps_it_deleted(db: SyncDb) -> None:
    user = await db.user()
    w, s, d = ids(3)
    await db.sync(user, None, [change("delete_set", d, minutes(5), {"client_id": s})])
    late = await db.sync(
        user,
        None,
        [
            change("upsert_workout", w, minutes(0)),
            change("upsert_set", s, minutes(1), workout_client_id=w, exercise_id=BENCH, reps=5),
        ],
    )
    assert [c.client_id for c in late.conflicts] == [s] and await db.sets(user) == {}


async def test_an_unseen_server_correction_is_never_overwritten(db: SyncDb) -> None:
    user = await db.user()
    _, s, cursor = await _workout_with_set(db, user)
    (set_id,) = await db.sets(user)
    await db.correct(user, set_id, reps=7)
    # made offline after the correction, by a device that had not pulled it: newer, but it did not know
    blind = await db.sync(user, cursor, [change("upsert_set", s, minutes(60 * 24 * 365), reps=4, rpe=8)])
    (conflict,) = blind.conflicts
    assert (conflict.reason, conflict.fields) == ("server_correction", ["reps"])
    assert conflict.server["data"]["reps"] == 7
    row = (await db.sets(user))[set_id]
    assert (row.reps, row.rpe) == (7, 8.0)
    refused = await db.sync(
        user, cursor, [change("delete_set", str(uuid.uuid4()), minutes(60 * 24 * 366), id=set_id)]
    )
    assert refused.conflicts[0].reason == "server_correction" and set_id in await db.sets(user)
    seen = blind.cursor  # this device has now pulled the correction
    informed = await db.sync(user, seen, [change("upsert_set", s, minutes(60 * 24 * 365 + 1), reps=4)])
    assert informed.applied == [s] and (await db.sets(user))[set_id].reps == 4


async def test_a_server_deletion_reaches_the_device(db: SyncDb) -> None:
    user = await db.user()
    _, s, cursor = await _workout_with_set(db, user)
    (set_id,) = await db.sets(user)
    await db.delete(user, set_id)
    changes, _ = await db.pull_all(user, cursor)
    assert [(c["op"], c["client_id"]) for c in changes] == [("delete_set", s)]


async def test_sets_logged_on_the_server_are_pulled_and_editable_by_id(db: SyncDb) -> None:
    user = await db.user()
    _, _, cursor = await _workout_with_set(db, user)
    (set_id,) = await db.sets(user)
    edit = await db.sync(
        user, cursor, [change("upsert_set", str(uuid.uuid4()), minutes(60 * 24 * 400), id=set_id, weight=110)]
    )
    assert edit.conflicts == [] and (await db.sets(user))[set_id].weight == 110.0
    assert (await db.sets(user))[set_id].unit == "kg"


async def test_a_bad_batch_is_refused_whole(db: SyncDb) -> None:
    user = await db.user()
    w, s, s2 = ids(3)
    good = change("upsert_workout", w, minutes(0))
    with pytest.raises(UnknownExercise):
        await db.sync(
            user, None, [good, change("upsert_set", s, minutes(1), workout_client_id=w, exercise_id="Nope")]
        )
    with pytest.raises(BadInput):
        await db.sync(
            user, None, [good, change("upsert_set", s2, minutes(1), workout_client_id=w, reps="five")]
        )
    with pytest.raises(BadInput):  # a number sent as text is refused, as everywhere in the API
        await db.sync(user, None, [good, change("upsert_set", s2, minutes(1), workout_client_id=w, reps="5")])
    with pytest.raises(BadInput):
        await db.sync(user, None, [good, change("rename_everything", s2, minutes(1))])
    with pytest.raises(BadInput):
        await db.sync(user, "not-a-cursor", [])
    with pytest.raises(TooManyChanges):
        await db.sync(
            user,
            None,
            [change("upsert_workout", str(uuid.uuid4()), minutes(0)) for _ in range(MAX_CHANGES + 1)],
        )
    assert await db.workouts(user) == {} and (await db.pull_all(user, None))[0] == []


async def test_a_set_that_comes_before_its_workout_waits_in_a_placeholder_the_workout_fills(
    db: SyncDb,
) -> None:
    user = await db.user()
    w, s = ids(2)
    early = await db.sync(
        user,
        None,
        [change("upsert_set", s, minutes(5), workout_client_id=w, exercise_id=BENCH, reps=5)],
    )
    assert early.applied == [s]
    (placeholder,) = (await db.workouts(user)).values()
    assert placeholder.name is None and placeholder.started_at.isoformat().startswith("2026-03-01T09:05")
    await db.sync(user, None, [change("upsert_workout", w, minutes(0), name="Pull")])
    (workout,) = (await db.workouts(user)).values()
    assert workout.id == placeholder.id and workout.name == "Pull"
    assert workout.started_at.isoformat().startswith("2026-03-01T09:00")  # its own client time, not the set's
    (row,) = (await db.sets(user)).values()
    assert row.workout_id == workout.id


async def test_imported_history_reaches_a_phone_on_its_first_pull(db: SyncDb) -> None:
    from matcher.parser import CONFIDENCE_THRESHOLD
    from matcher.resolver import ExerciseMatcher
    from server.imports.service import ImportService
    from tests.import_samples import strong_csv

    user = await db.user()
    text, exp = strong_csv(years=1, seed=2)
    service = ImportService(db.sessions, ExerciseMatcher.from_fixtures(), threshold=CONFIDENCE_THRESHOLD)
    await service.import_bytes(user, "strong", text.encode(), unit="kg")
    changes, cursor = await db.pull_all(user, None)
    ops = [c["op"] for c in changes]
    assert ops.count("upsert_set") == exp.sets and ops.count("upsert_workout") == exp.workouts
    assert len(changes) > 1000  # more than one page: `more` was followed
    assert (await db.pull_all(user, cursor))[0] == []
