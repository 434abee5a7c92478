"""The KV Protocol: string keys and values, TTLs in seconds, atomic counters."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from server.backends.errors import BackendUnavailable

__all__ = ["KV", "KVUnavailable"]


class KVUnavailable(BackendUnavailable):
    """The store could not be reached in time; callers degrade (the ResilientKV wrapper does)."""


@runtime_checkable
class KV(Protocol):
    name: str

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, ttl_s: float | None = None) -> None: ...

    async def incr(self, key: str, amount: int = 1, ttl_s: float | None = None) -> int:
        """Add `amount` atomically and return the new value; `ttl_s` applies only when the key is created."""
        ...

    async def delete(self, key: str) -> None: ...

    async def aclose(self) -> None: ...
