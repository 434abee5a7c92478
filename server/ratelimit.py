"""Per-user limits on utterances and on audio seconds: a sliding window counter from `limits`.

Each (user, kind) has a budget per window (60 s). The count of the previous window still weighs for
the part of it that overlaps the last 60 s, so a burst spent just before a window's edge is still
counted just after it: fixed windows let a second full burst through there. The counters live in a
`WindowStore` (server/backends/rate_windows.py): in-process by default, one Redis shared by every
instance when VOICELOG_REDIS_URL is set, the shared KV on Upstash. A refused hit adds nothing, so a
client hammering after a 429 does not push its own Retry-After further out; replays of a logged
`client_id` are answered before `enforce` is called, so retries never count.
"""

from __future__ import annotations

import logging
import math
from typing import Literal

import msgspec

from server.backends.kv import KV
from server.backends.rate_windows import KVWindows, WindowStore
from server.errors import DomainError

__all__ = ["Decision", "Kind", "Limit", "RateLimited", "RateLimiter", "enforce", "retry_after_s"]

log = logging.getLogger(__name__)

Kind = Literal["utterance", "audio_s"]
# Costs are counted in thousandths so audio seconds (0.35 s of speech) stay exact integers in the store.
_SCALE = 1000


class Limit(msgspec.Struct, frozen=True):
    amount: float
    """how much of the kind one user may spend per window (0 = unlimited)"""
    window_s: int = 60


class Decision(msgspec.Struct, frozen=True):
    allowed: bool
    retry_after_s: float = 0.0
    """seconds until a refused hit would fit again, if nothing else is spent (0 when allowed)"""
    remaining: float | None = None
    """budget left in the sliding window after the hit, None when the kind is unlimited"""

    @property
    def retry_after_header(self) -> str:
        """Retry-After is whole seconds (RFC 9110); round up so an early retry is never invited."""
        return str(max(1, math.ceil(self.retry_after_s)))


def retry_after_s(window: tuple[int, float, int, float], *, limit: int, window_s: int, cost: int) -> float:
    """Seconds until a hit of `cost` fits the sliding window `window` (a store's get_sliding_window).

    The previous window's count weighs previous * (seconds it still overlaps) / window_s and decays to 0
    when the current window ends; then the current count becomes the previous one and decays in turn.
    """
    previous, weighs_s, current, current_ttl = window
    if cost > limit:
        return float(window_s)
    # seconds until the current window ends (its key lives two windows, so its TTL runs one window over)
    ends_in = current_ttl - window_s if current_ttl > window_s else weighs_s
    ends_in = min(max(ends_in, 0.0), float(window_s))
    if current + cost <= limit:  # fits in this window once enough of the previous one has decayed
        if previous <= 0:
            return 0.001
        return max(0.001, weighs_s - window_s * (limit - cost - current) / previous)
    # only once this window is the previous one, and enough of it has decayed
    return ends_in + window_s * (1 - (limit - cost) / current)


class RateLimiter:
    def __init__(self, store: WindowStore | KV, limits: dict[str, Limit]) -> None:
        """`store` is where the counters live; a plain KV is driven through KVWindows."""
        self._store: WindowStore = store if isinstance(store, WindowStore) else KVWindows(store)
        self._limits = limits

    @property
    def limits(self) -> dict[str, Limit]:
        return dict(self._limits)

    @property
    def store(self) -> WindowStore:
        return self._store

    async def hit(self, user_id: str, kind: str, cost: float = 1.0) -> Decision:
        limit = self._limits.get(kind)
        if limit is None or limit.amount <= 0:
            return Decision(allowed=True)
        if cost < 0 or not math.isfinite(cost):
            raise ValueError(f"rate limit cost must be a finite number >= 0, got {cost!r}")
        key = f"{kind}:{user_id}"
        units = max(1, round(cost * _SCALE)) if cost > 0 else 0
        budget = round(limit.amount * _SCALE)
        try:
            allowed = units == 0 or await self._store.acquire_sliding_window_entry(
                key, budget, limit.window_s, units
            )
            window = await self._store.get_sliding_window(key, limit.window_s)
        except Exception:
            # Limits protect the service; they must never be the reason a set is not logged.
            log.exception("rate limiter unavailable; allowing %s for %s", kind, user_id)
            return Decision(allowed=True)
        previous, weighs_s, current, _ = window
        used = math.floor(previous * weighs_s / limit.window_s) + current
        remaining = max(0.0, (budget - used) / _SCALE)
        if allowed:
            return Decision(allowed=True, remaining=remaining)
        wait = retry_after_s(window, limit=budget, window_s=limit.window_s, cost=units)
        return Decision(allowed=False, retry_after_s=round(wait, 3), remaining=remaining)

    async def aclose(self) -> None:
        closer = getattr(self._store, "aclose", None)
        if closer is not None:
            await closer()


class RateLimited(DomainError):
    """429 over REST (with Retry-After), an `error` event with code `rate_limited` on the websocket."""

    status = 429
    code = "rate_limited"

    def __init__(self, kind: str, decision: Decision) -> None:
        what = "utterances" if kind == "utterance" else "seconds of audio"
        super().__init__(f"too many {what}; try again in {decision.retry_after_header} s")
        self.decision = decision
        self.headers = {"Retry-After": decision.retry_after_header}


async def enforce(limiter: RateLimiter | None, user_id: str, kind: str, cost: float = 1.0) -> None:
    """Raise RateLimited when the hit does not fit; a server without a limiter allows everything."""
    if limiter is None:
        return
    decision = await limiter.hit(user_id, kind, cost)
    if not decision.allowed:
        raise RateLimited(kind, decision)
