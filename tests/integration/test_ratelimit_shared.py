"""Rate limits shared across server instances: two limiters, each with its own client, on one real
redis-server (`limits`' Redis storage, as VOICELOG_REDIS_URL builds it) and on Upstash's REST API (the KV
adapter over UpstashKV, through a local server speaking Upstash's wire format in front of the same Redis).
Real time here: the window is short and what is asserted is measured, not assumed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from server.backends.factory import build_rate_windows
from server.backends.kv import MemoryKV, ResilientKV
from server.backends.kv.upstash_kv import UpstashKV
from server.backends.rate_windows import KVWindows, ResilientWindows, WindowStore, redis_windows
from server.ratelimit import Limit, RateLimiter
from server.settings import Settings
from tests.fakes.upstash_redis import FakeUpstashRedis
from tests.services.redis import RedisServer, redis_server, redis_url  # noqa: F401  (fixtures)

__all__: list[str] = []

pytestmark = pytest.mark.redis


@pytest.fixture
def upstash(redis_url: str) -> Iterator[FakeUpstashRedis]:  # noqa: F811
    fake = FakeUpstashRedis(redis_url).start()
    yield fake
    fake.close()


Instance = Callable[[], WindowStore]


@pytest.fixture(params=["redis", "upstash"])
async def instances(request: pytest.FixtureRequest, redis_url: str) -> AsyncIterator[Instance]:  # noqa: F811
    """Makes the window store a fresh server instance would build (each its own client)."""
    made: list[object] = []

    def make() -> WindowStore:
        store: WindowStore
        if request.param == "redis":
            store = ResilientWindows(redis_windows(redis_url, timeout_s=1.0), name="redis", timeout_s=2.0)
        else:
            fake = request.getfixturevalue("upstash")
            kv = ResilientKV(UpstashKV(fake.url, fake.token, timeout_s=2.0))
            made.append(kv)
            store = KVWindows(kv)
        made.append(store)
        return store

    yield make
    for thing in made:
        closer = getattr(thing, "aclose", None)
        if closer is not None:
            await closer()


def _limiter(store: WindowStore, amount: float, window_s: int = 60) -> RateLimiter:
    return RateLimiter(store, {"utterance": Limit(amount=amount, window_s=window_s)})


async def test_two_instances_share_one_budget(instances: Instance) -> None:
    a, b = _limiter(instances(), 5), _limiter(instances(), 5)
    decisions = [await (a if i % 2 else b).hit("u", "utterance") for i in range(5)]
    assert all(d.allowed for d in decisions)
    assert [d.remaining for d in decisions] == [4, 3, 2, 1, 0]
    for limiter in (a, b):  # the sixth is refused whichever instance it reaches
        refused = await limiter.hit("u", "utterance")
        assert not refused.allowed
        # the budget was spent just now: it comes back over the next window, never sooner than a fifth
        assert 0.2 * 60 <= refused.retry_after_s <= 2 * 60
        assert 12 <= int(refused.retry_after_header) <= 120
    assert (await a.hit("someone-else", "utterance")).allowed


async def test_concurrent_hits_on_two_instances_never_pass_the_budget(instances: Instance) -> None:
    a, b = _limiter(instances(), 20), _limiter(instances(), 20)
    decisions = await asyncio.gather(*((a, b)[i % 2].hit("u", "utterance") for i in range(60)))
    allowed = sum(d.allowed for d in decisions)
    assert allowed <= 20
    assert allowed >= 18  # the KV adapter may refuse a racing hit that would have fitted; not many


async def test_no_double_burst_at_the_edge_across_instances(instances: Instance) -> None:
    window, budget = 2, 10
    a, b = _limiter(instances(), budget, window), _limiter(instances(), budget, window)
    assert (await a.hit("u", "utterance")).allowed
    # where the current window ends, in the store's own terms (Redis anchors it at the first hit)
    _, _, _, current_ttl = await a.store.get_sliding_window("utterance:u", window)
    edge = time.monotonic() + (current_ttl - window)
    await asyncio.sleep(max(0.0, edge - time.monotonic() - 0.25))
    burst = [await a.hit("u", "utterance") for _ in range(budget - 1)]
    assert all(d.allowed for d in burst)
    burst_at = time.monotonic()
    await asyncio.sleep(max(0.0, edge - time.monotonic() + 0.1))  # just past the edge, on the other instance
    admitted = sum([(await b.hit("u", "utterance")).allowed for _ in range(budget)])
    elapsed = time.monotonic() - burst_at
    assert elapsed > 0.1
    # a fixed window would admit all ten here; the sliding one what has decayed since the burst
    assert admitted <= budget * elapsed / window + 1, (admitted, elapsed)


async def test_redis_down_limits_per_process_and_answers_fast() -> None:
    own = RedisServer()
    own.start()
    try:
        store = ResilientWindows(redis_windows(own.url, timeout_s=0.2), name="redis", timeout_s=0.4)
        limiter = _limiter(store, 2)
        assert (await limiter.hit("u", "utterance")).allowed
        own.stop()
        started = time.monotonic()
        decisions = [(await limiter.hit("u", "utterance")).allowed for _ in range(4)]
        assert time.monotonic() - started < 2.0  # one timed-out call, then the local store
        assert decisions == [True, True, False, False]
        await store.aclose()
    finally:
        own.close()


def test_the_factory_picks_the_store_from_settings(redis_url: str, tmp_path: Path) -> None:  # noqa: F811
    from limits.aio.storage import MemoryStorage

    def pick(**env: str) -> object:
        settings = Settings(data_dir=tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path}/v.db", **env)
        return build_rate_windows(settings, MemoryKV())

    assert isinstance(pick(redis_url=redis_url), ResilientWindows)
    assert isinstance(
        pick(upstash_redis_rest_url="http://127.0.0.1:1", upstash_redis_rest_token="t"), KVWindows
    )
    assert isinstance(pick(), MemoryStorage)
