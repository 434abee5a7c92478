"""`voicelog stt-worker`: transcription jobs from the Redis stream's consumer group, on a local model.

Each round: claim jobs another worker took and never acked for `claim_after_s` (it died: XAUTOCLAIM), else
read new ones (XREADGROUP, blocking). Jobs read together go to the scheduler together, which decodes
queued finals as one batch when the engine can. A result is written (LPUSH + EXPIRE) before its job is
acked and deleted, in one MULTI: a worker killed in between leaves the job pending, and another worker
answers it again; the asker reads the first answer, the second expires.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from typing import Any

from server.stt.base import SttBusy, SttSkipped, Transcriber, Transcription
from server.stt.workers.jobs import (
    GROUP,
    RESULT_TTL_S,
    STREAM,
    WORKERS,
    Job,
    Scores,
    decode_job,
    encode_result,
    result_key,
    samples_of,
)

__all__ = ["SttWorker", "default_worker_name"]

log = logging.getLogger("voicelog.stt.worker")


def default_worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class SttWorker:
    def __init__(
        self,
        redis: Any,
        transcriber: Transcriber,
        *,
        name: str | None = None,
        claim_after_s: float = 5.0,
        batch: int = 4,
        block_ms: int = 1000,
    ) -> None:
        self._redis = redis
        self._transcriber = transcriber
        self.name = name or default_worker_name()
        self._claim_ms = max(1, int(claim_after_s * 1000))
        self._batch = batch
        self._block_ms = block_ms
        self.done = 0
        """jobs answered by this worker (claimed ones included)"""
        self.claimed = 0
        """jobs taken over from a worker that died"""

    async def ensure_group(self) -> None:
        try:
            await self._redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
        except Exception as exc:  # BUSYGROUP: another worker made it first
            if "BUSYGROUP" not in str(exc):
                raise

    async def heartbeat(self) -> None:
        await self._redis.zadd(WORKERS, {self.name: time.time()})

    async def run(self, stop: asyncio.Event) -> None:
        await self.ensure_group()
        log.info("stt worker %s reading %s as %s", self.name, STREAM, GROUP)
        while not stop.is_set():
            await self.heartbeat()
            messages = await self._claim()
            if not messages:
                messages = await self._read()
            if messages:
                await asyncio.gather(*(self._handle(msg_id, fields) for msg_id, fields in messages))
        await self._redis.zrem(WORKERS, self.name)

    async def _claim(self) -> list[tuple[bytes, dict[bytes, bytes]]]:
        reply = await self._redis.xautoclaim(
            STREAM, GROUP, self.name, min_idle_time=self._claim_ms, start_id="0-0", count=self._batch
        )
        messages = [(i, f) for i, f in reply[1] if f]  # entries trimmed from the stream come back empty
        if messages:
            self.claimed += len(messages)
            log.warning("claimed %d job(s) a dead worker left", len(messages))
        return messages

    async def _read(self) -> list[tuple[bytes, dict[bytes, bytes]]]:
        reply = await self._redis.xreadgroup(
            GROUP, self.name, {STREAM: ">"}, count=self._batch, block=self._block_ms
        )
        return [m for _stream, entries in reply or [] for m in entries]

    async def _handle(self, msg_id: bytes, fields: dict[bytes, bytes]) -> None:
        try:
            job = decode_job(fields[b"job"])
        except Exception:
            log.exception("unreadable job %s dropped", msg_id)
            await self._finish(msg_id)
            return
        if job.deadline and time.time() > job.deadline:
            await self._finish(msg_id)  # the asker gave up: spend nothing on it
            return
        result: Transcription | Scores
        try:
            if job.texts is not None:
                result = await self._score(job)
            else:
                result = await self._transcriber.transcribe(
                    samples_of(job.pcm), prompt=job.prompt, final=job.final
                )
        except (SttSkipped, SttBusy):
            await self._finish(msg_id)  # a partial the engine had no time for: optional, dropped
            return
        except Exception:
            log.exception("job %s failed; left pending for another worker", job.id)
            return
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lpush(result_key(job.id), encode_result(result))
            pipe.expire(result_key(job.id), RESULT_TTL_S)
            pipe.xack(STREAM, GROUP, msg_id)
            pipe.xdel(STREAM, msg_id)
            await pipe.execute()
        self.done += 1

    async def _score(self, job: Job) -> Scores:
        score = getattr(self._transcriber, "score", None)
        if not callable(score) or job.texts is None:
            return Scores(skipped=True)
        try:
            return Scores(scores=list(await score(samples_of(job.pcm), job.texts)))
        except SttSkipped:
            return Scores(skipped=True)  # answered at once: the asker need not wait out its budget

    async def _finish(self, msg_id: bytes) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xack(STREAM, GROUP, msg_id)
            pipe.xdel(STREAM, msg_id)
            await pipe.execute()
