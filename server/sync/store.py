"""Reads and writes of the sync room: merge records, receipts, and the journal a pull reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import Exercise
from models.db_sync import SyncJournal, SyncReceipt, SyncRecord
from server.sync.journal import state_columns, to_state
from server.sync.merge import State

__all__ = [
    "Record",
    "client_ids",
    "exercise_names",
    "find_record",
    "journal_page",
    "receipt",
    "rows_by_id",
    "save_receipt",
    "save_record",
    "set_records_with",
]


class Record:
    """A merge record as the service works on it; `record_id` None until it is first saved."""

    def __init__(
        self, kind: str, entity_id: str, state: State, *, record_id: str | None, client_id: str | None
    ) -> None:
        self.kind, self.entity_id, self.state = kind, entity_id, state
        self.record_id, self.client_id = record_id, client_id


async def find_record(
    session: AsyncSession,
    user_id: str,
    kind: str,
    *,
    entity_id: str | None = None,
    client_id: str | None = None,
) -> Record | None:
    query = select(SyncRecord).where(SyncRecord.user_id == user_id, SyncRecord.kind == kind)
    if entity_id is not None:
        query = query.where(SyncRecord.entity_id == entity_id)
    else:
        query = query.where(SyncRecord.client_id == client_id)
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        return None
    return Record(
        kind,
        row.entity_id,
        to_state(row.values, row.stamps, row.deleted),
        record_id=row.id,
        client_id=row.client_id,
    )


async def save_record(session: AsyncSession, user_id: str, record: Record) -> None:
    columns = state_columns(record.state)
    if record.record_id is None:
        row = SyncRecord(
            user_id=user_id,
            kind=record.kind,
            entity_id=record.entity_id,
            client_id=record.client_id,
            **columns,
        )
        session.add(row)
        await session.flush()
        record.record_id = row.id
    else:
        await session.execute(update(SyncRecord).where(SyncRecord.id == record.record_id).values(**columns))


async def receipt(session: AsyncSession, user_id: str, key: str) -> dict[str, Any] | None:
    return (
        await session.execute(
            select(SyncReceipt.outcome).where(SyncReceipt.user_id == user_id, SyncReceipt.change_key == key)
        )
    ).scalar_one_or_none()


async def save_receipt(
    session: AsyncSession, user_id: str, key: str, client_id: str, outcome: dict[str, Any]
) -> None:
    await session.execute(
        insert(SyncReceipt).values(user_id=user_id, change_key=key, client_id=client_id, outcome=outcome)
    )


async def journal_page(
    session: AsyncSession, user_id: str, after: int, limit: int
) -> tuple[list[tuple[str, str, int]], bool]:
    """(kind, entity id, latest seq) of records journaled after `after`, oldest latest-change first."""
    latest = func.max(SyncJournal.seq)
    rows = (
        await session.execute(
            select(SyncJournal.kind, SyncJournal.entity_id, latest)
            .where(SyncJournal.user_id == user_id, SyncJournal.seq > after)
            .group_by(SyncJournal.kind, SyncJournal.entity_id)
            .order_by(latest)
            .limit(limit + 1)
        )
    ).all()
    return [(k, e, int(s)) for k, e, s in rows[:limit]], len(rows) > limit


async def client_ids(session: AsyncSession, user_id: str, kind: str, ids: Sequence[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = await session.execute(
        select(SyncRecord.entity_id, SyncRecord.client_id).where(
            SyncRecord.user_id == user_id,
            SyncRecord.kind == kind,
            SyncRecord.entity_id.in_(ids),
            SyncRecord.client_id.is_not(None),
        )
    )
    return {e: c for e, c in rows if c is not None}


async def set_records_with(session: AsyncSession, user_id: str, field: str, entity_id: str) -> list[str]:
    """Entity ids of the set records whose `field` (workout_id, exercise_id) is `entity_id` (their merge
    state says so)."""
    rows = await session.execute(
        select(SyncRecord.entity_id).where(
            SyncRecord.user_id == user_id,
            SyncRecord.kind == "set",
            SyncRecord.values[field].as_string() == entity_id,
        )
    )
    return list(rows.scalars())


async def exercise_names(session: AsyncSession, ids: Sequence[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = await session.execute(select(Exercise.id, Exercise.name).where(Exercise.id.in_(set(ids))))
    return {i: n for i, n in rows}


async def rows_by_id(
    session: AsyncSession, model: Any, user_id: str, ids: Sequence[str], *, owner: str = "user_id"
) -> dict[str, Any]:
    if not ids:
        return {}
    owned_by = getattr(model, owner)
    found = await session.execute(select(model).where(owned_by == user_id, model.id.in_(set(ids))))
    return {r.id: r for r in found.scalars()}
