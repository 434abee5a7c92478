"""`upsert_exercise`: a custom exercise made or edited on the phone, merged field by field like a set.

Its row (and aliases) follow its merge state; every change is journaled, so the lifter's other devices pull
it as `upsert_exercise`. An edit on the server (`PATCH /v1/exercises/{id}`) stamps the fields it changed as
the server's, as a correction of a set is, so the merge rule orders it with the devices' edits.
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import Exercise, utcnow
from models.sync import Change, ExerciseData
from server.errors import BadInput, NotFound
from server.exercises_custom import store as custom
from server.sync import store
from server.sync.batch import Batch
from server.sync.convert import differs, outcome
from server.sync.journal import load_state, save_state
from server.sync.materialize import materialize_sets_of
from server.sync.merge import SERVER, stamp, stamp_time

__all__ = ["server_edit", "upsert_exercise"]


def _aliases(aliases: list[str]) -> list[str]:
    return sorted({custom.clean(a).lower() for a in aliases if custom.clean(a)})


async def upsert_exercise(
    batch: Batch, change: Change, d: ExerciseData, at: str, index: int
) -> dict[str, Any]:
    if d.id is not msgspec.UNSET:
        record = await batch.by_entity("exercise", d.id)
        if record is None:
            raise NotFound(f"no custom exercise {d.id} of yours")
    else:
        record = await batch.by_client_id("exercise", str(change.client_id), create=True)
        assert record is not None
    incoming: dict[str, Any] = {}
    if d.name is not msgspec.UNSET:
        if not custom.clean(d.name):
            raise BadInput(f"changes[{index}].data.name is blank", code="invalid_input")
        incoming["name"] = custom.clean(d.name)
    if d.aliases is not msgspec.UNSET:
        incoming["aliases"] = _aliases(d.aliases)
    for field in ("equipment", "category"):
        value = getattr(d, field)
        if value is not msgspec.UNSET:
            incoming[field] = value
    if "name" not in incoming and not record.state.values.get("name"):
        raise BadInput(f"changes[{index}].data: a new custom exercise needs a name", code="invalid_input")
    merged = record.state.merge(incoming, at, cursor=batch.cursor)
    await _materialize(batch, record)
    return outcome(record, merged)


async def _materialize(batch: Batch, record: store.Record) -> None:
    await store.save_record(batch.session, batch.user_id, record)
    values = record.state.values
    session = batch.session
    row = await session.get(Exercise, record.entity_id)
    changed = created = row is None
    if row is None:
        await custom.ensure_free(session, batch.user_id, values["name"], None)
        row = Exercise(id=record.entity_id, name=values["name"], owner_id=batch.user_id, created_at=utcnow())
        session.add(row)
    elif differs(row.name, values["name"]):
        await custom.rename(session, row, values["name"])
        changed = True
    for field in ("equipment", "category"):
        if differs(getattr(row, field), values.get(field)):
            setattr(row, field, values.get(field))
            changed = True
    await session.flush()
    have = (await custom.aliases_of(session, [row.id]))[row.id]
    if sorted(have) != list(values.get("aliases", have)):
        await custom.replace_aliases(session, row.id, values.get("aliases", []))
        changed = True
    if changed:
        await custom.journal(session, batch.user_id, row.id)
    if created:  # sets that named it by client id before it came show now
        await materialize_sets_of(batch, "exercise_id", row.id)


async def server_edit(session: AsyncSession, user_id: str, exercise_id: str, values: dict[str, Any]) -> None:
    """A REST edit of a custom exercise a device has synced: its fields are stamped the server's, now."""

    def write(sync_session: Any) -> None:
        record_id, state = load_state(sync_session, user_id, "exercise", exercise_id)
        if record_id is None:
            return  # never synced: its row is its state when a device first touches it
        at = stamp_time(utcnow())
        for field, value in values.items():
            state.values[field] = value
            state.stamps[field] = stamp(at, value, rank=SERVER)
        save_state(
            sync_session, record_id, user_id=user_id, kind="exercise", entity_id=exercise_id, state=state
        )

    await session.run_sync(write)
