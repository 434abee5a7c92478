"""A remote KV that degrades to an in-process one while the remote is down, and comes back by itself."""

from __future__ import annotations

import logging
import time

from server.backends.kv.base import KV, KVUnavailable
from server.backends.kv.memory import MemoryKV

__all__ = ["ResilientKV"]

log = logging.getLogger(__name__)


class ResilientKV:
    """Serves from `primary`; on `KVUnavailable` serves from a local MemoryKV for `cooldown_s`.

    While degraded, limits and cache are per process (looser, never failing requests): an outage
    of the cache must not stop a lifter's sets from being logged. `degraded` tells the caller which
    path served, for the voice command's record.
    """

    def __init__(self, primary: KV, *, cooldown_s: float = 5.0, fallback: KV | None = None) -> None:
        self.primary = primary
        self.fallback = fallback or MemoryKV()
        self.name = primary.name
        self._cooldown_s = cooldown_s
        self._down_until = 0.0

    @property
    def degraded(self) -> bool:
        return time.monotonic() < self._down_until

    def _store(self) -> KV:
        return self.fallback if self.degraded else self.primary

    def mark_down(self, exc: KVUnavailable) -> None:
        """Serve from memory for the cooldown (also called by a store on the same server that failed)."""
        if not self.degraded:
            log.warning(
                "kv %s unavailable (%s); serving from memory for %.0fs", self.name, exc, self._cooldown_s
            )
        self._down_until = time.monotonic() + self._cooldown_s

    async def get(self, key: str) -> str | None:
        store = self._store()
        try:
            return await store.get(key)
        except KVUnavailable as exc:
            self.mark_down(exc)
            return await self.fallback.get(key)

    async def set(self, key: str, value: str, ttl_s: float | None = None) -> None:
        store = self._store()
        try:
            await store.set(key, value, ttl_s)
        except KVUnavailable as exc:
            self.mark_down(exc)
            await self.fallback.set(key, value, ttl_s)

    async def incr(self, key: str, amount: int = 1, ttl_s: float | None = None) -> int:
        store = self._store()
        try:
            return await store.incr(key, amount, ttl_s)
        except KVUnavailable as exc:
            self.mark_down(exc)
            return await self.fallback.incr(key, amount, ttl_s)

    async def delete(self, key: str) -> None:
        store = self._store()
        try:
            await store.delete(key)
        except KVUnavailable as exc:
            self.mark_down(exc)
        await self.fallback.delete(key)

    async def aclose(self) -> None:
        await self.primary.aclose()
        await self.fallback.aclose()
