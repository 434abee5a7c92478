"""Audio recorded offline and uploaded later: logged at the time it was said, and a retry adds nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.audio_gen import ClipMaker, shared_clips, shared_voice_server
from tests.integration.conftest import Api, LiveServer


@pytest.fixture(scope="module")
def voice() -> LiveServer:
    return shared_voice_server()  # type: ignore[no-any-return]


@pytest.fixture
def voice_api(voice: LiveServer) -> Iterator[Api]:
    client = Api(voice, *voice.create_user())
    yield client
    client.close()


@pytest.mark.slow
def test_an_offline_recording_is_logged_when_it_was_said(voice_api: Api) -> None:
    clips: ClipMaker = shared_clips()
    data = clips.clip("leg press four hundred for ten reps").read_bytes()
    workout = voice_api.workout()
    client_id = str(uuid.uuid4())
    params = {"client_id": client_id, "recorded_at": "2026-02-01T07:15:30Z"}
    url = f"/v1/workouts/{workout}/audio"
    r = voice_api.http.post(
        url, content=data, headers={"Content-Type": "audio/wav"}, params=params, timeout=120
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["sets"] and body["sets"][0]["created_at"] == "2026-02-01T07:15:30Z"
    (stored,) = voice_api.sets(workout)
    assert stored["created_at"] == "2026-02-01T07:15:30Z"
    command = voice_api.http.get(f"/v1/voice-commands/{body['voice_command_id']}").json()
    assert command["created_at"] == "2026-02-01T07:15:30Z"
    before = voice_api.snapshot()
    again = voice_api.http.post(
        url, content=data, headers={"Content-Type": "audio/wav"}, params=params, timeout=120
    )
    assert again.status_code in (200, 201) and again.json()["voice_command_id"] == body["voice_command_id"]
    assert voice_api.snapshot() == before
    bad = voice_api.http.post(url, content=data, params={"recorded_at": "last tuesday"}, timeout=120)
    assert bad.status_code == 400
