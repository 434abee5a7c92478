"""Where the rate limiter's sliding-window counters live.

The algorithm is `limits`' sliding window counter: a count for the current fixed window and one for
the previous, the previous weighted by how much of it still overlaps the last `window` seconds. A
burst spent just before a window's edge therefore still counts just after it (fixed windows let a
second full burst through there), and a refused hit adds nothing.

- in-process: `limits`' MemoryStorage (the default; one process).
- VOICELOG_REDIS_URL: `limits`' RedisStorage on redis-py; one Lua script per hit, so every instance
  sharing the Redis enforces one budget atomically.
- Upstash: `limits` speaks the Redis protocol only, not Upstash's REST API, so `KVWindows` runs the
  same arithmetic on the shared KV's atomic counters (UpstashKV behind ResilientKV).

A remote store that fails or is slow is replaced by a local memory store for a cooldown
(`ResilientWindows`): limits then hold per process, and a limiter outage never refuses a set.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from server.backends.errors import import_or_explain
from server.backends.kv.base import KV, KVUnavailable
from server.backends.kv.resilient import ResilientKV

__all__ = ["KVWindows", "ResilientWindows", "WindowStore", "memory_windows", "redis_windows"]

log = logging.getLogger(__name__)


@runtime_checkable
class WindowStore(Protocol):
    """The two calls of `limits`' SlidingWindowCounterSupport the limiter needs (its storages have them)."""

    async def acquire_sliding_window_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        """Add `amount` unless the weighted count would pass `limit`; a refusal changes nothing."""
        ...

    async def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        """(previous count, seconds the previous window still weighs, current count, current key's TTL)."""
        ...


def memory_windows() -> WindowStore:
    from limits.aio.storage import MemoryStorage

    return MemoryStorage()  # type: ignore[no-any-return]


def redis_windows(url: str, *, timeout_s: float) -> WindowStore:
    import_or_explain("redis.asyncio", package="redis", setting="VOICELOG_REDIS_URL")
    from limits.aio.storage import RedisStorage

    # redis-py, already a dependency (limits defaults to coredis); short socket timeouts as for the KV.
    return RedisStorage(  # type: ignore[no-any-return]
        "async+" + url,
        implementation="redispy",
        key_prefix="voicelog:rl",
        wrap_exceptions=True,
        socket_timeout=timeout_s,
        socket_connect_timeout=timeout_s,
    )


class KVWindows:
    """`limits`' sliding window counter on a KV's atomic `incr` (for Upstash, which `limits` cannot drive).

    Windows are aligned to the clock (window index = now // window), as in `limits`' MemoryStorage. A
    hit is added first and given back when it does not fit: two racing hits at the edge of the budget
    may both be refused, never both allowed.
    """

    def __init__(self, kv: KV, *, clock: Callable[[], float] = time.time) -> None:
        self._kv = kv
        self._clock = clock
        # What the last acquire of a key saw (window index, time, previous, current), read once by the
        # get_sliding_window the limiter makes right after: two REST calls per hit on Upstash, not four.
        self._seen: dict[str, tuple[int, float, int, int]] = {}

    @staticmethod
    def _key(key: str, index: int) -> str:
        return f"rl:{key}:{index}"

    async def _read(self, key: str, expiry: int, now: float) -> tuple[int, float, int, float]:
        index = int(now // expiry)
        previous = int(await self._kv.get(self._key(key, index - 1)) or 0)
        current = int(await self._kv.get(self._key(key, index)) or 0)
        left = (index + 1) * expiry - now  # seconds until the current window ends
        return previous, (left if previous else 0.0), current, left + expiry

    async def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        now = self._clock()
        seen = self._seen.pop(key, None)
        if seen is not None and seen[0] == int(now // expiry) and now - seen[1] < 1.0:
            left = (seen[0] + 1) * expiry - now
            return seen[2], (left if seen[2] else 0.0), seen[3], left + expiry
        return await self._read(key, expiry, now)

    async def acquire_sliding_window_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = self._clock()
        index = int(now // expiry)
        previous = int(await self._kv.get(self._key(key, index - 1)) or 0)
        weighted_previous = previous * ((index + 1) * expiry - now) / expiry
        if math.floor(weighted_previous) + amount > limit:
            return False
        current_key = self._key(key, index)
        current = await self._kv.incr(current_key, amount, ttl_s=2 * expiry)
        allowed = math.floor(weighted_previous + current) <= limit
        if not allowed:
            current = await self._kv.incr(current_key, -amount, ttl_s=2 * expiry)
        if len(self._seen) > 10_000:  # only when reads stop following acquires: never grows unbounded
            self._seen.clear()
        self._seen[key] = (index, now, previous, current)
        return allowed


class ResilientWindows:
    """Serves from `primary`; when it fails or is slow, from a local memory store for `cooldown_s`."""

    def __init__(
        self,
        primary: WindowStore,
        *,
        name: str,
        timeout_s: float = 0.5,
        cooldown_s: float = 5.0,
        same_server: ResilientKV | None = None,
    ) -> None:
        """`same_server`: the KV on the same Redis; an outage either of them sees is both of theirs (one
        timeout per cooldown, not one each, and the voice command's path says `kv:redis:down`)."""
        self.primary = primary
        self.fallback = memory_windows()
        self.name = name
        self._timeout_s = timeout_s
        self._cooldown_s = cooldown_s
        self._same_server = same_server
        self._down_until = 0.0

    @property
    def degraded(self) -> bool:
        return time.monotonic() < self._down_until or bool(self._same_server and self._same_server.degraded)

    async def _call(self, method: str, *args: Any) -> Any:
        if not self.degraded:
            try:
                return await asyncio.wait_for(getattr(self.primary, method)(*args), self._timeout_s)
            except Exception as exc:  # any failure of the store: the limiter must not fail a request
                log.warning(
                    "rate limit store %s unavailable (%s: %s); limits are per process for %.0fs",
                    self.name,
                    type(exc).__name__,
                    exc,
                    self._cooldown_s,
                )
                self._down_until = time.monotonic() + self._cooldown_s
                if self._same_server is not None:
                    self._same_server.mark_down(KVUnavailable(self.name, f"{type(exc).__name__}: {exc}"))
        return await getattr(self.fallback, method)(*args)

    async def acquire_sliding_window_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        return bool(await self._call("acquire_sliding_window_entry", key, limit, expiry, amount))

    async def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        window: tuple[int, float, int, float] = await self._call("get_sliding_window", key, expiry)
        return window

    async def aclose(self) -> None:
        # limits' RedisStorage has no close of its own; its redis-py client is `bridge.storage`.
        client = getattr(getattr(self.primary, "bridge", None), "storage", None)
        closer = getattr(client, "aclose", None)
        if closer is not None:
            await closer()
