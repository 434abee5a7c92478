"""Session resume across instances, over each KV: two separate clients (as two server instances
would hold) on one store; the second resumes what the first saved."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from models.parsed import ExerciseRef, ParsedSet
from server.backends.kv import KV, MemoryKV
from server.backends.kv.redis_kv import RedisKV
from server.backends.kv.upstash_kv import UpstashKV
from server.session_store import SessionStore

__all__: list[str] = []


@pytest.fixture(params=["memory", "redis", "upstash"])
async def kv_pair(request: pytest.FixtureRequest) -> AsyncIterator[tuple[KV, KV]]:
    pair: tuple[KV, KV]
    if request.param == "memory":
        shared = MemoryKV()  # one process: both "instances" hold the same store
        pair = (shared, shared)
    elif request.param == "redis":
        url = request.getfixturevalue("redis_url")
        pair = (RedisKV(url, timeout_s=2.0), RedisKV(url, timeout_s=2.0))
    else:
        fake = request.getfixturevalue("fake_upstash_redis")
        pair = (
            UpstashKV(fake.url, fake.token, timeout_s=2.0),
            UpstashKV(fake.url, fake.token, timeout_s=2.0),
        )
    yield pair
    for kv in {id(k): k for k in pair}.values():
        await kv.aclose()


async def test_second_instance_resumes_the_first_ones_session(kv_pair: tuple[KV, KV]) -> None:
    first, second = SessionStore(kv_pair[0]), SessionStore(kv_pair[1])
    ctx = first.start("alice", "w1", unit="kg")
    bench = ParsedSet(
        intent="log_set",
        exercise=ExerciseRef(
            id="Barbell_Bench_Press_-_Medium_Grip", name="Barbell Bench Press - Medium Grip"
        ),
        reps=5,
        weight=80.0,
        unit="kg",
        confidence=0.93,
    )
    await first.record(ctx, bench, voice_command_id="vc-9", set_ids=["s-9"])
    resumed = await second.load(ctx.session_id, "alice", "w1")
    assert resumed is not None
    assert (resumed.unit, resumed.last, resumed.last_set_ids) == ("kg", bench, ["s-9"])
    assert await second.load(ctx.session_id, "bob", "w1") is None
    await second.drop(ctx.session_id)
    assert await first.load(ctx.session_id, "alice") is None
