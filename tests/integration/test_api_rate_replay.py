"""Issue 19: a retry of a logged `client_id` answers the first result even after the rate limit is hit,
and retries never count against the limit. Its own server, with a limit of three utterances a minute."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import Api, LiveServer

_LIMIT = 3


@pytest.fixture(scope="module")
def limited() -> Iterator[LiveServer]:
    data_dir = Path(tempfile.mkdtemp(prefix="voicelog-limited-"))
    server = LiveServer("sqlite", f"sqlite+aiosqlite:///{data_dir / 'voicelog.db'}", data_dir)
    server.env["VOICELOG_RATE_LIMIT_UTTERANCES_PER_MINUTE"] = str(_LIMIT)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def client(limited: LiveServer) -> Iterator[Api]:
    api = Api(limited, *limited.create_user())
    yield api
    api.close()


def _say(api: Api, workout: str, text: str, client_id: str) -> tuple[int, dict]:
    r = api.http.post(f"/v1/workouts/{workout}/utterances", json={"text": text, "client_id": client_id})
    return r.status_code, r.json()


def test_retries_never_count_and_replay_after_the_limit(client: Api) -> None:
    workout = client.workout()
    first_id = str(uuid.uuid4())
    status, first = _say(client, workout, "barbell squat 225 for 5", first_id)
    assert status == 201, first
    for _ in range(5):  # a phone retrying over a bad connection
        status, again = _say(client, workout, "barbell squat 225 for 5", first_id)
        assert status == 201, again
        assert again["voice_command_id"] == first["voice_command_id"]
    for text in ("barbell squat 225 for 4", "barbell squat 225 for 3"):  # the rest of the budget
        status, body = _say(client, workout, text, str(uuid.uuid4()))
        assert status == 201, body
    status, refused = _say(client, workout, "barbell squat 225 for 2", str(uuid.uuid4()))
    assert status == 429 and refused["error"]["code"] == "rate_limited"
    status, replayed = _say(client, workout, "barbell squat 225 for 5", first_id)
    assert status == 201, replayed
    assert replayed["voice_command_id"] == first["voice_command_id"]
    assert replayed["sets"] == first["sets"]
    assert len(client.sets(workout)) == _LIMIT
