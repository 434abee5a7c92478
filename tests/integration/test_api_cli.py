"""The CLI against the database of a running server: schema upgrades and users, from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx

from tests.integration.conftest import LiveServer, voicelog_cmd


def test_user_create_prints_a_working_token_last_while_the_server_runs(
    live: LiveServer, tmp_path: Path
) -> None:
    name = f"cli-{uuid.uuid4().hex[:8]}"
    done = live.cli("user", "create", name, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip().splitlines()[-1]
    r = httpx.post(f"{live.url}/v1/workouts", json={}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201
    again = live.cli("user", "create", name)
    assert again.returncode != 0 and "exists" in again.stderr
    assert live.query("SELECT count(*) FROM users WHERE name = :n", n=name)[0][0] == 1


def test_db_upgrade_is_idempotent_beside_the_running_server(live: LiveServer, tmp_path: Path) -> None:
    for _ in range(2):
        done = live.cli("db", "upgrade", cwd=str(tmp_path))
        assert done.returncode == 0, done.stderr
    assert httpx.get(f"{live.url}/health").status_code == 200
    heads = live.query("SELECT version_num FROM alembic_version")
    assert len(heads) == 1


def test_fresh_data_dir_from_another_directory(tmp_path: Path) -> None:
    data = tmp_path / "nested" / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOICELOG_", "UPSTASH_", "OPENAI_"))}
    env["VOICELOG_DATA_DIR"] = str(data)
    done = subprocess.run(
        [*voicelog_cmd(), "user", "create", "first"],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (data / "voicelog.db").exists()
    assert done.stdout.strip().splitlines()[-1].startswith("vl_")


def test_bad_settings_fail_with_a_message(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOICELOG_")}
    env |= {"VOICELOG_DATA_DIR": str(tmp_path), "VOICELOG_PORT": "not-a-port"}
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "port" in done.stderr and "Traceback" not in done.stderr
