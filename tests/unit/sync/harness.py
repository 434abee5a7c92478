"""A real SQLite database with the sync service on it, and the server-side edits the REST routes make."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from models.db import Workout, WorkoutSet
from models.sync import SyncIn, SyncOut
from server.store.sets import apply_changes, require_set
from server.store.users import create_user
from server.sync.service import SyncService

__all__ = ["SyncDb", "change", "iso"]


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def change(
    op: str, client_id: str, at: datetime, data: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    return {"op": op, "client_id": client_id, "client_time": iso(at), "data": {**(data or {}), **fields}}


class SyncDb:
    def __init__(self, engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.engine, self.sessions = engine, sessions
        self.service = SyncService(sessions)

    async def user(self, unit: str = "kg") -> str:
        user, _ = await create_user(self.sessions, f"u-{uuid.uuid4().hex[:10]}", default_unit=unit)
        return user.id

    async def sync(self, user_id: str, cursor: str | None, changes: list[dict[str, Any]]) -> SyncOut:
        body = msgspec.json.decode(msgspec.json.encode({"cursor": cursor, "changes": changes}), type=SyncIn)
        return await self.service.sync(user_id, body)

    async def pull_all(self, user_id: str, cursor: str | None) -> tuple[list[dict[str, Any]], str]:
        """Every change since the cursor, following `more`."""
        out: list[dict[str, Any]] = []
        while True:
            answer = await self.sync(user_id, cursor, [])
            out += msgspec.to_builtins(answer.changes)
            cursor = answer.cursor
            if not answer.more:
                return out, cursor

    async def correct(self, user_id: str, set_id: str, **changes: Any) -> None:
        """What PATCH /v1/sets/{id} does."""
        async with self.sessions() as session, session.begin():
            row = await require_set(session, user_id, set_id)
            await apply_changes(
                session, user_id=user_id, rows=[row], changes=changes, source="api", default_unit="kg"
            )

    async def delete(self, user_id: str, set_id: str) -> None:
        """What DELETE /v1/sets/{id} does."""
        async with self.sessions() as session, session.begin():
            await session.delete(await require_set(session, user_id, set_id))

    async def sets(self, user_id: str) -> dict[str, WorkoutSet]:
        async with self.sessions() as session:
            rows = (await session.execute(select(WorkoutSet).where(WorkoutSet.user_id == user_id))).scalars()
            return {r.id: r for r in rows}

    async def workouts(self, user_id: str) -> dict[str, Workout]:
        async with self.sessions() as session:
            rows = (await session.execute(select(Workout).where(Workout.user_id == user_id))).scalars()
            return {r.id: r for r in rows}


T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
__all__ += ["T0", "minutes"]


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)
