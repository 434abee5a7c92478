"""What API instances and speech workers say to each other survives the trip exactly."""

from __future__ import annotations

import numpy as np

from server.stt.base import Hypothesis, Transcription
from server.stt.workers.jobs import (
    Job,
    decode_job,
    decode_result,
    encode_job,
    encode_result,
    pcm_of,
    samples_of,
)

__all__: list[str] = []


def test_websocket_audio_crosses_unchanged() -> None:
    # what the socket receives is 16-bit PCM, decoded as s / 32768: the hop loses nothing of it
    pcm = np.array([-32768, -1, 0, 1, 12345, 32767], dtype="<i2").tobytes()
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    assert pcm_of(audio) == pcm
    assert np.array_equal(samples_of(pcm_of(audio)), audio)


def test_job_and_result_round_trip() -> None:
    job = Job(id="j1", pcm=b"\x01\x02", prompt="Bench Press.", final=False, deadline=12.5)
    assert decode_job(encode_job(job)) == job
    result = Transcription(
        text="bench press 225 for 5",
        audio_s=2.5,
        stt_ms=310.0,
        hypotheses=[Hypothesis(text="bench press 225 for 5", score=-0.2)],
    )
    assert decode_result(encode_result(result)) == result
