"""One model shared by every socket: a priority queue in front of a small thread pool.

Finals (an utterance has ended; the lifter is waiting) always run before partials. A partial is only
accepted when nothing is waiting, so partials never delay a final by more than the one partial
already running. Finals queue up to `max_pending`; past that the scheduler raises `SttBusy` and the
caller tells the client, rather than queueing without bound.

A reading can also be scored against the audio (`score`, for `server.stt.repair`): a short job that
runs with the finals' priority, is never batched, and is refused (`SttSkipped`) while finals wait.

Under load partials stop altogether: when the model was busy more than `partial_max_load` of the
last few seconds, a partial is refused even if the model is momentarily idle, because the next
final would otherwise wait behind it (the load benchmark showed finals queueing behind partials).
"""

from __future__ import annotations

import asyncio
import functools
import heapq
import itertools
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from server.stt.base import SpeechEngine, SttBusy, SttSkipped, Transcription

__all__ = ["SttScheduler"]

_FINAL, _PARTIAL = 0, 1


@dataclass(frozen=True)
class _Work:
    audio: np.ndarray
    prompt: str | None = None
    texts: tuple[str, ...] | None = None  # set: score these readings instead of transcribing


class SttScheduler:
    """Implements `Transcriber` over a blocking `SpeechEngine`."""

    def __init__(
        self,
        engine: SpeechEngine,
        *,
        workers: int = 1,
        max_pending: int = 8,
        partial_max_load: float = 0.5,
        load_window_s: float = 4.0,
        max_batch: int = 4,
    ) -> None:
        self.engine = engine
        self.workers = workers
        self.max_pending = max_pending
        self.partial_max_load = partial_max_load
        self.load_window_s = load_window_s
        self.max_batch = max_batch
        self._batchable = callable(getattr(engine, "transcribe_batch", None))
        self._spans: deque[tuple[float, float, bool]] = deque()  # (start, end, committed) of recent runs
        self._started: dict[int, tuple[float, bool]] = {}  # job -> (start, committed)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="stt")
        self._heap: list[tuple[int, int, _Work, asyncio.Future[Any], float]] = []
        self._seq = itertools.count()
        self._running = 0
        self.stats = {"finals": 0, "partials": 0, "busy": 0, "skipped": 0, "batches": 0, "scores": 0}

    @property
    def pending_finals(self) -> int:
        return sum(1 for job in self._heap if job[0] == _FINAL)

    @property
    def saturated(self) -> bool:
        """Finals are waiting: extra (speculative) work would only push them back."""
        return self.pending_finals > 0

    def can_spare(self) -> bool:
        """Room for optional work (a second listen): no final waits, and finals kept the model less than
        `partial_max_load` busy lately. Partials do not count here: they are dropped as soon as finals
        need the model, and a lifter's own partials kept the model half busy while they spoke, which
        shut their second listen out on a slow host though nobody else was waiting."""
        return not self.saturated and self.load(committed=True) <= self.partial_max_load

    def load(self, now: float | None = None, *, committed: bool = False) -> float:
        """Share of the last `load_window_s` the workers spent transcribing (0..1); `committed`: finals
        and scoring only, not partials."""
        now = time.perf_counter() if now is None else now
        since = now - self.load_window_s
        while self._spans and self._spans[0][1] < since:
            self._spans.popleft()
        busy = sum(end - max(start, since) for start, end, c in self._spans if c or not committed)
        busy += sum(now - max(start, since) for start, c in self._started.values() if c or not committed)
        return min(1.0, busy / (self.load_window_s * self.workers))

    async def transcribe(
        self, audio: np.ndarray, *, prompt: str | None = None, final: bool = True
    ) -> Transcription:
        if final:
            if self.pending_finals >= self.max_pending:
                self.stats["busy"] += 1
                raise SttBusy(f"{self.max_pending} transcriptions are already waiting")
        elif self._heap or self._running >= self.workers or self.load() > self.partial_max_load:
            self.stats["skipped"] += 1
            raise SttSkipped("the speech model is busy; partial skipped")
        fut: asyncio.Future[Transcription] = asyncio.get_running_loop().create_future()
        heapq.heappush(
            self._heap,
            (_FINAL if final else _PARTIAL, next(self._seq), _Work(audio, prompt), fut, time.perf_counter()),
        )
        self._dispatch()
        return await fut

    @property
    def can_score(self) -> bool:
        return callable(getattr(self.engine, "score_readings", None))

    async def score(self, audio: np.ndarray, texts: list[str]) -> list[float]:
        """The engine's log-probability of each reading of `audio` (no prompt). Optional work: refused
        with `SttSkipped` while finals wait."""
        if not self.can_score:
            raise SttSkipped("this speech engine cannot score readings")
        if self.saturated:
            self.stats["skipped"] += 1
            raise SttSkipped("finals are waiting; scoring skipped")
        fut: asyncio.Future[list[float]] = asyncio.get_running_loop().create_future()
        work = _Work(audio, None, tuple(texts))
        heapq.heappush(self._heap, (_FINAL, next(self._seq), work, fut, time.perf_counter()))
        self._dispatch()
        return await fut

    def _dispatch(self) -> None:
        while self._heap and self._running < self.workers:
            kind, _seq, work, fut, queued_at = heapq.heappop(self._heap)
            if fut.done():  # the caller gave up (cancelled) while it waited
                continue
            loop = asyncio.get_running_loop()
            if work.texts is not None:
                self._start(loop.run_in_executor(self._pool, self._score, work), [(fut, queued_at)], "scores")
                continue
            audio, prompt = work.audio, work.prompt
            batch = [(audio, prompt, fut, queued_at)]
            # Finals that queued up behind each other run as one batch (one encoder + decoder call).
            while kind == _FINAL and self._batchable and len(batch) < self.max_batch and self._heap:
                head = self._heap[0]
                if head[0] != _FINAL or head[2].texts is not None:
                    break
                _k, _s, w, f, q = heapq.heappop(self._heap)
                if not f.done():
                    batch.append((w.audio, w.prompt, f, q))
            if len(batch) > 1:
                self.stats["batches"] += 1
            if len(batch) == 1:
                running = loop.run_in_executor(self._pool, self._one, audio, prompt, kind == _FINAL)
            else:
                run_batch = self.engine.transcribe_batch  # type: ignore[attr-defined]  # optional, checked
                running = loop.run_in_executor(
                    self._pool, run_batch, [b[0] for b in batch], [b[1] for b in batch]
                )
            self._start(running, [(b[2], b[3]) for b in batch], "finals" if kind == _FINAL else "partials")

    def _start(
        self, running: asyncio.Future[Any], waiters: list[tuple[asyncio.Future[Any], float]], stat: str
    ) -> None:
        self._running += 1
        self.stats[stat] += len(waiters)
        job = next(self._seq)
        self._started[job] = (time.perf_counter(), stat != "partials")
        running.add_done_callback(functools.partial(self._finished, waiters=waiters, job=job))

    def _score(self, work: _Work) -> list[list[float]]:
        assert work.texts is not None
        scores = self.engine.score_readings(work.audio, None, list(work.texts))  # type: ignore[attr-defined]
        return [scores]

    def _one(self, audio: np.ndarray, prompt: str | None, final: bool) -> list[Transcription]:
        return [self.engine.transcribe_sync(audio, prompt, final=final)]

    def _finished(
        self,
        work: asyncio.Future[list[Any]],
        *,
        waiters: list[tuple[asyncio.Future[Any], float]],
        job: int,
    ) -> None:
        self._running -= 1
        started, committed = self._started.pop(job)
        self._spans.append((started, time.perf_counter(), committed))
        exc = None if work.cancelled() else work.exception()
        results = work.result() if not work.cancelled() and exc is None else []
        for i, (fut, queued_at) in enumerate(waiters):
            if fut.done():
                continue
            if work.cancelled():
                fut.cancel()
            elif exc is not None:
                fut.set_exception(exc)
            else:
                result = results[i]
                if isinstance(result, Transcription):
                    waited = (time.perf_counter() - queued_at) * 1000 - result.stt_ms
                    result.queued_ms = max(0.0, waited)
                fut.set_result(result)
        self._dispatch()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
