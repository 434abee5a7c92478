"""One KV contract, run against the in-process store, a real redis-server and Upstash's REST wire."""

from __future__ import annotations

import asyncio

import pytest

from server.backends.kv import KV

__all__: list[str] = []


async def test_missing_key_is_none(kv: KV) -> None:
    assert await kv.get("nope") is None


async def test_set_then_get_round_trips_text(kv: KV) -> None:
    value = '{"exercise": "Barbell_Squat", "note": "ünïcode ✓", "n": 1}'
    await kv.set("match:v1:squat", value)
    assert await kv.get("match:v1:squat") == value


async def test_value_that_looks_like_a_status_survives(kv: KV) -> None:
    # Upstash leaves the status "OK" unencoded in base64 mode; stored text must still round-trip.
    await kv.set("k", "OK")
    assert await kv.get("k") == "OK"
    await kv.set("k2", "")
    assert await kv.get("k2") == ""


async def test_set_overwrites(kv: KV) -> None:
    await kv.set("k", "a")
    await kv.set("k", "b")
    assert await kv.get("k") == "b"


async def test_ttl_expires(kv: KV) -> None:
    await kv.set("short", "x", ttl_s=0.15)
    await kv.set("long", "y", ttl_s=30)
    assert await kv.get("short") == "x"
    await asyncio.sleep(0.3)
    assert await kv.get("short") is None
    assert await kv.get("long") == "y"


async def test_delete(kv: KV) -> None:
    await kv.set("k", "v")
    await kv.delete("k")
    await kv.delete("never-there")
    assert await kv.get("k") is None


async def test_incr_counts_from_zero(kv: KV) -> None:
    assert await kv.incr("c") == 1
    assert await kv.incr("c", 5) == 6
    assert await kv.incr("c", -2) == 4
    assert await kv.get("c") == "4"


async def test_incr_ttl_is_set_once_when_created(kv: KV) -> None:
    assert await kv.incr("w", 3, ttl_s=0.3) == 3
    await asyncio.sleep(0.15)
    # a later incr must not push the expiry out: the window ends when it was created + ttl
    assert await kv.incr("w", 1, ttl_s=0.3) == 4
    await asyncio.sleep(0.25)
    assert await kv.get("w") is None
    assert await kv.incr("w", 1, ttl_s=0.3) == 1


async def test_incr_is_atomic_under_concurrency(kv: KV) -> None:
    results = await asyncio.gather(*(kv.incr("hits", 1, ttl_s=10) for _ in range(40)))
    assert sorted(results) == list(range(1, 41))


async def test_incr_on_text_is_a_value_error(kv: KV) -> None:
    await kv.set("t", "not a number")
    with pytest.raises(ValueError):
        await kv.incr("t")
    assert await kv.get("t") == "not a number"
