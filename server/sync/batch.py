"""One sync request's working set: the records met so far (by entity and by client id), in one session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.db import Exercise, Workout, WorkoutSet, new_id, utcnow
from server.errors import UnknownExercise
from server.exercises_custom import store as custom
from server.exercises_custom.store import new_custom_id
from server.sync import store
from server.sync.journal import set_values
from server.sync.merge import SERVER, State, stamp, stamp_time

__all__ = ["Batch", "exercise_values", "workout_values"]


class Batch:
    """One request's work: records met so far (by kind and entity, and by client id), in one session."""

    def __init__(self, session: AsyncSession, user_id: str, unit: str, cursor: int) -> None:
        self.session, self.user_id, self.unit, self.cursor = session, user_id, unit, cursor
        self.records: dict[tuple[str, str], store.Record] = {}
        self.by_client: dict[tuple[str, str], str] = {}
        self.exercises: set[str] = set()
        self.touched: list[tuple[str, datetime]] = []
        """(exercise id, time) of set rows this batch made, changed or removed: records replay from there"""

    def _keep(self, record: store.Record) -> store.Record:
        self.records[(record.kind, record.entity_id)] = record
        if record.client_id:
            self.by_client[(record.kind, record.client_id)] = record.entity_id
        return record

    async def by_entity(self, kind: str, entity_id: str) -> store.Record | None:
        if "\x00" in entity_id:  # no id holds one (and PostgreSQL refuses it)
            return None
        if (kind, entity_id) in self.records:
            return self.records[(kind, entity_id)]
        found = await store.find_record(self.session, self.user_id, kind, entity_id=entity_id)
        if found is None:
            found = await self._from_row(kind, entity_id)
        return self._keep(found) if found else None

    async def by_client_id(self, kind: str, client_id: str, *, create: bool) -> store.Record | None:
        if (kind, client_id) in self.by_client:
            return self.records[(kind, self.by_client[(kind, client_id)])]
        found = await store.find_record(self.session, self.user_id, kind, client_id=client_id)
        if found is None and create:
            entity_id = new_custom_id() if kind == "exercise" else new_id()
            found = store.Record(kind, entity_id, State(), record_id=None, client_id=client_id)
        return self._keep(found) if found else None

    async def _from_row(self, kind: str, entity_id: str) -> store.Record | None:
        """A workout, set or custom exercise the server made and no device touched yet: its row, stamped by
        the server."""
        if kind == "exercise":
            return await self._exercise_from_row(entity_id)
        row: Workout | WorkoutSet | None = await self.session.get(
            Workout if kind == "workout" else WorkoutSet, entity_id
        )
        if row is None or row.user_id != self.user_id:
            return None
        if isinstance(row, WorkoutSet):
            values = set_values(row)
            at = stamp_time(row.created_at)
        else:
            values = workout_values(row)
            at = stamp_time(row.started_at)
        state = State(values=values, stamps={f: stamp(at, v, rank=SERVER) for f, v in values.items()})
        return store.Record(kind, entity_id, state, record_id=None, client_id=None)

    async def _exercise_from_row(self, exercise_id: str) -> store.Record | None:
        row = await custom.owned(self.session, self.user_id, exercise_id)
        if row is None:
            return None
        values = exercise_values(row, (await custom.aliases_of(self.session, [row.id]))[row.id])
        at = stamp_time(row.created_at or utcnow())
        state = State(values=values, stamps={f: stamp(at, v, rank=SERVER) for f, v in values.items()})
        return store.Record("exercise", exercise_id, state, record_id=None, client_id=None)

    async def exercise(self, exercise_id: str) -> str:
        """The catalog's exercise or one of the lifter's own (another lifter's is unknown here)."""
        if exercise_id not in self.exercises:
            if await custom.usable(self.session, self.user_id, exercise_id) is None:
                raise UnknownExercise(
                    f"unknown exercise id {exercise_id!r}; GET /v1/exercises?q=... lists ids"
                )
            self.exercises.add(exercise_id)
        return exercise_id

    async def custom_exercise(self, client_id: str) -> str:
        """A custom exercise named by the client id of its `upsert_exercise`, in this batch, an earlier one or
        one still to come: then a placeholder record holds its id, and the set shows once it comes."""
        record = await self.by_client_id("exercise", client_id, create=True)
        assert record is not None
        if record.record_id is None:
            await store.save_record(self.session, self.user_id, record)
        return record.entity_id


def exercise_values(row: Exercise, aliases: list[str]) -> dict[str, Any]:
    return {
        "name": row.name,
        "aliases": sorted(aliases),
        "equipment": row.equipment,
        "category": row.category,
    }


def workout_values(row: Workout) -> dict[str, Any]:
    return {
        "name": row.name,
        "started_at": stamp_time(row.started_at),
        "ended_at": stamp_time(row.ended_at) if row.ended_at else None,
    }
