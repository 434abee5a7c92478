"""The API instance's Transcriber when VOICELOG_STT_MODE=workers: a job in, BLPOP for its transcript.

Finals wait up to `timeout_s` and answer `SttBusy` after (the lifter hears `busy`, the client may retry);
partials wait briefly and are skipped when no worker has time (they are optional). Readiness for /health:
at least one worker's heartbeat is fresh.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import numpy as np

from server.backends.errors import import_or_explain
from server.stt.base import SttBusy, SttSkipped, Transcription
from server.stt.workers.jobs import (
    STREAM,
    STREAM_MAXLEN,
    WORKERS,
    Job,
    decode_result,
    decode_scores,
    encode_job,
    pcm_of,
    result_key,
)

__all__ = ["HEARTBEAT_FRESH_S", "WorkerTranscriber"]

HEARTBEAT_FRESH_S = 10.0


class WorkerTranscriber:
    name = "workers"

    def __init__(self, redis_url: str, *, timeout_s: float = 20.0, partial_timeout_s: float = 1.5) -> None:
        redis_asyncio = import_or_explain("redis.asyncio", package="redis", setting="VOICELOG_STT_MODE")
        # no socket timeout: BLPOP blocks on purpose; every wait is bounded by asyncio instead
        self._redis: Any = redis_asyncio.Redis.from_url(redis_url, socket_connect_timeout=2)
        self._timeout_s = timeout_s
        self._partial_timeout_s = partial_timeout_s

    async def transcribe(
        self, audio: np.ndarray, *, prompt: str | None = None, final: bool = True
    ) -> Transcription:
        wait_s = self._timeout_s if final else self._partial_timeout_s
        started = time.perf_counter()
        raw = await self._ask(Job(id="", pcm=pcm_of(audio), prompt=prompt, final=final), wait_s, final)
        result = decode_result(raw)
        waited_ms = (time.perf_counter() - started) * 1000
        result.queued_ms = max(0.0, waited_ms - result.stt_ms)  # the hop and the queue, beside the decode
        return result

    async def score(self, audio: np.ndarray, texts: list[str]) -> list[float]:
        """The worker engine's log-probability of each reading (number repair); optional: `SttSkipped`
        when no worker has time within the partials' budget."""
        raw = await self._ask(
            Job(id="", pcm=pcm_of(audio), texts=list(texts)), self._partial_timeout_s, False
        )
        answer = decode_scores(raw)
        if answer.skipped or len(answer.scores) != len(texts):
            raise SttSkipped("the speech worker skipped scoring")
        return answer.scores

    async def _ask(self, job: Job, wait_s: float, final: bool) -> bytes:
        """Queue `job` and wait for its answer's bytes; a final's failure is `SttBusy`, else `SttSkipped`."""
        now = time.time()
        job.id, job.queued_at, job.deadline = uuid.uuid4().hex, now, now + wait_s
        try:
            await self._redis.xadd(STREAM, {"job": encode_job(job)}, maxlen=STREAM_MAXLEN, approximate=True)
            # BLPOP's timeout is whole seconds on old servers: round up, and let asyncio hold the line
            got = await asyncio.wait_for(
                self._redis.blpop([result_key(job.id)], timeout=max(1, int(wait_s + 0.999))), wait_s + 1.0
            )
        except (TimeoutError, OSError) as exc:
            got = None
            if final and not isinstance(exc, TimeoutError):
                raise SttBusy(f"speech workers unreachable: {exc}") from exc
        except Exception as exc:  # redis errors: the workers' bus is down
            if not final:
                raise SttSkipped(str(exc)) from exc
            raise SttBusy(f"speech workers unreachable: {exc}") from exc
        if got is None:
            if not final:
                raise SttSkipped("no speech worker had time for optional work")
            raise SttBusy(f"no speech worker answered within {wait_s:.0f} s")
        return bytes(got[1])

    async def ready(self) -> bool:
        """A worker's heartbeat is fresh (raises when Redis itself is down)."""
        fresh = await self._redis.zcount(WORKERS, time.time() - HEARTBEAT_FRESH_S, "+inf")
        return int(fresh) > 0

    async def aclose(self) -> None:
        await self._redis.aclose()
