"""KV on Upstash Redis through the `upstash-redis` REST client (UPSTASH_REDIS_REST_URL / _TOKEN)."""

from __future__ import annotations

import asyncio
from typing import Any

from server.backends.errors import import_or_explain
from server.backends.kv.base import KVUnavailable

__all__ = ["UpstashKV"]


class UpstashKV:
    name = "upstash-redis"

    def __init__(self, url: str, token: str, *, timeout_s: float = 0.5, prefix: str = "voicelog:") -> None:
        client_mod = import_or_explain(
            "upstash_redis.asyncio", package="upstash-redis", setting="UPSTASH_REDIS_REST_URL"
        )
        self._errors = import_or_explain(
            "upstash_redis.errors", package="upstash-redis", setting="UPSTASH_REDIS_REST_URL"
        )
        # No SDK retries (they sleep seconds): the hot path falls back instead. The SDK has no request
        # timeout of its own (httpx timeout=None), so every call is bounded here.
        self._client = client_mod.Redis(
            url, token, rest_encoding="base64", rest_retries=0, allow_telemetry=False
        )
        self._timeout_s = timeout_s
        self._prefix = prefix

    async def _run(self, coro: Any) -> Any:
        try:
            return await asyncio.wait_for(coro, self._timeout_s)
        except TimeoutError as exc:
            raise KVUnavailable(self.name, "timed out", status="timeout") from exc
        except self._errors.UpstashError as exc:
            if "not an integer" in str(exc):
                raise ValueError(str(exc)) from exc
            raise KVUnavailable(self.name, str(exc)) from exc
        except Exception as exc:  # httpx transport errors, non-JSON 5xx bodies: all mean "not available"
            raise KVUnavailable(self.name, f"{type(exc).__name__}: {exc}") from exc

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
            tx = self._client.multi()
            tx.set(full, "0", px=max(1, int(ttl_s * 1000)), nx=True)
            tx.incrby(full, amount)
            _, value = await tx.exec()
            return int(value)

        return int(await self._run(create_then_add()))

    async def delete(self, key: str) -> None:
        await self._run(self._client.delete(self._prefix + key))

    async def aclose(self) -> None:
        await self._client.close()
