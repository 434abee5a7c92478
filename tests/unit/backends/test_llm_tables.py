"""agent_invocations and fine_tuned_models: the migration, the registry's choice, invocation rows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db_llm import AgentInvocation, FineTunedModel
from server.backends.llm import Invocation
from server.backends.llm.record import invocation_rows
from server.backends.llm.registry import ModelRegistry, register_fine_tuned
from server.db import create_engine, create_sessionmaker, upgrade

__all__: list[str] = []


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    await upgrade(engine)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def test_migration_creates_both_tables(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as s:
        conn = await s.connection()
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        columns = await conn.run_sync(
            lambda c: {col["name"] for col in inspect(c).get_columns("agent_invocations")}
        )
    assert {"agent_invocations", "fine_tuned_models"} <= tables
    assert {"model", "prompt_tokens", "completion_tokens", "latency_ms", "status", "error"} <= columns


async def test_registry_prefers_the_newest_active_model(sessions: async_sessionmaker[AsyncSession]) -> None:
    registry = ModelRegistry(sessions, refresh_s=0)
    assert await registry.current() is None
    async with sessions() as s, s.begin():
        await register_fine_tuned(s, "ft:a", base_model="gpt-4o-mini")
    assert await registry.current() == "ft:a"
    async with sessions() as s, s.begin():
        await register_fine_tuned(s, "ft:b", base_model="gpt-4o-mini")
        await register_fine_tuned(s, "ft:c", base_model="gpt-4o-mini", activate=False)
    assert await registry.current() == "ft:b"
    async with sessions() as s:
        active = (await s.scalars(select(FineTunedModel.model).where(FineTunedModel.active.is_(True)))).all()
    assert active == ["ft:b"]


async def test_registry_memoizes_between_refreshes(sessions: async_sessionmaker[AsyncSession]) -> None:
    registry = ModelRegistry(sessions, refresh_s=3600)
    assert await registry.current() is None
    async with sessions() as s, s.begin():
        await register_fine_tuned(s, "ft:x", base_model="m")
    assert await registry.current() is None  # still memoized: no query on the hot path
    registry.forget()
    assert await registry.current() == "ft:x"


async def test_invocation_rows_persist(sessions: async_sessionmaker[AsyncSession]) -> None:
    calls = [
        Invocation(
            model="gpt-4o-mini", latency_ms=812.5, status="ok", prompt_tokens=420, completion_tokens=61
        ),
        Invocation(model="gpt-4o-mini", latency_ms=1500.2, status="timeout", error="no answer within 1.5s"),
    ]
    async with sessions() as s, s.begin():
        s.add_all(invocation_rows(calls, voice_command_id="vc-1", user_id=None))
    async with sessions() as s:
        rows = (await s.scalars(select(AgentInvocation).order_by(AgentInvocation.latency_ms))).all()
    assert [(r.status, r.prompt_tokens, r.error) for r in rows] == [
        ("ok", 420, None),
        ("timeout", None, "no answer within 1.5s"),
    ]
    assert all(r.voice_command_id == "vc-1" and r.created_at is not None for r in rows)
