"""Helpers for the backend integration tests: a live `voicelog serve` with extra environment."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from tests.integration.conftest import Api, LiveServer

__all__ = ["live_server", "path_of", "voice_command"]


@contextlib.contextmanager
def live_server(tmp: Path, env: dict[str, str], database_url: str | None = None) -> Iterator[LiveServer]:
    """A server on SQLite (or the given database) with `env` added to what C's LiveServer sets."""
    server = LiveServer("sqlite", database_url or f"sqlite+aiosqlite:///{tmp / 'voicelog.db'}", tmp)
    server.env |= env
    server.start()
    try:
        yield server
    finally:
        server.stop()


def voice_command(api: Api, voice_command_id: str) -> dict[str, Any]:
    """The voice command row as stored: what served the utterance, and what it decided."""
    rows = api.server.query(
        "SELECT model_used, understand_path, action FROM voice_commands WHERE id = :id", id=voice_command_id
    )
    assert rows, f"voice command {voice_command_id} was not persisted"
    model_used, path, action = rows[0]
    if isinstance(path, str):  # SQLite hands JSON back as text
        path = msgspec.json.decode(path)
    return {"model_used": model_used, "path": list(path), "action": action}


def path_of(api: Api, voice_command_id: str) -> list[str]:
    return list(voice_command(api, voice_command_id)["path"])
