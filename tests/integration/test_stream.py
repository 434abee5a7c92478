"""`/v1/stream` over a real websocket to the running server: auth, bad frame sequences, typed text,
corrections. The speech-model tests live in test_stream_speech.py and share the same server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from tests.audio_gen import shared_voice_server
from tests.integration.conftest import Api, LiveServer

__all__ = ["Stream", "other_api", "voice", "voice_api"]


@pytest.fixture(scope="session")
def voice() -> LiveServer:
    return shared_voice_server()  # type: ignore[no-any-return]


@pytest.fixture
def voice_api(voice: LiveServer) -> Iterator[Api]:
    client = Api(voice, *voice.create_user())
    yield client
    client.close()


@pytest.fixture
def other_api(voice: LiveServer) -> Iterator[Api]:
    client = Api(voice, *voice.create_user())
    yield client
    client.close()


class Stream:
    """A websocket client that keeps every event, for assertions on what the server said."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.events: list[dict[str, Any]] = []

    @classmethod
    async def open(cls, server: LiveServer, token: str, workout_id: str, *, via: str = "query") -> Stream:
        url = f"ws://127.0.0.1:{server.port}/v1/stream?workout_id={workout_id}"
        headers = None
        if via == "query":
            url += f"&token={token}"
        else:
            headers = {"Authorization": f"Bearer {token}"}
        ws = await websockets.connect(url, additional_headers=headers, max_size=2**22)
        return cls(ws)

    async def send(self, message: dict[str, Any] | bytes) -> None:
        await self.ws.send(message if isinstance(message, bytes) else json.dumps(message))

    async def next(self, wait_s: float = 30.0) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.ws.recv(), wait_s)
        event = json.loads(raw)
        self.events.append(event)
        return dict(event)

    async def until(self, *types: str, wait_s: float = 30.0) -> dict[str, Any]:
        """The next event of one of `types` (events in between are kept in `events`)."""
        while True:
            event = await self.next(wait_s)
            if event["type"] in types:
                return event

    async def start(self, rate: int = 16000, **extra: Any) -> dict[str, Any]:
        await self.send({"type": "start", "sample_rate": rate, "encoding": "pcm_s16le", **extra})
        return await self.until("ready")

    async def close(self) -> None:
        await self.ws.close()


async def _close_code(url: str, headers: dict[str, str] | None = None) -> int:
    async with websockets.connect(url, additional_headers=headers) as ws:
        with pytest.raises(ConnectionClosed):
            while True:  # nothing, not even `ready`, may arrive before the close
                msg = await ws.recv()
                raise AssertionError(f"got {msg!r} before the close")
        assert ws.close_code is not None
        return int(ws.close_code)


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("", None),
        ("&token=vl_wrong", None),
        ("", {"Authorization": "Bearer vl_wrong"}),
        ("", {"Authorization": "Basic dXNlcjpwYXNz"}),
    ],
)
async def test_auth_failures_close_4401_before_ready(
    voice: LiveServer, voice_api: Api, query: str, headers: dict[str, str] | None
) -> None:
    workout = voice_api.workout()
    url = f"ws://127.0.0.1:{voice.port}/v1/stream?workout_id={workout}{query}"
    assert await _close_code(url, headers) == 4401


@pytest.mark.parametrize("via", ["query", "header"])
async def test_valid_token_gets_ready_by_header_or_query(voice: LiveServer, voice_api: Api, via: str) -> None:
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout, via=via)
    ready = await s.next()
    assert ready["type"] == "ready"
    assert ready["workout_id"] == workout
    assert ready["session_id"]
    await s.close()


async def test_another_users_workout_closes_4404(voice: LiveServer, voice_api: Api, other_api: Api) -> None:
    theirs = other_api.workout()
    url = f"ws://127.0.0.1:{voice.port}/v1/stream?workout_id={theirs}&token={voice_api.token}"
    assert await _close_code(url) == 4404


async def test_typed_text_is_logged_and_persisted_before_the_event(voice: LiveServer, voice_api: Api) -> None:
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout)
    await s.start()
    await s.send({"type": "text", "text": "barbell squat 225 for 5"})
    logged = await s.until("logged", "clarify")
    assert logged["type"] == "logged"
    assert logged["parsed"]["exercise"]["id"] in ("Barbell_Squat", "Barbell_Full_Squat")
    assert (logged["parsed"]["reps"], logged["parsed"]["weight"]) == (5, 225)
    assert set(logged["timing_ms"]) >= {"stt", "parse", "match", "persist", "total"}
    (row,) = logged["sets"]
    # committed before the event: the server's own REST view has it
    assert [x["id"] for x in voice_api.sets(workout)] == [row["id"]]
    await s.close()


async def test_bad_frames_get_errors_and_the_socket_stays_usable(voice: LiveServer, voice_api: Api) -> None:
    workout = voice_api.workout()
    before = await asyncio.to_thread(voice_api.snapshot)
    s = await Stream.open(voice, voice_api.token, workout)
    assert (await s.next())["type"] == "ready"

    await s.send(b"\x00\x00" * 320)
    assert (await s.until("error"))["code"] == "not_started"

    await s.send({"type": "start", "sample_rate": 12345, "encoding": "pcm_s16le"})
    assert (await s.until("error"))["code"] == "unsupported_rate"

    await s.send({"type": "start", "sample_rate": 48000, "encoding": "pcm_s16le"})
    await s.send({"type": "start", "sample_rate": 48000, "encoding": "pcm_s16le"})
    assert (await s.until("error"))["code"] == "already_started"

    await s.send(b"\x00" * 961)
    assert (await s.until("error"))["code"] == "bad_frame"

    await s.send(b"\x00\x00" * 48000 * 2)  # 2 s in one frame; the contract allows up to 1 s
    assert (await s.until("error"))["code"] == "frame_too_large"

    await s.send({"type": "dance"})
    assert (await s.until("error"))["code"] == "unknown_type"

    await s.ws.send("{not json")
    assert (await s.until("error"))["code"] == "malformed_json"

    await s.send({"type": "text"})
    assert (await s.until("error"))["code"] == "invalid_message"

    await s.send({"type": "text", "text": "   "})
    assert (await s.until("error"))["code"] == "empty_text"

    await s.send({"type": "end_utterance"})
    assert (await s.until("error"))["code"] == "no_speech"

    for event in s.events:
        if event["type"] == "error":
            assert event["message"]
    assert await asyncio.to_thread(voice_api.snapshot) == before  # none of it changed anything

    # still usable: a good frame is accepted silently and a typed set logs
    await s.send(b"\x00\x00" * 960)
    await s.send({"type": "text", "text": "deadlift 315 for 3"})
    logged = await s.until("logged", "clarify")
    assert logged["type"] == "logged"
    assert logged["parsed"]["reps"] == 3
    await s.close()


async def test_correct_message_changes_the_set(voice: LiveServer, voice_api: Api) -> None:
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout)
    await s.start()
    await s.send({"type": "text", "text": "barbell curl 60 pounds for 12"})
    logged = await s.until("logged")
    set_id = logged["sets"][0]["id"]

    await s.send({"type": "correct", "set_id": set_id, "fields": {"reps": 10}})
    corrected = await s.until("corrected", "error")
    assert corrected["type"] == "corrected"
    assert corrected["set"]["id"] == set_id
    assert corrected["set"]["reps"] == 10
    assert corrected["set"]["corrected"] is True
    assert voice_api.sets(workout)[0]["reps"] == 10

    await s.send({"type": "correct", "set_id": set_id, "fields": {"reps": -3}})
    assert (await s.until("error"))["code"] == "invalid_input"
    await s.send({"type": "correct", "set_id": "00000000-0000-0000-0000-000000000000", "fields": {"reps": 3}})
    assert (await s.until("error"))["code"] == "not_found"
    assert voice_api.sets(workout)[0]["reps"] == 10
    await s.close()


async def test_stop_answers_pending_work_then_closes(voice: LiveServer, voice_api: Api) -> None:
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout)
    await s.start()
    await s.send({"type": "text", "text": "leg press 400 for 10"})
    await s.send({"type": "stop"})
    logged = await s.until("logged", "clarify")
    assert logged["type"] == "logged"
    with pytest.raises(ConnectionClosed):
        await s.next(wait_s=10)
    assert s.ws.close_code == 1000


def test_stream_route_refuses_plain_http(voice: LiveServer) -> None:
    r = httpx.get(f"{voice.url}/v1/stream")
    assert r.status_code >= 400
    assert r.status_code < 500
