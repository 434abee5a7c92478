"""The embedded default: a dict with expiry times, good for one process."""

from __future__ import annotations

import time

__all__ = ["MemoryKV"]

# Expired keys are dropped lazily on read; a sweep every so many writes bounds memory under churn.
_SWEEP_EVERY = 1024


class MemoryKV:
    name = "memory"

    def __init__(self, clock: object = None) -> None:
        self._data: dict[str, tuple[str, float | None]] = {}
        self._clock = clock if callable(clock) else time.monotonic
        self._writes = 0

    def _live(self, key: str) -> tuple[str, float | None] | None:
        item = self._data.get(key)
        if item is None:
            return None
        if item[1] is not None and item[1] <= self._clock():
            del self._data[key]
            return None
        return item

    def _wrote(self) -> None:
        self._writes += 1
        if self._writes % _SWEEP_EVERY == 0:
            now = self._clock()
            for key in [k for k, (_, exp) in self._data.items() if exp is not None and exp <= now]:
                del self._data[key]

    def _expiry(self, ttl_s: float | None) -> float | None:
        return None if ttl_s is None else self._clock() + ttl_s

    async def get(self, key: str) -> str | None:
        item = self._live(key)
        return None if item is None else item[0]

    async def set(self, key: str, value: str, ttl_s: float | None = None) -> None:
        self._data[key] = (value, self._expiry(ttl_s))
        self._wrote()

    async def incr(self, key: str, amount: int = 1, ttl_s: float | None = None) -> int:
        item = self._live(key)
        if item is None:
            value, expiry = amount, self._expiry(ttl_s)
        else:
            try:
                value = int(item[0]) + amount
            except ValueError as exc:
                raise ValueError(f"value at {key!r} is not an integer") from exc
            expiry = item[1]
        self._data[key] = (str(value), expiry)
        self._wrote()
        return value

    async def delete(self, key: str) -> None:
        self._data.pop(key, None)

    async def aclose(self) -> None:
        self._data.clear()
