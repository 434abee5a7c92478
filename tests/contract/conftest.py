"""Fixtures for the contract suites: every backend of a Protocol, each against a real service or wire."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from server.backends.kv import KV, MemoryKV
from server.backends.kv.redis_kv import RedisKV
from server.backends.kv.upstash_kv import UpstashKV
from tests.fakes.upstash_redis import FakeUpstashRedis
from tests.services.redis import redis_server, redis_url  # noqa: F401  (fixtures)

__all__: list[str] = []


@pytest.fixture
def fake_upstash_redis(redis_url: str) -> Iterator[FakeUpstashRedis]:  # noqa: F811
    server = FakeUpstashRedis(redis_url).start()
    yield server
    server.close()


@pytest.fixture(params=["memory", "redis", "upstash"])
async def kv(request: pytest.FixtureRequest) -> AsyncIterator[KV]:
    store: KV
    if request.param == "memory":
        store = MemoryKV()
    elif request.param == "redis":
        store = RedisKV(request.getfixturevalue("redis_url"), timeout_s=2.0)
    else:
        fake = request.getfixturevalue("fake_upstash_redis")
        store = UpstashKV(fake.url, fake.token, timeout_s=2.0)
    yield store
    await store.aclose()
