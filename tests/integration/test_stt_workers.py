"""`voicelog stt-worker` processes serve transcription through a Redis Streams consumer group: a job is
answered once written, and a job a dead worker took is claimed by a live one (XAUTOCLAIM)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import redis.asyncio as redis_asyncio

from server.stt.workers.client import WorkerTranscriber
from server.stt.workers.jobs import GROUP, STREAM
from tests.audio_gen import pcm_of, shared_clips
from tests.integration.scale_cluster import SttWorkerProcess
from tests.services.redis import RedisServer

pytestmark = [pytest.mark.redis, pytest.mark.slow]

SAID = "barbell squat two twenty five for five reps"
PROMPT = "Barbell Squat, Bench Press, Deadlift."  # the catalog words an instance primes whisper with


@pytest.fixture
def redis_private() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.close()


def _audio() -> np.ndarray:
    pcm, rate = pcm_of(shared_clips().clip(SAID))
    assert rate == 16000
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def _worker(name: str, redis: RedisServer, root: Path) -> SttWorkerProcess:
    # the database is never opened by a worker; any URL does
    return SttWorkerProcess(
        name, "sqlite+aiosqlite:///unused.db", redis.url, root, {"VOICELOG_STT_CLAIM_AFTER_S": "1"}
    )


async def test_a_worker_transcribes_for_the_instance(redis_private: RedisServer, tmp_path: Path) -> None:
    worker = _worker("w1", redis_private, tmp_path)
    await asyncio.to_thread(worker.start)
    client = WorkerTranscriber(redis_private.url, timeout_s=30, partial_timeout_s=10)
    try:
        assert await client.ready()  # the worker's heartbeat is there
        result = await client.transcribe(_audio(), prompt=PROMPT, final=True)
        assert "squat" in result.text.lower() and result.audio_s > 2
        assert result.stt_ms > 0 and result.queued_ms >= 0
        assert result.hypotheses  # the worker decodes finals n-best, as a local model does
        # the number repair's scoring runs on the worker's model too: the words said score above others
        right, wrong = await client.score(_audio(), [SAID, "purple elephants dancing in the rain"])
        assert right > wrong
        r = redis_asyncio.Redis.from_url(redis_private.url)
        pending = await r.xpending(STREAM, GROUP)
        assert pending["pending"] == 0  # acked once the result was written
        await r.aclose()
    finally:
        await client.aclose()
        worker.stop()


async def test_a_job_a_dead_worker_took_is_claimed_by_another(
    redis_private: RedisServer, tmp_path: Path
) -> None:
    r = redis_asyncio.Redis.from_url(redis_private.url)
    await r.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    client = WorkerTranscriber(redis_private.url, timeout_s=60)
    asked = asyncio.create_task(client.transcribe(_audio(), prompt=PROMPT, final=True))
    try:
        # a worker reads the job and dies before answering: it stays pending under its name
        taken: list = []
        while not taken:
            taken = await r.xreadgroup(GROUP, "dead-worker", {STREAM: ">"}, count=1, block=200)
        assert (await r.xpending(STREAM, GROUP))["consumers"][0]["name"] == b"dead-worker"
        assert not asked.done()

        worker = _worker("alive", redis_private, tmp_path)
        await asyncio.to_thread(worker.start)
        try:
            result = await asyncio.wait_for(asked, 60)
            assert "squat" in result.text.lower()
            assert "claimed 1 job" in worker.log_tail()
            assert (await r.xpending(STREAM, GROUP))["pending"] == 0
        finally:
            worker.stop()
    finally:
        asked.cancel()
        await client.aclose()
        await r.aclose()


async def test_no_worker_means_busy_and_not_ready(redis_private: RedisServer) -> None:
    from server.stt.base import SttBusy, SttSkipped

    client = WorkerTranscriber(redis_private.url, timeout_s=1, partial_timeout_s=0.5)
    try:
        assert not await client.ready()
        with pytest.raises(SttBusy):
            await client.transcribe(np.zeros(16000, dtype=np.float32), final=True)
        with pytest.raises(SttSkipped):
            await client.transcribe(np.zeros(16000, dtype=np.float32), final=False)
    finally:
        await client.aclose()
