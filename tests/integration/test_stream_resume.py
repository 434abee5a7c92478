"""A reconnecting client resumes its websocket session (unit, last set) with the `session_id` of `ready`."""

from __future__ import annotations

import json
from typing import Any

import websockets

from tests.integration.conftest import Api, LiveServer
from tests.integration.test_stream import other_api, voice, voice_api  # noqa: F401  (fixtures)

__all__: list[str] = []


async def _connect(server: LiveServer, token: str, workout: str, session_id: str | None = None) -> Any:
    url = f"ws://127.0.0.1:{server.port}/v1/stream?workout_id={workout}&token={token}"
    if session_id:
        url += f"&session_id={session_id}"
    return await websockets.connect(url)


async def _next(ws: Any, *types: str) -> dict[str, Any]:
    while True:
        event = json.loads(await ws.recv())
        if event["type"] in types:
            return dict(event)


async def _say(ws: Any, text: str, **start: Any) -> dict[str, Any]:
    await ws.send(json.dumps({"type": "start", "sample_rate": 16000, "encoding": "pcm_s16le", **start}))
    await ws.send(json.dumps({"type": "text", "text": text}))
    return await _next(ws, "logged", "clarify", "error")


async def test_a_resumed_session_keeps_its_unit(voice: LiveServer, voice_api: Api) -> None:  # noqa: F811
    workout = voice_api.workout()
    ws = await _connect(voice, voice_api.token, workout)
    ready = await _next(ws, "ready")
    logged = await _say(ws, "barbell squat 100 for 5", unit="kg")
    assert logged["type"] == "logged" and logged["parsed"]["unit"] == "kg"
    await ws.close()

    # same session: no unit in `start`, yet the session's kg holds (the user's default is lb)
    ws = await _connect(voice, voice_api.token, workout, ready["session_id"])
    again = await _next(ws, "ready")
    assert again["session_id"] == ready["session_id"]
    logged = await _say(ws, "bench press 80 for 8")
    assert logged["type"] == "logged" and logged["parsed"]["unit"] == "kg"
    await ws.close()

    # a fresh session starts from the user's default
    ws = await _connect(voice, voice_api.token, workout)
    fresh = await _next(ws, "ready")
    assert fresh["session_id"] != ready["session_id"]
    logged = await _say(ws, "bench press 135 for 8")
    assert logged["type"] == "logged" and logged["parsed"]["unit"] == "lb"
    await ws.close()


async def test_another_users_session_is_not_resumed(
    voice: LiveServer,  # noqa: F811
    voice_api: Api,  # noqa: F811
    other_api: Api,  # noqa: F811
) -> None:
    mine = voice_api.workout()
    ws = await _connect(voice, voice_api.token, mine)
    ready = await _next(ws, "ready")
    await _say(ws, "barbell squat 100 for 5", unit="kg")
    await ws.close()

    theirs = other_api.workout()
    ws = await _connect(voice, other_api.token, theirs, ready["session_id"])
    event = await _next(ws, "ready")
    assert event["session_id"] != ready["session_id"]
    logged = await _say(ws, "bench press 135 for 8")
    assert logged["parsed"]["unit"] == "lb"
    await ws.close()
