"""`POST /v1/sync`: apply a device's offline changes in one transaction, then answer every change since its
cursor. The merge rule is in `merge.py`; this module finds the records, materialises them as workouts and
sets, and keeps a receipt per change so the same change again answers the same and changes nothing.
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db import User
from models.sync import (
    OPS,
    Change,
    Conflict,
    DeleteSetData,
    DeleteWorkoutData,
    ExerciseData,
    SetData,
    SyncIn,
    SyncOut,
    UtteranceData,
    UtteranceResult,
    WorkoutData,
)
from server.errors import BadInput, DomainError
from server.sync import pull, store
from server.sync.backdate import backdate
from server.sync.batch import Batch
from server.sync.convert import convert, parse_time
from server.sync.exercises import upsert_exercise
from server.sync.journal import SYNC_WRITER
from server.sync.merge import canon, stamp_time
from server.sync.sets import delete_set, upsert_set
from server.sync.workouts import delete_workout, upsert_workout, workout_for
from server.training.hooks import records_after_change

__all__ = ["MAX_CHANGES", "SyncService", "TooManyChanges"]

MAX_CHANGES = 500
"""changes per batch; a phone with more sends several batches"""


class TooManyChanges(DomainError):
    status = 413
    code = "too_many_changes"


def _cursor(text: str | None) -> int:
    if text is None or text == "":
        return 0
    if not text.isdigit() or len(text) > 18:
        raise BadInput(f"cursor {text!r} is not one this server gave", code="invalid_cursor")
    return int(text)


def change_key(change: Change) -> str:
    body = [change.op, str(change.client_id), stamp_time(change.client_time), canon(change.data)]
    return hashlib.sha256(canon(body).encode()).hexdigest()


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
            if batch.touched:  # personal records follow the sets, as for any other writer of them
                await records_after_change(session, user_id, batch.touched)
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
            await backdate(self.sessionmaker, set_ids, outcome.voice_command_id, parse_time(o["spoken_at"]))
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
            return await upsert_workout(batch, change, convert(change.data, WorkoutData, index), at)
        if change.op == "delete_workout":
            return await delete_workout(batch, change, convert(change.data, DeleteWorkoutData, index), at)
        if change.op == "upsert_set":
            return await upsert_set(batch, change, convert(change.data, SetData, index), at, index)
        if change.op == "upsert_exercise":
            return await upsert_exercise(batch, change, convert(change.data, ExerciseData, index), at, index)
        if change.op == "log_utterance":
            return await self._utterance(batch, convert(change.data, UtteranceData, index), at, index)
        return await delete_set(batch, change, convert(change.data, DeleteSetData, index), at)

    async def _utterance(self, batch: Batch, d: UtteranceData, at: str, index: int) -> dict[str, Any]:
        spoken = stamp_time(d.spoken_at) if d.spoken_at is not msgspec.UNSET else at
        where = SetData(
            workout_id=d.workout_id, workout_client_id=d.workout_client_id, performed_at=parse_time(spoken)
        )
        workout_id = await workout_for(batch, where, at)
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
