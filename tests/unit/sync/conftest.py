from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from server.db import create_engine, create_sessionmaker, upgrade
from server.sync.journal import install
from tests.unit.sync.harness import SyncDb


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[SyncDb]:
    install()
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    await upgrade(engine)
    yield SyncDb(engine, create_sessionmaker(engine))
    await engine.dispose()
