"""`POST /v1/workouts/{id}/audio` on the running server: WAV in (raw body or multipart), the set out."""

from __future__ import annotations

import io
import json
import wave
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from tests.audio_gen import ClipMaker, noise_wav, shared_clips, shared_voice_server
from tests.integration.conftest import Api, LiveServer, sqlite_server

SPOKEN = "leg press four hundred for ten reps"


@pytest.fixture(scope="module")
def voice() -> LiveServer:
    return shared_voice_server()  # type: ignore[no-any-return]


@pytest.fixture
def voice_api(voice: LiveServer) -> Iterator[Api]:
    client = Api(voice, *voice.create_user())
    yield client
    client.close()


@pytest.fixture(scope="module")
def clips() -> ClipMaker:
    return shared_clips()


def _upload(api: Api, workout: str, data: bytes, *, multipart: bool) -> httpx.Response:
    url = f"/v1/workouts/{workout}/audio"
    if multipart:
        return api.http.post(url, files={"file": ("set.wav", data, "audio/wav")}, timeout=120)
    return api.http.post(url, content=data, headers={"Content-Type": "audio/wav"}, timeout=120)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("rate", "channels", "multipart"), [(16000, 1, False), (44100, 2, True), (48000, 1, True)]
)
def test_wav_upload_logs_the_set_with_its_transcript(
    voice_api: Api, clips: ClipMaker, rate: int, channels: int, multipart: bool
) -> None:
    data = clips.clip(SPOKEN, rate=rate, channels=channels).read_bytes()
    workout = voice_api.workout()
    r = _upload(voice_api, workout, data, multipart=multipart)
    assert r.status_code == 201, r.text
    body = r.json()
    assert "press" in body["transcript"].lower()
    assert body["parsed"]["exercise"]["id"] == "Leg_Press"
    assert (body["parsed"]["reps"], body["parsed"]["weight"]) == (10, 400)
    assert [s["id"] for s in voice_api.sets(workout)] == [s["id"] for s in body["sets"]]
    (row,) = voice_api.server.query(
        "SELECT raw_transcript, audio_duration_s, source FROM voice_commands WHERE id = :i",
        i=body["voice_command_id"],
    )
    assert row[0] == body["transcript"]
    assert row[1] == pytest.approx(len(data) / (2 * channels * rate), abs=0.2)
    assert row[2] == "audio"
    # the n-best readings the grammar chose among are kept for the record, the chosen one among them
    record = voice_api.http.get(f"/v1/voice-commands/{body['voice_command_id']}").json()
    hypotheses = record["trace"]["stt_hypotheses"]
    assert hypotheses and all({"text", "score", "reading", "total"} <= set(h) for h in hypotheses)


@pytest.mark.slow
def test_a_spoken_set_missing_its_load_is_asked_about_after_a_second_listen(
    voice_api: Api, clips: ClipMaker
) -> None:
    data = clips.clip("lying leg curl, pounds, eleven reps", rate=16000).read_bytes()
    workout = voice_api.workout()
    r = _upload(voice_api, workout, data, multipart=False)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["action"] == "clarify", body["transcript"]
    assert "weight" in body["question"]
    assert voice_api.sets(workout) == []
    # the unsure first reading was decoded again with the focused prompt, and the record says so
    record = voice_api.http.get(f"/v1/voice-commands/{body['voice_command_id']}").json()
    assert "leg curl" in record["trace"]["stt_focused_prompt"].lower()
    assert any(not h["focused"] for h in record["trace"]["stt_hypotheses"])


@pytest.mark.slow
def test_a_misheard_rep_count_is_repaired_on_the_audio_and_explained(
    voice_api: Api, clips: ClipMaker
) -> None:
    # tiny.en writes this voice's "nineteen on" as "ninety-one": 91 reps with a load
    data = clips.clip("twenty kilos for nineteen on step ups", voice="en-us+f3").read_bytes()
    workout = voice_api.workout()
    r = _upload(voice_api, workout, data, multipart=False)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["parsed"]["reps"], body["parsed"]["weight"]) == (19, 20), body["transcript"]
    record = voice_api.http.get(f"/v1/voice-commands/{body['voice_command_id']}").json()
    hypotheses = record["trace"]["stt_hypotheses"]
    chosen = next(h for h in hypotheses if h["text"] == body["transcript"])
    assert chosen["repair"] == "reps" and chosen["acoustic"] is not None
    assert any("ninety" in h["text"].lower() and h["repair"] is None for h in hypotheses)


def _wav(samples: np.ndarray, rate: int = 16000, width: int = 2) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(
            (samples * (32767 if width == 2 else 127)).astype("<i2" if width == 2 else "<i1").tobytes()
        )
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "bad_audio"),
        (b"definitely not a wav file" * 40, "unreadable_audio"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "unreadable_audio"),
        (_wav(np.zeros(8000, dtype=np.float32), width=1), "bad_audio"),
        (_wav(np.zeros(16000 * 31, dtype=np.float32)), "audio_too_long"),
        (_wav(np.zeros(16000 * 2, dtype=np.float32)), "no_speech"),
    ],
    ids=["empty", "text", "truncated-header", "8-bit", "too-long", "silence"],
)
@pytest.mark.parametrize("multipart", [False, True])
def test_unreadable_or_empty_audio_is_4xx_and_changes_nothing(
    voice_api: Api, data: bytes, code: str, multipart: bool
) -> None:
    workout = voice_api.workout()
    before = voice_api.snapshot()
    r = _upload(voice_api, workout, data, multipart=multipart)
    assert 400 <= r.status_code < 500, r.text
    assert r.json()["error"]["code"] == code
    assert r.json()["error"]["message"]
    assert voice_api.snapshot() == before


@pytest.mark.slow
def test_gym_noise_upload_logs_nothing(voice_api: Api, tmp_path: Path) -> None:
    workout = voice_api.workout()
    before = voice_api.snapshot()
    r = _upload(voice_api, workout, noise_wav(tmp_path / "n.wav", seconds=10).read_bytes(), multipart=False)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "no_speech"
    assert voice_api.snapshot() == before


def test_multipart_without_file_field(voice_api: Api) -> None:
    workout = voice_api.workout()
    r = voice_api.http.post(f"/v1/workouts/{workout}/audio", files={"other": ("x.wav", b"RIFF", "audio/wav")})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "missing_file"


def test_upload_needs_auth_and_own_workout(voice: LiveServer, voice_api: Api, clips: ClipMaker) -> None:
    workout = voice_api.workout()
    data = _wav(np.zeros(1600, dtype=np.float32))
    r = httpx.post(
        f"{voice.url}/v1/workouts/{workout}/audio", content=data, headers={"Content-Type": "audio/wav"}
    )
    assert r.status_code == 401
    other = Api(voice, *voice.create_user())
    try:
        r = _upload(other, workout, data, multipart=False)
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "not_found"
    finally:
        other.close()


def test_oversized_upload_is_413(voice_api: Api) -> None:
    workout = voice_api.workout()
    before = voice_api.snapshot()
    r = _upload(voice_api, workout, b"\x00" * 10_500_000, multipart=False)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "body_too_large"
    assert voice_api.snapshot() == before


@pytest.mark.slow
def test_a_reading_the_ear_doubts_is_asked_about_not_logged(clips: ClipMaker) -> None:
    """With the doubt threshold above any log-probability, every spoken set is asked about: the reading
    comes back with the question, nothing is logged, and the voice command keeps why. The same set said
    again right after is logged: two hearings that agree settle the doubt; so does a "yes"."""
    with sqlite_server("doubt", {"VOICELOG_STT_UNSURE_BELOW": "0"}) as server:
        api = Api(server, *server.create_user())
        workout = api.workout()
        r = _upload(api, workout, clips.clip(SPOKEN).read_bytes(), multipart=False)
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["action"] == "clarify"
        assert "not clearly" in body["question"]
        assert body["parsed"]["exercise"]["id"] == "Leg_Press"  # the best reading, to confirm
        assert api.sets(workout) == []
        (row,) = server.query("SELECT trace FROM voice_commands WHERE id = :i", i=body["voice_command_id"])
        trace = row[0] if isinstance(row[0], dict) else json.loads(row[0])
        # both ears (the default) read it alike, and neither may be sure under this threshold
        assert trace["stt_doubt"].startswith("both ears read this set, neither is sure")
        # said again, read as the same set: heard twice alike, it is logged
        again = _upload(api, workout, clips.clip(SPOKEN).read_bytes(), multipart=False).json()
        assert again["action"] == "logged", again
        assert [s["id"] for s in api.sets(workout)] == [s["id"] for s in again["sets"]]
        (row,) = server.query("SELECT trace FROM voice_commands WHERE id = :i", i=again["voice_command_id"])
        trace = row[0] if isinstance(row[0], dict) else json.loads(row[0])
        assert "settled" in trace["stt_doubt"]
        # a third time, after a logged set, is a new set the ear doubts: asked again
        third = _upload(api, workout, clips.clip(SPOKEN).read_bytes(), multipart=False).json()
        assert third["action"] == "clarify"
        assert len(api.sets(workout)) == 1
        # "yes" to the quoted reading logs it as heard
        yes = api.say(workout, "yes")
        assert yes["action"] == "logged", yes
        assert yes["parsed"]["exercise"]["id"] == "Leg_Press"
        assert (yes["parsed"]["reps"], yes["parsed"]["weight"]) == (10, 400)
        assert len(api.sets(workout)) == 2
        # with nothing asked, "yes" is no set
        assert api.say(workout, "yes")["action"] != "logged"
        assert len(api.sets(workout)) == 2
        api.close()
