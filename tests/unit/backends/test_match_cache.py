"""The match cache: hits by normalized phrase, TTL, and invalidation when aliases change."""

from __future__ import annotations

import asyncio

from matcher.index import SearchHit
from server.backends.kv import MemoryKV
from server.backends.match_cache import MatchCache, alias_data_version

__all__: list[str] = []

HITS = [SearchHit(id="Barbell_Squat", score=0.9), SearchHit(id="Front_Barbell_Squat", score=0.4)]


async def test_round_trip_and_miss() -> None:
    cache = MatchCache(MemoryKV(), backend="upstash-search")
    assert await cache.get("squat") is None
    await cache.put("squat", HITS)
    assert await cache.get("squat") == HITS
    assert await cache.get("front squat") is None


async def test_entries_expire() -> None:
    cache = MatchCache(MemoryKV(), backend="b", ttl_s=0.05)
    await cache.put("squat", HITS)
    await asyncio.sleep(0.1)
    assert await cache.get("squat") is None


async def test_new_alias_data_version_misses_old_entries() -> None:
    kv = MemoryKV()
    await MatchCache(kv, backend="b", version="v1").put("squat", HITS)
    assert await MatchCache(kv, backend="b", version="v1").get("squat") == HITS
    assert await MatchCache(kv, backend="b", version="v2").get("squat") is None
    assert await MatchCache(kv, backend="other", version="v1").get("squat") is None


async def test_invalidate_reaches_other_instances() -> None:
    kv = MemoryKV()
    here, there = MatchCache(kv, backend="b", version="v"), MatchCache(kv, backend="b", version="v")
    await here.put("squat", HITS)
    assert await there.get("squat") == HITS
    await here.invalidate()
    assert await here.get("squat") is None
    there._generation_read = float("-inf")  # the other instance's memo ran out (it lasts seconds)
    assert await there.get("squat") is None


async def test_long_phrases_and_garbage_entries() -> None:
    kv = MemoryKV()
    cache = MatchCache(kv, backend="b", version="v")
    long_phrase = "incline " * 40
    await cache.put(long_phrase, HITS)
    assert await cache.get(long_phrase) == HITS
    await kv.set("match:b:v:0:bench", "[{not json")
    assert await cache.get("bench") is None


def test_alias_version_is_stable_and_short() -> None:
    assert alias_data_version() == alias_data_version()
    assert len(alias_data_version()) == 12
