"""KV on a Redis server through redis-py's asyncio client (VOICELOG_REDIS_URL)."""

from __future__ import annotations

import asyncio
from typing import Any

from server.backends.errors import import_or_explain
from server.backends.kv.base import KVUnavailable

__all__ = ["RedisKV"]


class RedisKV:
    name = "redis"

    def __init__(self, url: str, *, timeout_s: float = 0.25, prefix: str = "voicelog:") -> None:
        redis_asyncio = import_or_explain("redis.asyncio", package="redis", setting="VOICELOG_REDIS_URL")
        self._exceptions = import_or_explain(
            "redis.exceptions", package="redis", setting="VOICELOG_REDIS_URL"
        )
        # Short socket timeouts: the cache and limits sit on the hot path, a hung server must not stall it.
        self._client = redis_asyncio.Redis.from_url(
            url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s, decode_responses=True
        )
        self._timeout_s = timeout_s
        self._prefix = prefix

    async def _run(self, coro: Any) -> Any:
        try:
            return await asyncio.wait_for(coro, self._timeout_s * 2)
        except self._exceptions.ResponseError as exc:
            if "not an integer" in str(exc):
                raise ValueError(str(exc)) from exc
            raise KVUnavailable(self.name, str(exc)) from exc
        except (self._exceptions.RedisError, OSError) as exc:
            raise KVUnavailable(self.name, f"{type(exc).__name__}: {exc}") from exc
        except TimeoutError as exc:
            raise KVUnavailable(self.name, "timed out", status="timeout") from exc

    async def get(self, key: str) -> str | None:
        value = await self._run(self._client.get(self._prefix + key))
        return None if value is None else str(value)

    async def set(self, key: str, value: str, ttl_s: float | None = None) -> None:
        px = None if ttl_s is None else max(1, int(ttl_s * 1000))
        await self._run(self._client.set(self._prefix + key, value, px=px))

    async def incr(self, key: str, amount: int = 1, ttl_s: float | None = None) -> int:
        full = self._prefix + key
        if ttl_s is None:
            return int(await self._run(self._client.incrby(full, amount)))

        async def create_then_add() -> int:
            # SET NX PX + INCRBY in one MULTI: the TTL is set exactly once, when the window's key is born.
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.set(full, 0, px=max(1, int(ttl_s * 1000)), nx=True)
                pipe.incrby(full, amount)
                _, value = await pipe.execute()
            return int(value)

        return int(await self._run(create_then_add()))

    async def delete(self, key: str) -> None:
        await self._run(self._client.delete(self._prefix + key))

    async def aclose(self) -> None:
        await self._client.aclose()
