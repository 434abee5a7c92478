"""Readiness for a load balancer: the database, Redis and speech-to-text, each checked within a second.

Any check `down` (or the instance draining for shutdown) makes `/health` answer 503, so the balancer takes
the instance out of the pool while the others serve. A part that is not configured (`off`) is no failure.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import text

__all__ = ["CHECK_TIMEOUT_S", "readiness"]

log = logging.getLogger("voicelog.health")

CHECK_TIMEOUT_S = 1.0


async def _bounded(name: str, check: Any) -> str:
    try:
        return str(await asyncio.wait_for(check, CHECK_TIMEOUT_S))
    except Exception as exc:
        log.warning("health: %s is down: %s: %s", name, type(exc).__name__, exc)
        return "down"


async def _database(services: Any) -> str:
    async with services.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return "ok"


async def _redis(services: Any) -> str:
    if not services.settings.redis_url:
        return "off"
    kv = getattr(services.kv, "primary", services.kv)  # past the in-process fallback: the server itself
    await kv.get("health")
    return "ok"


async def _stt(services: Any) -> str:
    transcriber = services.transcriber
    if transcriber is None:
        return "off"
    ready = getattr(transcriber, "ready", None)
    if ready is None:
        return "ok"  # a local model: loaded at start-up, or the instance would not be up
    return "ok" if await ready() else "down"


async def readiness(services: Any) -> tuple[str, dict[str, str]]:
    """(`ok` | `unavailable` | `draining`, {part: `ok` | `off` | `down`})."""
    names = ("database", "redis", "stt")
    results = await asyncio.gather(
        _bounded("database", _database(services)),
        _bounded("redis", _redis(services)),
        _bounded("stt", _stt(services)),
    )
    checks = dict(zip(names, results, strict=True))
    drain = getattr(services, "drain", None)
    if drain is not None and drain.draining:
        return "draining", checks
    return ("unavailable" if "down" in results else "ok"), checks
