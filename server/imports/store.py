"""Reads and writes of the import room: runs, raw records, and the workouts and sets rows become."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db import User, Workout, WorkoutSet, utcnow
from models.db_imports import ExternalActivityRecord, ExternalIngestionRun
from models.db_sync import SyncJournal
from server.sync.journal import journal_rows

__all__ = [
    "finish_run",
    "highest_set_numbers",
    "insert_rows",
    "known_records",
    "mark_failed",
    "start_run",
]

_CHUNK = 500  # ids per IN (...): well under SQLite's and asyncpg's parameter limits


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


async def start_run(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    user_id: str,
    provider: str,
    filename: str | None,
    content_sha256: str | None,
) -> str:
    """The run is committed on its own first, so a failure later still leaves its record."""
    async with sessionmaker() as session, session.begin():
        run = ExternalIngestionRun(
            user_id=user_id, provider=provider, filename=filename, content_sha256=content_sha256
        )
        session.add(run)
        await session.flush()
        return run.id


async def mark_failed(sessionmaker: async_sessionmaker[AsyncSession], run_id: str, error: str) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(ExternalIngestionRun)
            .where(ExternalIngestionRun.id == run_id)
            .values(status="failed", error=error[:2000], finished_at=utcnow())
        )


async def finish_run(
    session: AsyncSession, run_id: str, *, summary: dict[str, Any], unresolved: list[Any], cursor: str | None
) -> None:
    await session.execute(
        update(ExternalIngestionRun)
        .where(ExternalIngestionRun.id == run_id)
        .values(
            status="finished", summary=summary, unresolved=unresolved, cursor=cursor, finished_at=utcnow()
        )
    )


async def known_records(
    session: AsyncSession, user_id: str, provider: str, keys: Sequence[str]
) -> dict[str, str | None]:
    """external id → the workout it became (None when none), for ids already imported."""
    out: dict[str, str | None] = {}
    for chunk in _chunks(sorted(set(keys))):
        result = await session.execute(
            select(ExternalActivityRecord.external_id, ExternalActivityRecord.workout_id).where(
                ExternalActivityRecord.user_id == user_id,
                ExternalActivityRecord.provider == provider,
                ExternalActivityRecord.external_id.in_(chunk),
            )
        )
        out.update({key: workout for key, workout in result})
    return out


async def highest_set_numbers(
    session: AsyncSession, workout_ids: Sequence[str]
) -> dict[tuple[str, str], int]:
    """(workout, exercise) → highest set number already there: a later export continues the count."""
    out: dict[tuple[str, str], int] = {}
    for chunk in _chunks(sorted(set(workout_ids))):
        result = await session.execute(
            select(WorkoutSet.workout_id, WorkoutSet.exercise_id, func.max(WorkoutSet.set_number))
            .where(WorkoutSet.workout_id.in_(chunk))
            .group_by(WorkoutSet.workout_id, WorkoutSet.exercise_id)
        )
        out.update({(w, e): int(n or 0) for w, e, n in result})
    return out


async def insert_rows(
    session: AsyncSession,
    *,
    workouts: list[dict[str, Any]],
    sets: list[dict[str, Any]],
    records: list[dict[str, Any]],
) -> None:
    """Bulk inserts in dependency order (records point at workouts and sets)."""
    # Bulk inserts bypass the ORM's journal hook: a phone's next pull must still see the imported history,
    # and the lifter's row is held as the hook holds it, so journal positions commit in order.
    for user_id in sorted({w["user_id"] for w in workouts} | {s["user_id"] for s in sets}):
        await session.execute(select(User.id).where(User.id == user_id).with_for_update(key_share=True))
    journal = [
        *(j for w in workouts for j in journal_rows(w["user_id"], "workout", [w["id"]])),
        *(j for s in sets for j in journal_rows(s["user_id"], "set", [s["id"]])),
    ]
    for model, rows in (
        (Workout, workouts),
        (WorkoutSet, sets),
        (ExternalActivityRecord, records),
        (SyncJournal, journal),
    ):
        if rows:  # Core executemany on the table: one driver call, not the ORM's row-by-row bulk path
            await session.execute(insert(cast(Table, model.__table__)), rows)
