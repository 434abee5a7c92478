"""One model shared by every socket: a priority queue in front of a small thread pool.

Finals (an utterance has ended; the lifter is waiting) always run before partials. A partial is only
accepted when nothing is waiting, so partials never delay a final by more than the one partial
already running. Finals queue up to `max_pending`; past that the scheduler raises `SttBusy` and the
caller tells the client, rather than queueing without bound.

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

import numpy as np

from server.stt.base import SpeechEngine, SttBusy, SttSkipped, Transcription

__all__ = ["SttScheduler"]

_FINAL, _PARTIAL = 0, 1


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
        self._spans: deque[tuple[float, float]] = deque()  # (start, end) of recent runs
        self._started: dict[int, float] = {}
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="stt")
        self._heap: list[tuple[int, int, np.ndarray, str | None, asyncio.Future[Transcription], float]] = []
        self._seq = itertools.count()
        self._running = 0
        self.stats = {"finals": 0, "partials": 0, "busy": 0, "skipped": 0, "batches": 0}

    @property
    def pending_finals(self) -> int:
        return sum(1 for job in self._heap if job[0] == _FINAL)

    @property
    def saturated(self) -> bool:
        """Finals are waiting: extra (speculative) work would only push them back."""
        return self.pending_finals > 0

    def can_spare(self) -> bool:
        """Room for optional work (a second listen): no final waits and the model was mostly idle lately,
        by the same measure that lets partials run."""
        return not self.saturated and self.load() <= self.partial_max_load

    def load(self, now: float | None = None) -> float:
        """Share of the last `load_window_s` the workers spent transcribing (0..1)."""
        now = time.perf_counter() if now is None else now
        since = now - self.load_window_s
        while self._spans and self._spans[0][1] < since:
            self._spans.popleft()
        busy = sum(end - max(start, since) for start, end in self._spans)
        busy += sum(now - max(start, since) for start in self._started.values())
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
            (_FINAL if final else _PARTIAL, next(self._seq), audio, prompt, fut, time.perf_counter()),
        )
        self._dispatch()
        return await fut

    def _dispatch(self) -> None:
        while self._heap and self._running < self.workers:
            kind, _seq, audio, prompt, fut, queued_at = heapq.heappop(self._heap)
            if fut.done():  # the caller gave up (cancelled) while it waited
                continue
            batch = [(audio, prompt, fut, queued_at)]
            # Finals that queued up behind each other run as one batch (one encoder + decoder call).
            while kind == _FINAL and self._batchable and len(batch) < self.max_batch and self._heap:
                if self._heap[0][0] != _FINAL:
                    break
                _k, _s, a, p, f, q = heapq.heappop(self._heap)
                if not f.done():
                    batch.append((a, p, f, q))
            self._running += 1
            self.stats["finals" if kind == _FINAL else "partials"] += len(batch)
            if len(batch) > 1:
                self.stats["batches"] += 1
            job = next(self._seq)
            self._started[job] = time.perf_counter()
            loop = asyncio.get_running_loop()
            if len(batch) == 1:
                work = loop.run_in_executor(self._pool, self._one, audio, prompt, kind == _FINAL)
            else:
                run_batch = self.engine.transcribe_batch  # type: ignore[attr-defined]  # optional, checked
                work = loop.run_in_executor(
                    self._pool, run_batch, [b[0] for b in batch], [b[1] for b in batch]
                )
            work.add_done_callback(
                functools.partial(self._finished, waiters=[(b[2], b[3]) for b in batch], job=job)
            )

    def _one(self, audio: np.ndarray, prompt: str | None, final: bool) -> list[Transcription]:
        return [self.engine.transcribe_sync(audio, prompt, final=final)]

    def _finished(
        self,
        work: asyncio.Future[list[Transcription]],
        *,
        waiters: list[tuple[asyncio.Future[Transcription], float]],
        job: int,
    ) -> None:
        self._running -= 1
        self._spans.append((self._started.pop(job), time.perf_counter()))
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
                result.queued_ms = max(0.0, (time.perf_counter() - queued_at) * 1000 - result.stt_ms)
                fut.set_result(result)
        self._dispatch()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
