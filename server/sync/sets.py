"""The set ops of a sync batch: `upsert_set` and `delete_set`."""

from __future__ import annotations

from typing import Any

import msgspec

from models.sync import Change, DeleteSetData, SetData
from server.errors import BadInput, NotFound
from server.sync.batch import Batch
from server.sync.convert import outcome
from server.sync.materialize import materialize_set, workout_visible
from server.sync.merge import stamp_time
from server.sync.workouts import workout_for

__all__ = ["delete_set", "upsert_set"]


async def _exercise(batch: Batch, d: SetData, index: int) -> str | None:
    if d.exercise_id is not msgspec.UNSET:
        return await batch.exercise(d.exercise_id)
    if d.exercise is not msgspec.UNSET:
        return await batch.exercise(d.exercise.id)
    if d.exercise_client_id is not msgspec.UNSET:
        return await batch.custom_exercise(str(d.exercise_client_id))
    return None


async def upsert_set(batch: Batch, change: Change, d: SetData, at: str, index: int) -> dict[str, Any]:
    incoming: dict[str, Any] = {}
    workout_id = await workout_for(batch, d, at)
    if workout_id is not None:
        incoming["workout_id"] = workout_id
    exercise = await _exercise(batch, d, index)
    if exercise is not None:
        incoming["exercise_id"] = exercise
    for field in ("reps", "rpe", "duration_s"):
        value = getattr(d, field)
        if value is not msgspec.UNSET:
            incoming[field] = value
    if d.weight is not msgspec.UNSET:
        unit = d.unit if d.unit is not msgspec.UNSET and d.unit else batch.unit
        incoming["load"] = None if d.weight is None else [float(d.weight), unit]
    elif d.unit is not msgspec.UNSET:
        raise BadInput(f"changes[{index}].data: send unit together with weight", code="invalid_input")
    if d.performed_at is not msgspec.UNSET:
        incoming["performed_at"] = stamp_time(d.performed_at)
    if d.id is not msgspec.UNSET:
        record = await batch.by_entity("set", d.id)
        if record is None:
            raise NotFound(f"no set {d.id}")
    else:
        record = await batch.by_client_id("set", str(change.client_id), create=True)
        assert record is not None
    if "performed_at" not in incoming:
        record.state.default_time("performed_at", at)
    merged = record.state.merge(incoming, at, cursor=batch.cursor)
    await materialize_set(batch, record)
    home = record.state.value("workout_id")
    return outcome(record, merged, gone=bool(home) and not await workout_visible(batch, home))


async def delete_set(batch: Batch, change: Change, d: DeleteSetData, at: str) -> dict[str, Any]:
    if d.id is not msgspec.UNSET:
        record = await batch.by_entity("set", d.id)
        if record is None:
            raise NotFound(f"no set {d.id}")
    else:
        target = str(d.client_id) if d.client_id is not msgspec.UNSET else str(change.client_id)
        # A deletion that comes before the set it deletes is kept: the set, when it comes, stays deleted.
        record = await batch.by_client_id("set", target, create=True)
        assert record is not None
    pinned = record.state.unseen_pins(batch.cursor)
    record.state.delete(at, cursor=batch.cursor)
    await materialize_set(batch, record)
    where = {"kind": "set", "entity_id": record.entity_id}
    if pinned:
        return {"reason": "server_correction", "fields": pinned, **where}
    if record.state.visible():  # an edit newer than this deletion keeps the set
        return {"reason": "stale", "fields": [], **where}
    return where
