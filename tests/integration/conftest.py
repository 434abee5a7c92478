"""The real server over real HTTP, once per database: `voicelog serve` in a subprocess on a free port,
on SQLite (a fresh data directory) and on PostgreSQL (a private cluster, see tests/services/postgres.py).

Every test gets its own user (and so its own data): tests never see each other's rows.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests.services.postgres import PostgresServer, postgres_server  # noqa: F401  (fixture)

__all__ = ["Api", "LiveServer", "running_server"]

_OUTSIDE = ("VOICELOG_", "UPSTASH_", "OPENAI_")
# The checkout under test, first on the server's path: an editable install of another worktree must not
# be what `voicelog serve` runs.
_ROOT = str(Path(__file__).resolve().parents[2])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def voicelog_cmd() -> list[str]:
    exe = shutil.which("voicelog")
    return [exe] if exe else [sys.executable, "-m", "server.cli"]


class LiveServer:
    def __init__(self, kind: str, database_url: str, data_dir: Path) -> None:
        self.kind = kind
        self.database_url = database_url
        self.data_dir = data_dir
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(_OUTSIDE)}
        self.env |= {
            "VOICELOG_DATA_DIR": str(data_dir),
            "VOICELOG_DATABASE_URL": database_url,
            "VOICELOG_RATE_LIMIT_UTTERANCES_PER_MINUTE": "0",
            "VOICELOG_RATE_LIMIT_AUDIO_S_PER_MINUTE": "0",
            "PYTHONPATH": os.pathsep.join(p for p in (_ROOT, self.env.get("PYTHONPATH", "")) if p),
        }
        self.log_path = data_dir / "server.log"
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 120.0) -> None:
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                [*voicelog_cmd(), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=tempfile.gettempdir(),  # the server must not depend on the working directory
            )
        deadline = time.monotonic() + timeout_s
        while True:
            if self._proc.poll() is not None:
                raise RuntimeError(f"voicelog serve exited ({self._proc.returncode}):\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"voicelog serve did not answer /health within {timeout_s}s:\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def stop(self) -> None:
        if self._proc is None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(20)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(5)
        self._proc = None

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no goodbye (the crash the contract's durability is about)."""
        if self._proc is None:
            return
        self._proc.kill()
        self._proc.wait(10)
        self._proc = None

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def cli(
        self, *args: str, cwd: str | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*voicelog_cmd(), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=cwd or tempfile.gettempdir(),
        )

    def create_user(self, name: str | None = None, unit: str = "lb") -> tuple[str, str]:
        """(user id, token), made directly in the database the server uses (the CLI has its own test)."""
        from server.db import create_engine, create_sessionmaker
        from server.store.users import create_user

        async def run() -> tuple[str, str]:
            engine = create_engine(self.database_url)
            try:
                user, token = await create_user(
                    create_sessionmaker(engine), name or f"u-{uuid.uuid4().hex[:10]}", default_unit=unit
                )
                return user.id, token
            finally:
                await engine.dispose()

        return asyncio.run(run())

    def query(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        """Read the database behind the server's back: what was (or was not) written."""
        from server.db import create_engine

        async def run() -> list[tuple[Any, ...]]:
            engine = create_engine(self.database_url)
            try:
                async with engine.connect() as conn:
                    return [tuple(r) for r in (await conn.execute(text(sql), params)).all()]
            finally:
                await engine.dispose()

        return asyncio.run(run())

    def count(self, table: str, user_id: str) -> int:
        assert table.isidentifier()
        return int(self.query(f"SELECT count(*) FROM {table} WHERE user_id = :u", u=user_id)[0][0])


class Api:
    """One user's HTTP client, with the few calls most tests make."""

    def __init__(self, server: LiveServer, user_id: str, token: str) -> None:
        self.server = server
        self.user_id = user_id
        self.token = token
        self.http = httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )

    def workout(self, name: str | None = None) -> str:
        r = self.http.post("/v1/workouts", json={"name": name} if name else {})
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def say(self, workout_id: str, words: str, **extra: Any) -> dict[str, Any]:
        r = self.http.post(f"/v1/workouts/{workout_id}/utterances", json={"text": words, **extra})
        assert r.status_code == 201, r.text
        return dict(r.json())

    def sets(self, workout_id: str) -> list[dict[str, Any]]:
        r = self.http.get(f"/v1/workouts/{workout_id}")
        assert r.status_code == 200, r.text
        return list(r.json()["sets"])

    def snapshot(self) -> dict[str, int]:
        """Row counts of everything this user owns: the "nothing changed" check."""
        tables = ("workouts", "workout_sets", "voice_commands", "set_corrections")
        return {t: self.server.count(t, self.user_id) for t in tables}

    def close(self) -> None:
        self.http.close()


@contextmanager
def sqlite_server(prefix: str, env: dict[str, str] | None = None) -> Iterator[LiveServer]:
    """A `voicelog serve` of its own on a fresh SQLite file (with `env` added to its settings); stopped on
    exit. For a module or a test that must not share the session's servers."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"voicelog-{prefix}-"))
    server = LiveServer("sqlite", f"sqlite+aiosqlite:///{data_dir / 'voicelog.db'}", data_dir)
    server.env |= env or {}
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def running_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    prefix: str,
    env: dict[str, str] | None = None,
) -> Iterator[LiveServer]:
    """A `voicelog serve` on the database `request.param` names ("sqlite": a fresh file; "postgres": a
    fresh database in the session's cluster), with `env` added to its settings; stopped on exit."""
    data_dir = tmp_path_factory.mktemp(f"{prefix}-{request.param}")
    if request.param == "postgres":
        pg: PostgresServer = request.getfixturevalue("postgres_server")
        url = pg.create_database()
    else:
        url = f"sqlite+aiosqlite:///{data_dir / 'voicelog.db'}"
    server = LiveServer(request.param, url, data_dir)
    server.env |= env or {}
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with running_server(request, tmp_path_factory, "live") as server:
        yield server


@pytest.fixture
def api(live: LiveServer) -> Iterator[Api]:
    client = Api(live, *live.create_user())
    yield client
    client.close()


@pytest.fixture
def other(live: LiveServer) -> Iterator[Api]:
    """A second user, for "never see another user's data"."""
    client = Api(live, *live.create_user())
    yield client
    client.close()
