"""Merge records become rows: a workout or set row exists exactly while its merge state is visible (a set's
workout too), so the rows are a function of the merge states alone, whatever order changes came in.

A workout deleted by sync takes its sets' rows with it (each journaled, so other devices pull their
deletion) but keeps their merge states: an edit newer than the deletion brings the workout back, and with it
the sets whose own states are visible.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from models.db import Exercise, Workout, WorkoutSet
from server.sync import store
from server.sync.batch import Batch
from server.sync.convert import differs, parse_time
from server.training.hooks import touched

__all__ = ["materialize_set", "materialize_sets_of", "materialize_workout", "workout_visible"]


async def workout_visible(batch: Batch, workout_id: str) -> bool:
    return await batch.session.get(Workout, workout_id) is not None


async def _exercise_exists(batch: Batch, exercise_id: str) -> bool:
    """A custom exercise a set names by client id may not have come yet (its set waits for it)."""
    return await batch.session.get(Exercise, exercise_id) is not None


async def materialize_sets_of(batch: Batch, field: str, entity_id: str) -> None:
    """The sets whose `field` (workout_id, exercise_id) is `entity_id`, again: it has just come (back)."""
    for set_id in await store.set_records_with(batch.session, batch.user_id, field, entity_id):
        found = await batch.by_entity("set", set_id)
        if found is not None:
            await materialize_set(batch, found)


async def materialize_workout(batch: Batch, record: store.Record, *, placeholder: str) -> Workout | None:
    await store.save_record(batch.session, batch.user_id, record)
    session = batch.session
    row = await session.get(Workout, record.entity_id)
    if not record.state.visible():
        if row is not None:
            await _drop_sets(batch, row.id)
            await session.delete(row)
            await session.flush()
        return None
    started = record.state.value("started_at") or placeholder
    revived = row is None
    if row is None:
        row = Workout(id=record.entity_id, user_id=batch.user_id, started_at=parse_time(started))
        session.add(row)
    ended = record.state.values.get("ended_at")
    wanted = {
        "name": record.state.values.get("name"),
        "started_at": parse_time(started),
        "ended_at": parse_time(ended) if ended else None,
    }
    for name, value in wanted.items():
        if differs(getattr(row, name), value):
            setattr(row, name, value)
    await session.flush()
    if revived:  # back after a deletion: its sets whose own states are visible come back with it
        await materialize_sets_of(batch, "workout_id", row.id)
    return row


async def _drop_sets(batch: Batch, workout_id: str) -> None:
    """The workout's set rows go; a set no device touched yet keeps its state as a record first."""
    rows = (
        await batch.session.execute(select(WorkoutSet.id).where(WorkoutSet.workout_id == workout_id))
    ).scalars()
    for set_id in list(rows):
        record = await batch.by_entity("set", set_id)
        if record is not None and record.record_id is None:
            await store.save_record(batch.session, batch.user_id, record)
        row = await batch.session.get(WorkoutSet, set_id)
        if row is not None:
            batch.touched += touched([row])
            await batch.session.delete(row)
    await batch.session.flush()


async def materialize_set(batch: Batch, record: store.Record) -> None:
    await store.save_record(batch.session, batch.user_id, record)
    state = record.state
    row = await batch.session.get(WorkoutSet, record.entity_id)
    workout_id, exercise_id = state.value("workout_id"), state.value("exercise_id")
    performed = state.value("performed_at")
    complete = bool(workout_id and exercise_id and performed)
    there = (
        complete and await workout_visible(batch, workout_id) and await _exercise_exists(batch, exercise_id)
    )
    if not (state.visible() and there):
        if row is not None:
            batch.touched += touched([row])
            await batch.session.delete(row)
            await batch.session.flush()
        return
    load = state.value("load")
    fields = {
        "workout_id": workout_id,
        "exercise_id": exercise_id,
        "reps": state.value("reps"),
        "weight": load[0] if load else None,
        "unit": load[1] if load else None,
        "rpe": state.value("rpe"),
        "duration_s": state.value("duration_s"),
        "created_at": parse_time(performed),
    }
    if row is None:
        highest = (
            await batch.session.execute(
                select(func.max(WorkoutSet.set_number)).where(
                    WorkoutSet.workout_id == workout_id, WorkoutSet.exercise_id == exercise_id
                )
            )
        ).scalar_one_or_none() or 0
        row = WorkoutSet(
            id=record.entity_id,
            user_id=batch.user_id,
            set_number=highest + 1,
            client_id=record.client_id,
            **fields,
        )
        batch.session.add(row)
    else:
        changed = {n: v for n, v in fields.items() if differs(getattr(row, n), v)}
        if not changed:
            return
        batch.touched += touched([row])
        for name, value in changed.items():
            setattr(row, name, value)
        row.updated_at = datetime.now(UTC)
    await batch.session.flush()
    batch.touched += touched([row])
