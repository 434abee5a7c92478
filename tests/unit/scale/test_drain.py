"""Draining: every open stream's goodbye runs; one that hangs is cut off at the grace."""

from __future__ import annotations

import asyncio
import time

from server.scale.drain import Drain

__all__: list[str] = []


async def test_drain_runs_every_goodbye_and_bounds_a_hung_one() -> None:
    drain = Drain()
    said: list[str] = []

    async def quick() -> None:
        said.append("quick")

    async def hung() -> None:
        await asyncio.sleep(60)
        said.append("hung")

    drain.register(quick)
    token = drain.register(hung)
    gone = drain.register(quick)
    drain.unregister(gone)
    assert drain.open_streams == 2 and not drain.draining
    t0 = time.monotonic()
    await drain.drain(0.2)
    assert drain.draining
    assert said == ["quick"]
    assert time.monotonic() - t0 < 2
    drain.unregister(token)
    assert drain.open_streams == 1
