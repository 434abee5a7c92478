"""Graceful shutdown: finish what the lifters already said, then tell their clients to reconnect elsewhere.

On the first SIGTERM/SIGINT `serve` drains before uvicorn closes anything: `/health` answers 503 at once (the
load balancer stops sending new connections), every open stream ends its utterance in progress as if
push-to-talk were released, answers every pending utterance, sends `{"type": "reconnect"}` and closes with
1012 (service restart). Only then does uvicorn shut down, within `VOICELOG_SHUTDOWN_GRACE_S`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

__all__ = ["CLOSE_SERVICE_RESTART", "Drain"]

log = logging.getLogger("voicelog.drain")

CLOSE_SERVICE_RESTART = 1012  # RFC 6455 "service restart": reconnect, to another instance


class Drain:
    def __init__(self) -> None:
        self.draining = False
        self._goodbyes: dict[int, Callable[[], Awaitable[None]]] = {}
        self._next = 0

    def register(self, goodbye: Callable[[], Awaitable[None]]) -> int:
        self._next += 1
        self._goodbyes[self._next] = goodbye
        return self._next

    def unregister(self, token: int) -> None:
        self._goodbyes.pop(token, None)

    @property
    def open_streams(self) -> int:
        return len(self._goodbyes)

    async def drain(self, timeout_s: float) -> None:
        """Mark the instance as leaving and let every open stream finish, for at most `timeout_s`."""
        self.draining = True
        goodbyes = list(self._goodbyes.values())
        if not goodbyes:
            return
        log.info("draining %d open stream(s)", len(goodbyes))
        tasks = [asyncio.ensure_future(g()) for g in goodbyes]
        done, pending = await asyncio.wait(tasks, timeout=timeout_s)
        for task in pending:
            task.cancel()
        for task in done:
            with contextlib.suppress(asyncio.CancelledError):
                if (exc := task.exception()) is not None:
                    log.warning("a stream did not drain cleanly: %s", exc)
        if pending:
            log.warning("%d stream(s) still busy after %.0f s; closing anyway", len(pending), timeout_s)
