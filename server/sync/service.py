"""`POST /v1/sync`: apply a device's offline changes in one transaction, then answer every change since its
cursor. The merge rule is in `merge.py`; this module finds the records, materialises them as workouts and
sets, and keeps a receipt per change so the same change again answers the same and changes nothing.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db import User, Workout, WorkoutSet
from models.sync import (
    OPS,
    Change,
    Conflict,
    DeleteSetData,
    SetData,
    SyncIn,
    SyncOut,
    UtteranceData,
    UtteranceResult,
    WorkoutData,
)
from server.errors import BadInput, DomainError, NotFound
from server.sync import pull, store
from server.sync.backdate import backdate
from server.sync.batch import Batch
from server.sync.journal import SYNC_WRITER
from server.sync.merge import FieldMerge, canon, stamp_time

__all__ = ["MAX_CHANGES", "SyncService", "TooManyChanges"]

MAX_CHANGES = 500
"""changes per batch; a phone with more sends several batches"""


class TooManyChanges(DomainError):
    status = 413
    code = "too_many_changes"


def _parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _cursor(text: str | None) -> int:
    if text is None or text == "":
        return 0
    if not text.isdigit() or len(text) > 18:
        raise BadInput(f"cursor {text!r} is not one this server gave", code="invalid_cursor")
    return int(text)


def change_key(change: Change) -> str:
    body = [change.op, str(change.client_id), stamp_time(change.client_time), canon(change.data)]
    return hashlib.sha256(canon(body).encode()).hexdigest()


def _convert(data: dict[str, Any], kind: type, index: int) -> Any:
    try:
        return msgspec.convert(data, kind)  # strict: "5" is not 5, as everywhere in the API
    except msgspec.ValidationError as exc:
        raise BadInput(f"changes[{index}].data: {exc}", code="invalid_input") from exc


class SyncService:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], pipeline: Any | None = None) -> None:
        self.sessionmaker = sessionmaker
        self.pipeline = pipeline
        """`server.pipeline.Pipeline`, for `log_utterance` changes (None: such changes are refused)"""

    async def sync(self, user_id: str, body: SyncIn) -> SyncOut:
        if len(body.changes) > MAX_CHANGES:
            raise TooManyChanges(
                f"{len(body.changes)} changes in one batch; at most {MAX_CHANGES}: send the rest in the next"
            )
        cursor = _cursor(body.cursor)
        for i, change in enumerate(body.changes):
            if change.op not in OPS:
                raise BadInput(f"changes[{i}].op {change.op!r} is not one of {list(OPS)}", code="unknown_op")
            if change.op == "log_utterance" and self.pipeline is None:
                raise BadInput("this server takes no utterances by sync", code="unknown_op")
        async with self.sessionmaker() as session, session.begin():
            session.info[SYNC_WRITER] = True
            # One batch per lifter at a time (PostgreSQL; SQLite has one writer): merges read, then write;
            # the same lock orders journal positions (server/sync/journal.py).
            unit = (
                await session.execute(
                    select(User.default_unit).where(User.id == user_id).with_for_update(key_share=True)
                )
            ).scalar_one()
            batch = Batch(session, user_id, unit, cursor)
            outcomes: list[tuple[str, dict[str, Any]]] = []  # (client id, outcome) in the batch's order
            for i, change in enumerate(body.changes):
                key = change_key(change)
                outcome = await store.receipt(session, user_id, key)
                if outcome is None:
                    outcome = await self._apply(batch, change, i)
                    await store.save_receipt(session, user_id, key, str(change.client_id), outcome)
                outcomes.append((str(change.client_id), outcome))
            await session.flush()
            applied = [client for client, o in outcomes if not o.get("reason")]
            conflicts = [
                Conflict(
                    client_id=client,
                    index=index,
                    reason=o["reason"],
                    fields=list(o.get("fields", [])),
                    server=msgspec.to_builtins(
                        (await pull.entries(session, user_id, [(o["kind"], o["entity_id"], 0)]))[0]
                    ),
                )
                for index, (client, o) in enumerate(outcomes)
                if o.get("reason")
            ]
            changes, next_cursor, more = await pull.since(session, user_id, cursor)
        # Utterances go through the pipeline after the batch commits (their workouts exist by then): each
        # is its own transaction, idempotent by its client_id like POST .../utterances with a client_id.
        utterances = []
        for client, o in outcomes:
            if o.get("kind") == "utterance":
                utterances.append(await self._say(user_id, client, o))
        return SyncOut(
            cursor=str(next_cursor),
            applied=applied,
            conflicts=conflicts,
            changes=changes,
            more=more,
            utterances=utterances,
        )

    async def _say(self, user_id: str, client_id: str, o: dict[str, Any]) -> UtteranceResult:
        assert self.pipeline is not None
        outcome = await self.pipeline.handle_text(
            user_id, o["workout_id"], o["text"], unit=o.get("unit"), client_id=client_id, source="sync"
        )
        set_ids = [s.id for s in outcome.sets]
        if set_ids and not outcome.replayed:  # logged when it was said, not when the phone came back
            await backdate(self.sessionmaker, set_ids, outcome.voice_command_id, _parse_time(o["spoken_at"]))
        return UtteranceResult(
            client_id=client_id,
            voice_command_id=outcome.voice_command_id,
            action=outcome.action,
            set_ids=set_ids,
            question=outcome.clarify_question,
        )

    async def _apply(self, batch: Batch, change: Change, index: int) -> dict[str, Any]:
        at = stamp_time(change.client_time)
        if change.op == "upsert_workout":
            return await self._workout(batch, change, _convert(change.data, WorkoutData, index), at)
        if change.op == "upsert_set":
            return await self._set(batch, change, _convert(change.data, SetData, index), at, index)
        if change.op == "log_utterance":
            return await self._utterance(batch, _convert(change.data, UtteranceData, index), at, index)
        return await self._delete(batch, change, _convert(change.data, DeleteSetData, index), at)

    async def _workout(self, batch: Batch, change: Change, d: WorkoutData, at: str) -> dict[str, Any]:
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
        await self._materialize_workout(batch, record, placeholder=at)
        return _outcome(record, merged)

    async def _materialize_workout(self, batch: Batch, record: store.Record, *, placeholder: str) -> Workout:
        await store.save_record(batch.session, batch.user_id, record)
        row = await batch.session.get(Workout, record.entity_id)
        started = record.state.value("started_at") or placeholder
        if row is None:
            row = Workout(id=record.entity_id, user_id=batch.user_id, started_at=_parse_time(started))
            batch.session.add(row)
        ended = record.state.values.get("ended_at")
        wanted = {
            "name": record.state.values.get("name"),
            "started_at": _parse_time(started),
            "ended_at": _parse_time(ended) if ended else None,
        }
        for name, value in wanted.items():
            if _differs(getattr(row, name), value):
                setattr(row, name, value)
        await batch.session.flush()
        return row

    async def _utterance(self, batch: Batch, d: UtteranceData, at: str, index: int) -> dict[str, Any]:
        spoken = stamp_time(d.spoken_at) if d.spoken_at is not msgspec.UNSET else at
        where = SetData(
            workout_id=d.workout_id, workout_client_id=d.workout_client_id, performed_at=_parse_time(spoken)
        )
        workout_id = await self._workout_for(batch, where, at)
        if workout_id is None:
            raise BadInput(
                f"changes[{index}].data: an utterance needs workout_id or workout_client_id",
                code="invalid_input",
            )
        return {
            "kind": "utterance",
            "entity_id": workout_id,
            "workout_id": workout_id,
            "text": d.text,
            "unit": d.unit,
            "spoken_at": spoken,
        }

    async def _workout_for(self, batch: Batch, d: SetData, at: str) -> str | None:
        if d.workout_id is not msgspec.UNSET:
            record = await batch.by_entity("workout", d.workout_id)
            if record is None:
                raise NotFound(f"no workout {d.workout_id}")
            return record.entity_id
        if d.workout_client_id is not msgspec.UNSET:
            record = await batch.by_client_id("workout", str(d.workout_client_id), create=True)
            assert record is not None
            if record.record_id is None:  # the set came before its workout: a placeholder its upsert fills
                performed = stamp_time(d.performed_at) if d.performed_at is not msgspec.UNSET else at
                await self._materialize_workout(batch, record, placeholder=performed)
            return record.entity_id
        return None

    async def _set(self, batch: Batch, change: Change, d: SetData, at: str, index: int) -> dict[str, Any]:
        incoming: dict[str, Any] = {}
        workout_id = await self._workout_for(batch, d, at)
        if workout_id is not None:
            incoming["workout_id"] = workout_id
        exercise = d.exercise_id if d.exercise_id is not msgspec.UNSET else None
        if exercise is None and d.exercise is not msgspec.UNSET:
            exercise = d.exercise.id
        if exercise is not None:
            incoming["exercise_id"] = await batch.exercise(exercise)
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
        await self._materialize_set(batch, record)
        return _outcome(record, merged)

    async def _delete(self, batch: Batch, change: Change, d: DeleteSetData, at: str) -> dict[str, Any]:
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
        await self._materialize_set(batch, record)
        where = {"kind": "set", "entity_id": record.entity_id}
        if pinned:
            return {"reason": "server_correction", "fields": pinned, **where}
        if record.state.visible():  # an edit newer than this deletion keeps the set
            return {"reason": "stale", "fields": [], **where}
        return where

    async def _materialize_set(self, batch: Batch, record: store.Record) -> None:
        await store.save_record(batch.session, batch.user_id, record)
        state = record.state
        row = await batch.session.get(WorkoutSet, record.entity_id)
        workout_id, exercise_id = state.value("workout_id"), state.value("exercise_id")
        performed = state.value("performed_at")
        complete = bool(workout_id and exercise_id and performed)
        if not (state.visible() and complete):
            if row is not None:
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
            "created_at": _parse_time(performed),
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
            changed = {n: v for n, v in fields.items() if _differs(getattr(row, n), v)}
            if not changed:
                return
            for name, value in changed.items():
                setattr(row, name, value)
            row.updated_at = datetime.now(UTC)
        await batch.session.flush()


def _differs(old: Any, new: Any) -> bool:
    """SQLite hands datetimes back naive (they are stored as UTC): compare them as UTC instants."""
    if isinstance(old, datetime) and isinstance(new, datetime):
        return stamp_time(old) != stamp_time(new)
    return bool(old != new)


def _outcome(record: store.Record, merged: FieldMerge) -> dict[str, Any]:
    where = {"kind": record.kind, "entity_id": record.entity_id}
    if merged.pinned:
        return {"reason": "server_correction", "fields": merged.pinned, **where}
    if not record.state.visible():
        return {"reason": "deleted", "fields": [], **where}
    if merged.stale:
        return {"reason": "stale", "fields": merged.stale, **where}
    return where
