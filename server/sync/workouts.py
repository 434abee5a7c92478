"""The workout ops of a sync batch: `upsert_workout`, `delete_workout`, and finding a change's workout."""

from __future__ import annotations

from typing import Any

import msgspec

from models.sync import Change, DeleteWorkoutData, SetData, WorkoutData
from server.errors import NotFound
from server.sync.batch import Batch
from server.sync.convert import outcome
from server.sync.materialize import materialize_workout
from server.sync.merge import stamp_time

__all__ = ["delete_workout", "upsert_workout", "workout_for"]


async def upsert_workout(batch: Batch, change: Change, d: WorkoutData, at: str) -> dict[str, Any]:
    if d.id is not msgspec.UNSET:
        record = await batch.by_entity("workout", d.id)
        if record is None:
            raise NotFound(f"no workout {d.id}")
    else:
        record = await batch.by_client_id("workout", str(change.client_id), create=True)
        assert record is not None
    incoming: dict[str, Any] = {}
    if d.name is not msgspec.UNSET:
        incoming["name"] = d.name
    if d.started_at is not msgspec.UNSET:
        incoming["started_at"] = stamp_time(d.started_at)
    else:
        record.state.default_time("started_at", at)
    if d.ended_at is not msgspec.UNSET:
        incoming["ended_at"] = stamp_time(d.ended_at) if d.ended_at else None
    merged = record.state.merge(incoming, at, cursor=batch.cursor)
    await materialize_workout(batch, record, placeholder=at)
    return outcome(record, merged)


async def delete_workout(batch: Batch, change: Change, d: DeleteWorkoutData, at: str) -> dict[str, Any]:
    """A tombstone: the workout (and its sets' rows) go, on every device that pulls; an older edit from a
    device that had not heard of it (by client time) does not bring it back."""
    if d.id is not msgspec.UNSET:
        record = await batch.by_entity("workout", d.id)
        if record is None:
            raise NotFound(f"no workout {d.id}")
    else:
        target = str(d.client_id) if d.client_id is not msgspec.UNSET else str(change.client_id)
        # A deletion that comes before the workout it deletes is kept: the workout, when it comes, stays gone.
        record = await batch.by_client_id("workout", target, create=True)
        assert record is not None
    record.state.delete(at, cursor=batch.cursor)
    await materialize_workout(batch, record, placeholder=at)
    where = {"kind": "workout", "entity_id": record.entity_id}
    if record.state.visible():  # an edit newer than this deletion keeps the workout
        return {"reason": "stale", "fields": [], **where}
    return where


async def workout_for(batch: Batch, d: SetData, at: str) -> str | None:
    """The server id of the workout a set or utterance names; a workout named by its client id that has not
    come yet is created as a placeholder its `upsert_workout` fills."""
    if d.workout_id is not msgspec.UNSET:
        record = await batch.by_entity("workout", d.workout_id)
        if record is None:
            raise NotFound(f"no workout {d.workout_id}")
        return record.entity_id
    if d.workout_client_id is not msgspec.UNSET:
        record = await batch.by_client_id("workout", str(d.workout_client_id), create=True)
        assert record is not None
        if record.record_id is None:
            performed = stamp_time(d.performed_at) if d.performed_at is not msgspec.UNSET else at
            await materialize_workout(batch, record, placeholder=performed)
        return record.entity_id
    return None
