"""Real speech over a real websocket: espeak-ng clips at every sample rate, push-to-talk and VAD
endpointing (silence and semantic), noise that must log nothing. Runs the whisper model."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
import wave
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from websockets.exceptions import ConnectionClosed

from tests.audio_gen import ClipMaker, noise_wav, pcm_of, shared_clips, shared_voice_server
from tests.integration.conftest import Api, LiveServer
from tests.integration.test_stream import Stream

pytestmark = pytest.mark.slow

SQUAT = ("barbell squat two twenty five for five reps", ("Barbell_Squat", "Barbell_Full_Squat"), 5, 225)
PRESS = ("overhead press ninety five for six at RPE eight", None, 6, 95)


@pytest.fixture(scope="module")
def clips() -> ClipMaker:
    return shared_clips()


@pytest.fixture(scope="module")
def voice() -> LiveServer:
    return shared_voice_server()  # type: ignore[no-any-return]  # the same server as test_stream.py's


@pytest.fixture
def voice_api(voice: LiveServer) -> Iterator[Api]:
    client = Api(voice, *voice.create_user())
    yield client
    client.close()


async def _stream_pcm(s: Stream, pcm: bytes, rate: int, *, frame_s: float = 0.02, speed: float = 4.0) -> None:
    """Frames of `frame_s`, paced at `speed` × real time (the VAD works on audio, not on the clock)."""
    step = int(rate * frame_s) * 2
    for i in range(0, len(pcm), step):
        await s.send(pcm[i : i + step])
        await asyncio.sleep(frame_s / speed)


def _check_set(event: dict[str, Any], ids: tuple[str, ...] | None, reps: int, weight: float) -> None:
    assert event["type"] == "logged", event
    parsed = event["parsed"]
    if ids is not None:
        assert parsed["exercise"]["id"] in ids
    assert (parsed["reps"], parsed["weight"]) == (reps, weight)
    timing = event["timing_ms"]
    assert set(timing) >= {"stt", "parse", "match", "persist", "total"}
    assert timing["stt"] > 0
    assert timing["total"] >= timing["persist"]


@pytest.mark.parametrize("rate", [16000, 44100, 48000])
async def test_vad_endpointing_logs_the_spoken_set_at_each_rate(
    voice: LiveServer, voice_api: Api, clips: ClipMaker, rate: int
) -> None:
    text, ids, reps, weight = SQUAT
    pcm, got_rate = pcm_of(clips.clip(text, rate=rate, trail_s=1.2))
    assert got_rate == rate
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout)
    await s.start(rate)
    await _stream_pcm(s, pcm, rate)
    transcript = await s.until("transcript")
    assert "squat" in transcript["text"].lower()
    assert transcript["ended_by"] in ("meaning", "silence")  # the voice detector ended it, not the client
    logged = await s.until("logged", "clarify", "error")
    _check_set(logged, ids, reps, weight)
    assert logged["utterance_id"] == transcript["utterance_id"]
    # persisted, and the voice command kept the transcript and the audio duration
    assert [x["id"] for x in await asyncio.to_thread(voice_api.sets, workout)] == [logged["sets"][0]["id"]]
    (row,) = await asyncio.to_thread(
        voice.query,
        "SELECT raw_transcript, audio_duration_s, source FROM voice_commands WHERE id = :i",
        i=logged["voice_command_id"],
    )
    assert row[0] == transcript["text"]
    assert 1.0 < row[1] < 6.0
    await s.close()


@pytest.mark.parametrize("frame_s", [0.01, 0.25, 1.0])
async def test_push_to_talk_ends_at_once_with_any_frame_size(
    voice: LiveServer, voice_api: Api, clips: ClipMaker, frame_s: float
) -> None:
    text, _ids, reps, weight = PRESS
    # no trailing silence: only end_utterance can end this one promptly
    pcm, rate = pcm_of(clips.clip(text, rate=48000, trail_s=0.05))
    s = await Stream.open(voice, voice_api.token, voice_api.workout())
    await s.start(rate, endpointing="silence")
    await _stream_pcm(s, pcm, rate, frame_s=frame_s, speed=8.0)
    released = time.perf_counter()
    await s.send({"type": "end_utterance"})
    logged = await s.until("logged", "clarify", "error", wait_s=30)
    _check_set(logged, None, reps, weight)
    assert logged["parsed"]["rpe"] == 8
    # without the release the silence timeout (0.7 s of silence that never comes) would never end it
    assert time.perf_counter() - released < 20
    await s.close()


@pytest.mark.parametrize("mode", ["silence", "semantic"])
async def test_two_utterances_in_a_row_both_modes(
    voice: LiveServer, voice_api: Api, clips: ClipMaker, mode: str
) -> None:
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout)
    await s.start(16000, endpointing=mode)
    logged = 0
    for text, ids, reps, weight in (SQUAT, PRESS):
        pcm, rate = pcm_of(clips.clip(text, rate=16000, trail_s=1.2))
        await _stream_pcm(s, pcm, rate, speed=2.0)
        answer = await s.until("logged", "clarify", "error")
        if answer["type"] == "clarify" and text == PRESS[0]:
            # the two ears may hear this espeak "overhead" differently ("over and press"): then the set
            # is asked about, quoting the numbers both heard, and nothing is logged for it
            assert answer["question"].startswith("I heard "), answer
            assert (answer["parsed"]["reps"], answer["parsed"]["weight"]) == (reps, weight)
            continue
        _check_set(answer, ids, reps, weight)
        logged += 1
    assert logged >= 1
    assert len(await asyncio.to_thread(voice_api.sets, workout)) == logged
    await s.close()


async def test_partials_arrive_while_speaking_in_real_time(
    voice: LiveServer, voice_api: Api, clips: ClipMaker
) -> None:
    pcm, rate = pcm_of(clips.clip(PRESS[0] + " that felt really heavy today", rate=16000, trail_s=1.2))
    s = await Stream.open(voice, voice_api.token, voice_api.workout())
    await s.start(rate)
    await _stream_pcm(s, pcm, rate, speed=1.0)
    final = await s.until("transcript")
    partials = [e for e in s.events if e["type"] == "partial"]
    assert partials, "no partial while a 4 s utterance was spoken"
    assert all(p["utterance_id"] == final["utterance_id"] and p["text"] for p in partials)
    await s.until("logged", "clarify")
    await s.close()


async def test_thirty_seconds_of_noise_logs_nothing(
    voice: LiveServer, voice_api: Api, tmp_path: Path
) -> None:
    path = noise_wav(tmp_path / "gym.wav", seconds=30, rate=44100)
    pcm, rate = pcm_of(path)
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout)
    await s.start(rate)
    await _stream_pcm(s, pcm, rate, frame_s=0.1, speed=10.0)
    await s.send({"type": "stop"})
    with pytest.raises(ConnectionClosed):  # stop: pending work answered, then the server closes
        while True:
            await s.next(wait_s=30)
    said = {e["type"] for e in s.events}
    assert not said & {"partial", "transcript", "logged", "clarify"}, s.events
    assert await asyncio.to_thread(voice_api.sets, workout) == []


async def test_stop_finishes_the_utterance_in_progress(
    voice: LiveServer, voice_api: Api, clips: ClipMaker
) -> None:
    text, ids, reps, weight = SQUAT
    pcm, rate = pcm_of(clips.clip(text, rate=16000, trail_s=0.05))
    s = await Stream.open(voice, voice_api.token, voice_api.workout())
    await s.start(rate)
    await _stream_pcm(s, pcm, rate, speed=8.0)
    await s.send({"type": "stop"})
    _check_set(await s.until("logged", "clarify", "error"), ids, reps, weight)
    await s.close()


def test_clip_fixture_is_really_at_the_rate(clips: ClipMaker) -> None:
    with wave.open(str(clips.clip(SQUAT[0], rate=44100)), "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (44100, 1, 2)


@asynccontextmanager
async def _own_server(
    tmp_path: Path, name: str, env: dict[str, str]
) -> AsyncIterator[tuple[LiveServer, Api]]:
    """A `voicelog serve` of this test's own (with `env` added), a lifter on it; both closed on exit."""
    server = LiveServer("sqlite", f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}", tmp_path)
    server.env |= env
    await asyncio.to_thread(server.start)
    try:
        api = Api(server, *await asyncio.to_thread(server.create_user))
        try:
            yield server, api
        finally:
            api.close()
    finally:
        await asyncio.to_thread(server.stop)


async def _speak(
    server: LiveServer, api: Api, workout: str, pcm: bytes, rate: int
) -> tuple[Stream, dict[str, Any]]:
    """`pcm` streamed on a new socket; the socket and its first answer."""
    s = await Stream.open(server, api.token, workout)
    await s.start(rate)
    await _stream_pcm(s, pcm, rate)
    return s, await s.until("logged", "clarify", "error")


async def test_a_doubted_spoken_set_is_asked_about_and_a_yes_logs_it(
    tmp_path: Path, clips: ClipMaker
) -> None:
    """Over the websocket, with every reading doubted: the set is asked about with what was heard, nothing
    is logged; a typed "yes" on the same socket logs that reading."""
    async with _own_server(tmp_path, "voicelog", {"VOICELOG_STT_UNSURE_BELOW": "0"}) as (server, api):
        workout = await asyncio.to_thread(api.workout)
        text, ids, reps, weight = SQUAT
        pcm, rate = pcm_of(clips.clip(text, rate=16000, trail_s=1.2))
        s, asked = await _speak(server, api, workout, pcm, rate)
        assert asked["type"] == "clarify", asked
        assert asked["question"].startswith("I heard ")
        assert (asked["parsed"]["reps"], asked["parsed"]["weight"]) == (reps, weight)
        assert await asyncio.to_thread(api.sets, workout) == []
        await s.send({"type": "text", "text": "yes"})
        logged = await s.until("logged", "clarify", "error")
        assert logged["type"] == "logged", logged
        assert logged["parsed"]["exercise"]["id"] in ids
        assert [x["id"] for x in await asyncio.to_thread(api.sets, workout)] == [logged["sets"][0]["id"]]
        await s.close()


@pytest.mark.slow
async def test_with_two_ears_a_set_both_hear_alike_is_logged_and_the_second_reading_kept(
    tmp_path: Path, clips: ClipMaker
) -> None:
    """VOICELOG_STT_SECOND_MODEL=base (from its PyPI packages), both ears on every utterance: a clearly
    spoken set that tiny.en and base read alike is logged, and the voice command keeps what base heard;
    with neither ear allowed to be sure, the same clip is asked about, nothing logged."""
    text, ids, reps, weight = SQUAT
    pcm, rate = pcm_of(clips.clip(text, rate=16000, trail_s=1.2))
    both = {"VOICELOG_STT_SECOND_MODEL": "base", "VOICELOG_STT_SECOND_EAR": "always"}
    async with _own_server(tmp_path, "voicelog", both) as (server, api):
        workout = await asyncio.to_thread(api.workout)
        s, logged = await _speak(server, api, workout, pcm, rate)
        assert logged["type"] == "logged", logged
        assert logged["parsed"]["exercise"]["id"] in ids
        assert (logged["parsed"]["reps"], logged["parsed"]["weight"]) == (reps, weight)
        (row,) = await asyncio.to_thread(
            server.query, "SELECT trace FROM voice_commands WHERE id = :i", i=logged["voice_command_id"]
        )
        trace = row[0] if isinstance(row[0], dict) else json.loads(row[0])
        assert "squat" in trace["stt_second_text"].lower()
        await s.close()
    async with _own_server(tmp_path, "strict", {**both, "VOICELOG_STT_UNSURE_BELOW": "0"}) as (server, api):
        workout = await asyncio.to_thread(api.workout)
        s, asked = await _speak(server, api, workout, pcm, rate)
        assert asked["type"] == "clarify", asked
        assert await asyncio.to_thread(api.sets, workout) == []
        await s.close()


async def test_the_rest_of_a_sentence_after_a_short_pause_never_logs_a_second_set(
    voice: LiveServer, voice_api: Api, clips: ClipMaker
) -> None:
    """ "front squat two twenty five for five ... felt like an eight", with a 450 ms pause at the comma,
    streamed in real time with semantic endpointing. Whether the meaning ended the turn at the pause or
    the silence did after the whole sentence, the workout holds one set; when it was cut, the second
    answer is that set corrected (same breath), never a second set."""
    first = np.frombuffer(pcm_of(clips.clip("front squat two twenty five for five"))[0], dtype="<i2")
    rest = np.frombuffer(pcm_of(clips.clip("felt like an eight", lead_s=0.0, trail_s=1.5))[0], dtype="<i2")
    spoken = np.nonzero(np.abs(first) > 300)[0]
    first = first[: spoken[-1] + int(0.45 * 16000)]  # 450 ms from its last sound to the rest's first
    rest = rest[np.nonzero(np.abs(rest) > 300)[0][0] :]
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout)
    await s.start(16000, endpointing="semantic")
    await _stream_pcm(s, np.concatenate([first, rest]).tobytes(), 16000, speed=1.0)
    answers = [await s.until("logged", "clarify", "error")]
    cut = answers[0]["type"] == "logged" and answers[0]["parsed"]["rpe"] is None
    if cut:  # the meaning ended the turn at the pause: the rest follows as its own answer
        answers.append(await s.until("logged", "clarify", "error"))
    sets = await asyncio.to_thread(voice_api.sets, workout)
    heard = [(e.get("text"), e.get("ended_by")) for e in s.events if e["type"] == "transcript"]
    shown = [(a["type"], a.get("action"), (a.get("parsed") or {}).get("rpe")) for a in answers]
    assert len(sets) <= 1, (heard, shown, [(x["reps"], x["rpe"]) for x in sets])
    if cut and answers[1]["type"] == "logged":
        assert answers[1]["action"] == "corrected", answers[1]
        assert answers[1]["sets"][0]["id"] == answers[0]["sets"][0]["id"]
        assert sets[0]["rpe"] == 8
    await s.close()


async def test_a_client_id_sent_after_the_voice_detector_answered_still_names_the_utterance(
    voice: LiveServer, voice_api: Api, clips: ClipMaker
) -> None:
    """Push-to-talk released late: the voice detector had already ended the utterance and logged it. The
    release's client_id names that voice command from then on, so a retry of it (say, on another instance
    after this one died) replays the first result instead of logging the set again."""
    text, ids, reps, weight = SQUAT
    pcm, rate = pcm_of(clips.clip(text, rate=16000, trail_s=1.2))
    workout = voice_api.workout()
    s = await Stream.open(voice, voice_api.token, workout)
    await s.start(16000)
    await _stream_pcm(s, pcm, rate)
    first = await s.until("logged", "clarify", "error")
    _check_set(first, ids, reps, weight)
    client_id = str(uuid.uuid4())
    await s.send({"type": "end_utterance", "client_id": client_id})  # the release, after the answer
    await asyncio.sleep(0.5)
    await s.close()
    retry = await Stream.open(voice, voice_api.token, workout)
    await retry.start(16000)
    await _stream_pcm(retry, pcm[: len(pcm) - int(1.2 * rate) * 2], rate)  # released as the words end
    await retry.send({"type": "end_utterance", "client_id": client_id})
    again = await retry.until("logged", "clarify", "error")
    assert again["type"] == "logged", again
    assert again["voice_command_id"] == first["voice_command_id"]
    assert len(await asyncio.to_thread(voice_api.sets, workout)) == 1
    await retry.close()
