"""Issue 19's table, websocket rows, on the shared voice server: deep JSON is an `error` event on a
socket that stays usable; `stop` saves what was said whatever the client does next; a push-to-talk
release after the server already endpointed is a no-op."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from tests.audio_gen import ClipMaker, pcm_of, shared_clips, shared_voice_server
from tests.integration.conftest import Api, LiveServer
from tests.integration.test_stream import Stream

SQUAT = "barbell squat two twenty five for five reps"
_DEEP = 1000


@pytest.fixture(scope="module")
def clips() -> ClipMaker:
    return shared_clips()


@pytest.fixture(scope="module")
def voice() -> LiveServer:
    return shared_voice_server()  # type: ignore[no-any-return]


@pytest.fixture
def voice_api(voice: LiveServer) -> Iterator[Api]:
    client = Api(voice, *voice.create_user())
    yield client
    client.close()


async def _stream_pcm(s: Stream, pcm: bytes, rate: int, *, frame_s: float = 0.02, speed: float = 8.0) -> None:
    step = int(rate * frame_s) * 2
    for i in range(0, len(pcm), step):
        await s.send(pcm[i : i + step])
        await asyncio.sleep(frame_s / speed)


@pytest.mark.parametrize(
    "frame",
    [
        '{"type": "text", "text": "x", "extra": ' + "[" * _DEEP + "]" * _DEEP + "}",
        '{"type": "correct", "set_id": "x", "fields": {"reps": ' + "[" * _DEEP + "]" * _DEEP + "}}",
        "[" * _DEEP + "]" * _DEEP,
        '{"a":' * _DEEP + "1" + "}" * _DEEP,
    ],
    ids=["unknown-field", "correct-fields", "array", "object"],
)
async def test_deep_json_is_an_error_event_and_the_socket_stays_usable(
    voice: LiveServer, voice_api: Api, frame: str
) -> None:
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout)
    await s.until("ready")
    await s.ws.send(frame)  # a text frame
    error = await s.next()
    assert error["type"] == "error" and error["code"] == "too_deep", error
    await s.send({"type": "text", "text": "barbell squat 225 for 5"})
    logged = await s.until("logged", "clarify", "error")
    assert logged["type"] == "logged", logged
    await s.close()


@pytest.mark.parametrize("ending", ["close", "drop"])
async def test_stop_saves_the_spoken_set_whatever_the_client_does_next(
    voice: LiveServer, voice_api: Api, clips: ClipMaker, ending: str
) -> None:
    pcm, rate = pcm_of(clips.clip(SQUAT, rate=16000, trail_s=0.05))
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout)
    await s.start(rate, endpointing="silence")
    await _stream_pcm(s, pcm, rate)
    await s.send({"type": "stop"})
    if ending == "close":
        await s.ws.close()
    else:  # the phone leaves coverage: no close frame, the TCP connection just goes
        s.ws.transport.abort()
    for _ in range(120):  # the server finishes the utterance on its own
        sets = await asyncio.to_thread(voice_api.sets, workout)
        if sets:
            break
        await asyncio.sleep(0.25)
    assert [(x["reps"], x["weight"]) for x in sets] == [(5, 225.0)], sets


async def test_end_utterance_after_the_server_endpointed_is_a_no_op(
    voice: LiveServer, voice_api: Api, clips: ClipMaker
) -> None:
    pcm, rate = pcm_of(clips.clip(SQUAT, rate=16000, trail_s=1.5))
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout)
    await s.start(rate, endpointing="silence")
    await _stream_pcm(s, pcm, rate)
    logged = await s.until("logged", "clarify", "error")
    assert logged["type"] == "logged", logged
    await s.send({"type": "end_utterance"})  # the release arrives after the VAD already ended it
    await s.send({"type": "text", "text": "barbell squat 225 for 3"})
    after = await s.until("logged", "clarify", "error")
    assert after["type"] == "logged" and after["parsed"]["reps"] == 3, after
    assert not [e for e in s.events if e["type"] == "error"], s.events
    # a release with no speech at all is still a client error
    await s.send({"type": "end_utterance"})
    assert (await s.until("error"))["code"] == "no_speech"
    await s.close()


async def test_unknown_json_and_bad_frames_still_answer_errors(voice: LiveServer, voice_api: Api) -> None:
    s = await Stream.open(voice, voice_api.token, voice_api.workout())
    await s.until("ready")
    for frame, code in [
        ("   ", "malformed_json"),
        ("{", "malformed_json"),
        (json.dumps({"type": "x"}), "unknown_type"),
    ]:
        await s.ws.send(frame)
        assert (await s.next())["code"] == code
    await s.close()


@pytest.mark.parametrize("workout_id", ["x" * 300, "💪" * 100])
async def test_a_long_unknown_workout_id_closes_4404_not_4500(
    voice: LiveServer, voice_api: Api, workout_id: str
) -> None:
    url = f"ws://127.0.0.1:{voice.port}/v1/stream?workout_id={workout_id}&token={voice_api.token}"
    async with websockets.connect(url) as ws:
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 30)
        assert ws.close_code == 4404, (ws.close_code, ws.close_reason)
        assert len(ws.close_reason.encode()) <= 123


# -- client_id over the websocket: a phone retries over a reconnect (issue 19, "Parts") ----------------


async def test_a_typed_client_id_replays_across_a_reconnect_and_rest(
    voice: LiveServer, voice_api: Api
) -> None:
    workout = voice_api.workout()
    cid = str(uuid.uuid4())
    said = {"type": "text", "text": "barbell squat 225 for 5", "client_id": cid}
    first_socket = await Stream.open(voice, voice_api.token, workout)
    await first_socket.until("ready")
    await first_socket.send(said)
    first = await first_socket.until("logged", "clarify", "error")
    assert first["type"] == "logged", first
    first_socket.ws.transport.abort()  # the phone lost the connection before it saw anything
    again_socket = await Stream.open(voice, voice_api.token, workout)
    await again_socket.until("ready")
    await again_socket.send(said)
    again = await again_socket.until("logged", "clarify", "error")
    assert again["type"] == "logged" and again["voice_command_id"] == first["voice_command_id"], again
    assert [s["id"] for s in again["sets"]] == [s["id"] for s in first["sets"]]
    await again_socket.close()
    rest = await asyncio.to_thread(voice_api.say, workout, "barbell squat 225 for 5", client_id=cid)
    assert rest["voice_command_id"] == first["voice_command_id"]
    assert len(await asyncio.to_thread(voice_api.sets, workout)) == 1


async def test_a_websocket_client_id_from_another_workout_is_an_error(
    voice: LiveServer, voice_api: Api
) -> None:
    cid = str(uuid.uuid4())
    await asyncio.to_thread(voice_api.say, voice_api.workout(), "deadlift 315 for 3", client_id=cid)
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout)
    await s.until("ready")
    await s.send({"type": "text", "text": "deadlift 315 for 3", "client_id": cid})
    assert (await s.until("error", "logged"))["code"] == "client_id_conflict"
    await s.send({"type": "text", "text": "deadlift 315 for 3", "client_id": "not-a-uuid"})
    assert (await s.until("error", "logged"))["code"] == "invalid_message"
    await s.close()
    assert await asyncio.to_thread(voice_api.sets, workout) == []


async def test_a_spoken_client_id_on_end_utterance_replays(
    voice: LiveServer, voice_api: Api, clips: ClipMaker
) -> None:
    pcm, rate = pcm_of(clips.clip(SQUAT, rate=16000, trail_s=0.05))
    workout = voice_api.workout()
    cid = str(uuid.uuid4())
    answers = []
    for _ in range(2):
        s = await Stream.open(voice, voice_api.token, workout)
        await s.start(rate, endpointing="silence")
        await _stream_pcm(s, pcm, rate)
        await s.send({"type": "end_utterance", "client_id": cid})
        answers.append(await s.until("logged", "clarify", "error"))
        await s.close()
    assert [a["type"] for a in answers] == ["logged", "logged"], answers
    assert answers[0]["voice_command_id"] == answers[1]["voice_command_id"]
    assert len(await asyncio.to_thread(voice_api.sets, workout)) == 1


async def test_utterances_already_sent_are_saved_when_the_socket_drops_without_stop(
    voice: LiveServer, voice_api: Api
) -> None:
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout)
    await s.until("ready")
    for reps in (3, 4, 5, 6):
        await s.send({"type": "text", "text": f"barbell squat 225 for {reps}"})
    s.ws.transport.abort()  # gone before any answer: no stop, no close frame
    for _ in range(120):
        sets = await asyncio.to_thread(voice_api.sets, workout)
        if len(sets) >= 4:
            break
        await asyncio.sleep(0.25)
    assert sorted(x["reps"] for x in sets) == [3, 4, 5, 6], sets
