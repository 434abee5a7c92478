"""Per-user limits on utterances and on audio seconds, counted in the shared KV.

Fixed windows: one counter per (user, kind, window) created with the window's TTL, so every
server instance sharing the KV enforces one budget. A refused hit is given back, so a client
hammering after a 429 does not push its own Retry-After further out.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Literal

import msgspec

from server.backends.kv import KV
from server.errors import DomainError

__all__ = ["Decision", "Kind", "Limit", "RateLimited", "RateLimiter", "enforce"]

log = logging.getLogger(__name__)

Kind = Literal["utterance", "audio_s"]
# Costs are counted in thousandths so audio seconds (0.35 s of speech) stay exact integers in the KV.
_SCALE = 1000


class Limit(msgspec.Struct, frozen=True):
    amount: float
    """how much of the kind one user may spend per window (0 = unlimited)"""
    window_s: int = 60


class Decision(msgspec.Struct, frozen=True):
    allowed: bool
    retry_after_s: float = 0.0
    """seconds until a refused hit would fit again (0 when allowed)"""
    remaining: float | None = None
    """budget left in this window after the hit, None when the kind is unlimited"""

    @property
    def retry_after_header(self) -> str:
        """Retry-After is whole seconds (RFC 9110); round up so an early retry is never invited."""
        return str(max(1, math.ceil(self.retry_after_s)))


class RateLimiter:
    def __init__(self, kv: KV, limits: dict[str, Limit], *, clock: Callable[[], float] = time.time) -> None:
        self._kv = kv
        self._limits = limits
        self._clock = clock

    @property
    def limits(self) -> dict[str, Limit]:
        return dict(self._limits)

    async def hit(self, user_id: str, kind: str, cost: float = 1.0) -> Decision:
        limit = self._limits.get(kind)
        if limit is None or limit.amount <= 0:
            return Decision(allowed=True)
        if cost < 0 or not math.isfinite(cost):
            raise ValueError(f"rate limit cost must be a finite number >= 0, got {cost!r}")
        now = self._clock()
        window = int(now // limit.window_s)
        window_end = (window + 1) * limit.window_s
        key = f"rl:{kind}:{user_id}:{window}"
        units = max(1, round(cost * _SCALE)) if cost > 0 else 0
        budget = round(limit.amount * _SCALE)
        try:
            used = await self._kv.incr(key, units, ttl_s=limit.window_s + 1)
            if used <= budget:
                return Decision(allowed=True, remaining=(budget - used) / _SCALE)
            await self._kv.incr(key, -units, ttl_s=limit.window_s + 1)
        except Exception:
            # Limits protect the service; they must never be the reason a set is not logged.
            log.exception("rate limiter unavailable; allowing %s for %s", kind, user_id)
            return Decision(allowed=True)
        if units > budget:  # a single hit larger than a whole window can never fit: say so plainly
            return Decision(allowed=False, retry_after_s=float(limit.window_s), remaining=0.0)
        return Decision(
            allowed=False,
            retry_after_s=round(max(0.001, window_end - now), 3),
            remaining=max(0.0, (budget - (used - units)) / _SCALE),
        )

    async def aclose(self) -> None:
        return None


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
