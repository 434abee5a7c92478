"""The scheduler under test runs a small blocking engine whose timing the test controls."""

from __future__ import annotations

import asyncio
import threading
import time

import numpy as np
import pytest

from server.stt.base import SttBusy, SttSkipped, Transcription
from server.stt.scheduler import SttScheduler


class GatedEngine:
    """Blocks each call until the test opens the gate; records the order calls ran in."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.order: list[str] = []

    def transcribe_sync(self, audio: np.ndarray, prompt: str | None, *, final: bool = True) -> Transcription:
        self.gate.wait(5)
        self.order.append(prompt or "")
        return Transcription(text=prompt or "", audio_s=len(audio) / 16000, stt_ms=1.0)


AUDIO = np.zeros(1600, dtype=np.float32)


async def _until(cond, limit_s: float = 2.0) -> None:
    for _ in range(int(limit_s / 0.005)):
        if cond():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition never held")


async def test_finals_run_before_partials_queued_earlier() -> None:
    engine = GatedEngine()
    sched = SttScheduler(engine, workers=1, max_pending=8)
    first = asyncio.create_task(sched.transcribe(AUDIO, prompt="running", final=True))
    await _until(lambda: sched._running == 1)
    finals = [asyncio.create_task(sched.transcribe(AUDIO, prompt=f"final{i}", final=True)) for i in range(2)]
    await _until(lambda: sched.pending_finals == 2)
    engine.gate.set()
    results = await asyncio.gather(first, *finals)
    assert [r.text for r in results] == ["running", "final0", "final1"]
    assert engine.order == ["running", "final0", "final1"]
    sched.close()


async def test_partial_is_skipped_while_the_model_is_busy() -> None:
    engine = GatedEngine()
    sched = SttScheduler(engine, workers=1)
    running = asyncio.create_task(sched.transcribe(AUDIO, prompt="final", final=True))
    await _until(lambda: sched._running == 1)
    with pytest.raises(SttSkipped):
        await sched.transcribe(AUDIO, prompt="partial", final=False)
    engine.gate.set()
    await running
    # idle again: a partial runs
    assert (await sched.transcribe(AUDIO, prompt="partial", final=False)).text == "partial"
    assert sched.stats["skipped"] == 1
    sched.close()


async def test_bounded_queue_answers_busy_and_recovers() -> None:
    engine = GatedEngine()
    sched = SttScheduler(engine, workers=1, max_pending=2)
    running = asyncio.create_task(sched.transcribe(AUDIO, prompt="a"))
    await _until(lambda: sched._running == 1)
    waiting = [asyncio.create_task(sched.transcribe(AUDIO, prompt=p)) for p in ("b", "c")]
    await _until(lambda: sched.pending_finals == 2)
    with pytest.raises(SttBusy):
        await sched.transcribe(AUDIO, prompt="d")
    engine.gate.set()
    assert [r.text for r in await asyncio.gather(running, *waiting)] == ["a", "b", "c"]
    assert (await sched.transcribe(AUDIO, prompt="e")).text == "e"
    sched.close()


async def test_cancelled_waiter_is_not_run() -> None:
    engine = GatedEngine()
    sched = SttScheduler(engine, workers=1)
    running = asyncio.create_task(sched.transcribe(AUDIO, prompt="a"))
    await _until(lambda: sched._running == 1)
    doomed = asyncio.create_task(sched.transcribe(AUDIO, prompt="doomed"))
    await _until(lambda: sched.pending_finals == 1)
    doomed.cancel()
    engine.gate.set()
    await running
    assert (await sched.transcribe(AUDIO, prompt="b")).text == "b"
    assert engine.order == ["a", "b"]
    sched.close()


async def test_engine_errors_reach_the_caller() -> None:
    class Broken:
        def transcribe_sync(
            self, audio: np.ndarray, prompt: str | None, *, final: bool = True
        ) -> Transcription:
            raise RuntimeError("model exploded")

    sched = SttScheduler(Broken())
    with pytest.raises(RuntimeError, match="exploded"):
        await sched.transcribe(AUDIO)
    assert sched._running == 0
    sched.close()


async def test_partials_stop_while_the_model_has_been_busy() -> None:
    engine = GatedEngine()
    engine.gate.set()
    sched = SttScheduler(engine, workers=1, partial_max_load=0.5, load_window_s=10.0)
    assert sched.load() == 0.0
    # as if finals had kept the model busy for 8.5 of the last 10 s
    now = time.perf_counter()
    sched._spans.append((now - 9.0, now - 0.5, True))
    assert sched.load() > 0.5
    assert not sched.can_spare()  # nor is there room for a second listen
    with pytest.raises(SttSkipped):
        await sched.transcribe(AUDIO, prompt="partial", final=False)
    # finals are never refused for load, only for a full queue
    assert (await sched.transcribe(AUDIO, prompt="final")).text == "final"
    sched.close()


async def test_a_lifters_own_partials_leave_room_for_a_second_listen() -> None:
    engine = GatedEngine()
    engine.gate.set()
    sched = SttScheduler(engine, workers=1, partial_max_load=0.5, load_window_s=10.0)
    now = time.perf_counter()
    sched._spans.append((now - 9.0, now - 3.0, False))  # partials: optional, dropped for finals
    sched._spans.append((now - 2.0, now - 1.0, True))  # the lifter's final
    assert sched.load() > 0.5  # too busy for another partial
    assert sched.load(committed=True) == pytest.approx(0.1, abs=0.01)
    assert sched.can_spare()  # but nothing committed keeps a second listen out
    with pytest.raises(SttSkipped):
        await sched.transcribe(AUDIO, prompt="partial", final=False)
    partial_ran = SttScheduler(engine, workers=1, partial_max_load=0.5, load_window_s=10.0)
    await partial_ran.transcribe(AUDIO, prompt="p", final=False)
    await partial_ran.transcribe(AUDIO, prompt="f", final=True)
    assert [c for _s, _e, c in partial_ran._spans] == [False, True]
    sched.close()
    partial_ran.close()


async def test_saturated_means_finals_are_waiting() -> None:
    engine = GatedEngine()
    sched = SttScheduler(engine, workers=1)
    running = asyncio.create_task(sched.transcribe(AUDIO, prompt="a"))
    await _until(lambda: sched._running == 1)
    assert not sched.saturated  # running, nothing waiting
    waiting = asyncio.create_task(sched.transcribe(AUDIO, prompt="b"))
    await _until(lambda: sched.pending_finals == 1)
    assert sched.saturated and not sched.can_spare()
    engine.gate.set()
    await asyncio.gather(running, waiting)
    assert not sched.saturated
    assert 0.0 < sched.load() <= 1.0
    sched.close()


class BatchingEngine(GatedEngine):
    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list[str]] = []

    def transcribe_batch(self, audios: list[np.ndarray], prompts: list[str | None]) -> list[Transcription]:
        self.gate.wait(5)
        self.batches.append([p or "" for p in prompts])
        return [
            Transcription(text=p or "", audio_s=len(a) / 16000, stt_ms=1.0)
            for a, p in zip(audios, prompts, strict=True)
        ]


async def test_queued_finals_run_as_one_batch_in_order() -> None:
    engine = BatchingEngine()
    sched = SttScheduler(engine, workers=1, max_batch=3)
    first = asyncio.create_task(sched.transcribe(AUDIO, prompt="first"))
    await _until(lambda: sched._running == 1)
    queued = [asyncio.create_task(sched.transcribe(AUDIO, prompt=f"q{i}")) for i in range(4)]
    await _until(lambda: sched.pending_finals == 4)
    engine.gate.set()
    results = await asyncio.gather(first, *queued)
    # each caller gets its own transcript back, whichever batch it rode in
    assert [r.text for r in results] == ["first", "q0", "q1", "q2", "q3"]
    assert engine.batches == [["q0", "q1", "q2"]]  # queued ones batched, at most max_batch at once
    assert engine.order == ["first", "q3"]  # a lone final runs alone
    assert sched.stats["batches"] == 1
    sched.close()


class ScoringEngine(BatchingEngine):
    def score_readings(self, audio: np.ndarray, prompt: str | None, texts: list[str]) -> list[float]:
        self.gate.wait(5)
        self.order.append("score")
        return [-float(len(t)) for t in texts]


async def test_scoring_runs_alone_with_the_finals_priority() -> None:
    engine = ScoringEngine()
    sched = SttScheduler(engine, workers=1, max_batch=4)
    assert sched.can_score
    first = asyncio.create_task(sched.transcribe(AUDIO, prompt="first"))
    await _until(lambda: sched._running == 1)
    partial = asyncio.create_task(sched.transcribe(AUDIO, prompt="partial", final=False))
    with pytest.raises(SttSkipped):  # a partial is refused while the model runs
        await partial
    final = asyncio.create_task(sched.transcribe(AUDIO, prompt="q0"))
    await _until(lambda: sched.pending_finals == 1)
    with pytest.raises(SttSkipped):  # optional work is refused while a final waits
        await sched.score(AUDIO, ["a"])
    engine.gate.set()
    await asyncio.gather(first, final)
    assert await sched.score(AUDIO, ["ab", "abcd"]) == [-2.0, -4.0]
    assert engine.order == ["first", "q0", "score"]
    assert sched.stats["scores"] == 1
    sched.close()


async def test_an_engine_that_cannot_score_is_refused() -> None:
    sched = SttScheduler(GatedEngine(), workers=1)
    assert not sched.can_score
    with pytest.raises(SttSkipped):
        await sched.score(AUDIO, ["a"])
    sched.close()
