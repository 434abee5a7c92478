"""The wire between API instances and speech workers: one Redis stream of jobs, one list per result.

A job is XADDed to `STREAM`; workers read it through the consumer group `GROUP` and LPUSH the
transcription onto `result_key(job.id)`, where the instance that asked waits with BLPOP. Audio travels as
16-bit PCM at 16 kHz: what the websocket receives, so nothing is lost on the way.
"""

from __future__ import annotations

import msgspec
import numpy as np

from server.stt.base import Transcription

__all__ = [
    "GROUP",
    "RESULT_TTL_S",
    "STREAM",
    "WORKERS",
    "Job",
    "Scores",
    "decode_job",
    "decode_result",
    "decode_scores",
    "encode_job",
    "encode_result",
    "pcm_of",
    "result_key",
    "samples_of",
]

STREAM = "voicelog:stt:jobs"
GROUP = "voicelog-stt"
WORKERS = "voicelog:stt:workers"
"""a sorted set: worker name -> the time of its last heartbeat"""
RESULT_TTL_S = 60
# a stream this long means the workers are far behind; older jobs' askers have given up anyway
STREAM_MAXLEN = 10_000


class Job(msgspec.Struct, kw_only=True):
    id: str
    pcm: bytes
    prompt: str | None = None
    final: bool = True
    deadline: float = 0.0
    """epoch seconds after which nobody waits for the answer: a worker drops the job unheard"""
    queued_at: float = 0.0
    texts: list[str] | None = None
    """set: not a transcription but the engine's log-probability of each of these readings (repair)"""


class Scores(msgspec.Struct, kw_only=True):
    """The answer to a scoring job; `skipped` when the worker had no time (scoring is optional)."""

    scores: list[float] = msgspec.field(default_factory=list)
    skipped: bool = False


_JOB = msgspec.msgpack.Decoder(Job)
_RESULT = msgspec.msgpack.Decoder(Transcription)
_SCORES = msgspec.msgpack.Decoder(Scores)
_ENC = msgspec.msgpack.Encoder()


def result_key(job_id: str) -> str:
    return f"voicelog:stt:result:{job_id}"


def pcm_of(audio: np.ndarray) -> bytes:
    return np.clip(np.round(audio * 32768.0), -32768, 32767).astype("<i2").tobytes()


def samples_of(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def encode_job(job: Job) -> bytes:
    return _ENC.encode(job)


def decode_job(data: bytes) -> Job:
    return _JOB.decode(data)


def encode_result(result: Transcription | Scores) -> bytes:
    return _ENC.encode(result)


def decode_scores(data: bytes) -> Scores:
    return _SCORES.decode(data)


def decode_result(data: bytes) -> Transcription:
    return _RESULT.decode(data)
