from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from server.db import _aliases, create_engine, sync_catalog, upgrade


async def test_upgrade_fresh_sqlite_is_idempotent_and_sets_pragmas(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'deep' / 'v.db'}")
    try:
        await upgrade(engine)
        await upgrade(engine)
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() >= 5000
            exercises = (await conn.execute(text("SELECT count(*) FROM exercises"))).scalar()
            heads = (await conn.execute(text("SELECT count(*) FROM alembic_version"))).scalar()
        assert exercises and exercises > 800
        assert heads == 1
        assert await sync_catalog(engine) == 0
    finally:
        await engine.dispose()


async def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    from sqlalchemy.exc import IntegrityError

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    try:
        await upgrade(engine)
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                orphan = "INSERT INTO workouts (id, user_id, started_at) VALUES ('w', 'nobody', '2026-01-01')"
                await conn.execute(text(orphan))
    finally:
        await engine.dispose()


async def test_upgrade_does_not_depend_on_the_working_directory(tmp_path: Path) -> None:
    here = os.getcwd()
    os.chdir("/")
    try:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
        await upgrade(engine)
        state = await _schema_state(engine)
        await engine.dispose()
    finally:
        os.chdir(here)
    assert state == await _expected_state()


async def _schema_state(engine: object) -> tuple[list[str], int, int]:
    """(alembic heads stored, exercises, distinct exercise ids): what a finished upgrade leaves."""
    async with engine.connect() as conn:  # type: ignore[attr-defined]
        heads = [r[0] for r in (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()]
        count = (await conn.execute(text("SELECT count(*) FROM exercises"))).scalar()
        distinct = (await conn.execute(text("SELECT count(DISTINCT id) FROM exercises"))).scalar()
    return heads, int(count), int(distinct)


async def _expected_state() -> tuple[list[str], int, int]:
    import json
    from importlib import resources

    from alembic.script import ScriptDirectory

    from server.db import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    n = len(json.loads((resources.files("fixtures") / "exercises.json").read_text(encoding="utf-8")))
    return [str(head)], n, n


async def test_two_processes_worth_of_upgrades_at_once(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'v.db'}"
    first = create_engine(url)
    await upgrade(first)
    second = create_engine(url)
    try:
        await asyncio.gather(upgrade(first), upgrade(second))
        state = await _schema_state(second)
    finally:
        await first.dispose()
        await second.dispose()
    assert state == await _expected_state()  # one head, the catalog once, nothing doubled


def test_alias_file_in_either_shape() -> None:
    ids = {"Barbell_Squat", "Plank"}
    assert _aliases({"back squat": "Barbell_Squat", "planks": ["Plank", "Unknown"]}, ids) == [
        ("Barbell_Squat", "back squat"),
        ("Plank", "planks"),
    ]
    assert _aliases({"Plank": ["front hold", "plank hold"]}, ids) == [
        ("Plank", "front hold"),
        ("Plank", "plank hold"),
    ]
    assert _aliases(["not", "a", "mapping"], ids) == []


async def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    """A model change without its migration (or the reverse) fails here, not on a user's database."""
    import importlib
    import pkgutil

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import models
    from models.db import Base

    for mod in pkgutil.iter_modules(models.__path__):
        if mod.name.startswith("db"):
            importlib.import_module(f"models.{mod.name}")  # every table module registers on Base
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    try:
        await upgrade(engine)
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
    finally:
        await engine.dispose()
    assert diff == []


async def test_catalog_sync_stores_the_alias_layer(tmp_path: Path) -> None:
    from sqlalchemy import select

    from matcher.aliases import load_alias_data
    from models.db import ExerciseAlias

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    try:
        await upgrade(engine)
        await sync_catalog(engine)
        async with engine.connect() as conn:
            rows = set((await conn.execute(select(ExerciseAlias.exercise_id, ExerciseAlias.alias))).all())
    finally:
        await engine.dispose()
    some_id, phrases = next(iter(load_alias_data().aliases.items()))
    assert (some_id, phrases[0]) in rows
    assert len(rows) >= sum(len(v) for v in load_alias_data().aliases.values()) * 0.9


async def test_every_connection_runs_wal_and_synchronous_full(tmp_path: Path) -> None:
    """synchronous is per connection: each one the pool hands out must have it, not only the first."""
    from server.db import sqlite_durability

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    try:
        await upgrade(engine)
        assert await sqlite_durability(engine) == {"journal_mode": "wal", "synchronous": "FULL"}
        conns = [await engine.connect() for _ in range(4)]
        try:
            levels = [(await c.execute(text("PRAGMA synchronous"))).scalar() for c in conns]
        finally:
            for c in conns:
                await c.close()
        assert levels == [2, 2, 2, 2]
    finally:
        await engine.dispose()
