"""The database engine, its session factory, and bringing the schema up to date (Alembic + catalog)."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, insert, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from matcher.aliases import load_alias_data
from models.db import Exercise, ExerciseAlias

__all__ = [
    "MIGRATION_LOCK_KEY",
    "SQLITE_SYNCHRONOUS",
    "alembic_config",
    "create_engine",
    "create_sessionmaker",
    "migration_lock",
    "sqlite_durability",
    "sync_catalog",
    "upgrade",
]

_SQLITE_BUSY_MS = 10_000
SQLITE_SYNCHRONOUS = "FULL"
_SYNCHRONOUS_NAMES = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
_POOL = 20


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def create_engine(url: str, *, synchronous: str = SQLITE_SYNCHRONOUS) -> AsyncEngine:
    """An async engine. SQLite gets WAL, a busy timeout and foreign keys: the CLI shares it with a server."""
    path = _sqlite_path(url)
    if path is not None:
        level = synchronous.upper()
        if level not in ("FULL", "NORMAL", "EXTRA"):
            raise ValueError(f"synchronous must be FULL, NORMAL or EXTRA, got {synchronous!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        # A pool large enough for bursts: connections beyond it are opened and closed per request,
        # and each aiosqlite connection is a thread of its own.
        engine = create_async_engine(
            url, connect_args={"timeout": _SQLITE_BUSY_MS / 1000}, pool_size=_POOL, max_overflow=_POOL
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # journal_mode=WAL is a property of the file, set once by `upgrade`; these are per connection.
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_MS}")
            cur.execute("PRAGMA foreign_keys=ON")
            # FULL: in WAL mode NORMAL may lose the last commits to a power cut (the WAL is not synced
            # at each commit); a set acknowledged as logged must survive one. Its cost is measured in
            # benchmarks/results/throughput_synchronous.md.
            cur.execute(f"PRAGMA synchronous={level}")
            cur.close()

        return engine
    return create_async_engine(url, pool_size=_POOL, max_overflow=_POOL, pool_recycle=1800)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic config pointing at the packaged migrations, so it works from any working directory."""
    cfg = Config()
    import migrations

    # __path__ rather than importlib.resources: editable installs may expose the package as a namespace.
    cfg.set_main_option("script_location", next(iter(migrations.__path__)))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


# alembic installs its `context`/`op` proxies as module globals for the length of a command, so two
# upgrades on two threads of one process (two engines, as in tests or a CLI beside the app) remove
# each other's proxies (KeyError). Across processes the database's own locking orders them.
_ALEMBIC = threading.Lock()


def _upgrade_sync(connection: Connection) -> None:
    with _ALEMBIC:
        command.upgrade(alembic_config(connection), "head")


# pg_advisory_lock key of schema upgrades: any constant every instance agrees on ("voicelog" in ASCII).
MIGRATION_LOCK_KEY = 0x766F6963656C6F67


@contextlib.asynccontextmanager
async def migration_lock(engine: AsyncEngine) -> AsyncIterator[None]:
    """On PostgreSQL, one upgrade at a time across every process: instances starting together wait for the
    first, then find the schema current. A session lock on a connection of its own, so it covers the
    catalog load too, and is released when that connection closes (a killed process releases it)."""
    if engine.dialect.name != "postgresql":
        yield  # SQLite: one writer at a time already, and its busy timeout makes the others wait
        return
    async with engine.connect() as conn:
        await conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        await conn.commit()
        try:
            yield
        finally:
            await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
            await conn.commit()


async def upgrade(engine: AsyncEngine) -> None:
    """Migrate to the newest schema and make sure the exercise catalog is loaded. Idempotent; runs once
    however many instances start together (`migration_lock`)."""
    if engine.dialect.name == "sqlite":
        async with engine.connect() as conn:
            # WAL lets readers (and the CLI) work beside the server's one writer; it sticks to the file.
            await conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    async with migration_lock(engine):
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade_sync)
        await sync_catalog(engine)


async def sqlite_durability(engine: AsyncEngine) -> dict[str, str] | None:
    """`journal_mode` and `synchronous` as one of this engine's connections runs them (None off SQLite):
    what the server logs at start-up, so the settings a crash depends on are read, not assumed."""
    if engine.dialect.name != "sqlite":
        return None
    async with engine.connect() as conn:
        mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
        level = (await conn.exec_driver_sql("PRAGMA synchronous")).scalar()
    synchronous = _SYNCHRONOUS_NAMES.get(int(level or 0), str(level))
    return {"journal_mode": str(mode).lower(), "synchronous": synchronous}


def _fixture(name: str) -> Any:
    ref = resources.files("fixtures") / name
    if not ref.is_file():
        return None
    return json.loads(ref.read_text(encoding="utf-8"))


async def sync_catalog(engine: AsyncEngine) -> int:
    """Insert catalog exercises (and aliases) the database does not know yet; returns how many were added."""
    exercises = _fixture("exercises.json") or []
    async with engine.begin() as conn:
        known = set((await conn.execute(select(Exercise.id))).scalars())
        if len(known) >= len(exercises) and all(e["id"] in known for e in exercises):
            return 0
        rows = [
            {"id": e["id"], "name": e["name"], "equipment": e.get("equipment"), "category": e.get("category")}
            for e in exercises
            if e["id"] not in known
        ]
        if rows:
            await conn.execute(insert(Exercise), rows)
        ids = known | {e["id"] for e in exercises}
        aliases = _aliases(load_alias_data().aliases, ids)
        have = {(i, a) for i, a in await conn.execute(select(ExerciseAlias.exercise_id, ExerciseAlias.alias))}
        new = [{"exercise_id": i, "alias": a} for i, a in aliases if (i, a) not in have]
        if new:
            await conn.execute(insert(ExerciseAlias), new)
        return len(rows)


def _aliases(data: Any, ids: set[str]) -> list[tuple[str, str]]:
    """The alias layer's {id: [aliases]} as (id, alias) rows, for catalog ids only."""
    out: set[tuple[str, str]] = set()
    if not isinstance(data, dict):
        return []
    for key, value in data.items():
        targets = value if isinstance(value, list) else [value]
        for target in targets:
            if not isinstance(target, str):
                continue
            if key in ids and target not in ids:
                out.add((key, target[:200]))
            elif target in ids:
                out.add((target, str(key)[:200]))
    return sorted(out)
