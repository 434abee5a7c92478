"""One socket's share of the fan-out: events of its workout that another connection (or REST) caused."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from server.fanout.hub import Fanout, decode_envelope

__all__ = ["Relay"]

log = logging.getLogger("voicelog.fanout")

_SUBSCRIBE_S = 2.0


class Relay:
    """`async with Relay(...)`: subscribed on entry (before `ready` is sent, so nothing logged after the
    client saw `ready` is missed), forwarding until exit. Frames go out through the socket's own `send`."""

    def __init__(
        self,
        fanout: Fanout,
        workout_id: str,
        connection_id: str,
        send: Callable[[bytes], Awaitable[None]],
        observe: Callable[[bytes], None] | None = None,
    ) -> None:
        """`observe(event)` sees each relayed event first (the session keeps its context current)."""
        self._fanout = fanout
        self._observe = observe
        self._workout_id = workout_id
        self._connection_id = connection_id
        self._send = send
        self._stack = contextlib.AsyncExitStack()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Relay:
        try:
            subscriber = await asyncio.wait_for(
                self._stack.enter_async_context(self._fanout.subscribe(self._workout_id)), _SUBSCRIBE_S
            )
        except Exception as exc:  # the bus is down: the socket still logs, it only hears its own events
            log.warning("no fan-out for workout %s: %s", self._workout_id, exc or type(exc).__name__)
            return self
        self._task = asyncio.create_task(self._forward(subscriber))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self._stack.aclose()

    async def _forward(self, subscriber: object) -> None:
        async for payload in subscriber.iter_events():  # type: ignore[attr-defined]
            envelope = decode_envelope(payload)
            if envelope is None or envelope.origin == self._connection_id:
                continue  # this socket was answered directly already
            frame = bytes(envelope.event)
            if self._observe is not None:
                try:
                    self._observe(frame)
                except Exception:
                    log.exception("observing a relayed event failed")
            try:
                await self._send(frame)
            except Exception:  # the socket's own send already swallows a gone client
                log.exception("relaying an event failed")
