"""Per-user limits: the budget, the Retry-After, refused hits given back, windows, isolation, outages."""

from __future__ import annotations

import pytest

from server.backends.kv import KVUnavailable, MemoryKV
from server.ratelimit import Limit, RateLimited, RateLimiter, enforce

__all__: list[str] = []


class Clock:
    def __init__(self, now: float = 60 * 16_667 + 20.0) -> None:  # 20 s into a 60 s window
        self.now = now

    def __call__(self) -> float:
        return self.now


def limiter(clock: Clock, kv: object | None = None, utterances: float = 3, audio: float = 10) -> RateLimiter:
    return RateLimiter(
        kv or MemoryKV(),  # type: ignore[arg-type]
        {"utterance": Limit(amount=utterances, window_s=60), "audio_s": Limit(amount=audio, window_s=60)},
        clock=clock,
    )


async def test_allows_the_budget_then_refuses_until_the_window_ends() -> None:
    clock = Clock()
    rl = limiter(clock)
    decisions = [await rl.hit("u1", "utterance") for _ in range(3)]
    assert all(d.allowed for d in decisions)
    assert [d.remaining for d in decisions] == [2, 1, 0]
    refused = await rl.hit("u1", "utterance")
    assert not refused.allowed
    assert refused.retry_after_s == pytest.approx(40.0)
    assert refused.retry_after_header == "40"
    clock.now += 40.01
    assert (await rl.hit("u1", "utterance")).allowed


async def test_refused_hits_are_given_back() -> None:
    clock = Clock()
    rl = limiter(clock, utterances=2)
    await rl.hit("u", "utterance")
    await rl.hit("u", "utterance")
    for _ in range(20):
        assert not (await rl.hit("u", "utterance")).allowed
    clock.now += 60
    assert [(await rl.hit("u", "utterance")).allowed for _ in range(3)] == [True, True, False]


async def test_audio_seconds_are_counted_fractionally() -> None:
    rl = limiter(Clock(), audio=10)
    assert (await rl.hit("u", "audio_s", 4.25)).allowed
    d = await rl.hit("u", "audio_s", 5.5)
    assert d.allowed and d.remaining == pytest.approx(0.25)
    assert not (await rl.hit("u", "audio_s", 0.3)).allowed
    assert (await rl.hit("u", "audio_s", 0.25)).allowed


async def test_a_hit_larger_than_the_window_says_wait_a_whole_window() -> None:
    d = await limiter(Clock(), audio=10).hit("u", "audio_s", 11)
    assert not d.allowed and d.retry_after_s == 60


async def test_users_and_kinds_have_separate_budgets() -> None:
    rl = limiter(Clock(), utterances=1, audio=1)
    assert (await rl.hit("a", "utterance")).allowed
    assert not (await rl.hit("a", "utterance")).allowed
    assert (await rl.hit("b", "utterance")).allowed
    assert (await rl.hit("a", "audio_s", 1)).allowed


async def test_zero_or_unknown_limits_allow_everything() -> None:
    rl = limiter(Clock(), utterances=0)
    assert all([(await rl.hit("u", "utterance")).allowed for _ in range(50)])
    assert (await rl.hit("u", "something-else", 99)).allowed


async def test_negative_cost_is_refused_as_a_bug() -> None:
    with pytest.raises(ValueError):
        await limiter(Clock()).hit("u", "audio_s", -1)


class DownKV(MemoryKV):
    async def incr(self, key: str, amount: int = 1, ttl_s: float | None = None) -> int:
        raise KVUnavailable("redis", "connection refused")


async def test_a_store_outage_never_refuses() -> None:
    rl = limiter(Clock(), kv=DownKV(), utterances=1)
    assert all([(await rl.hit("u", "utterance")).allowed for _ in range(5)])


async def test_enforce_raises_the_contract_error() -> None:
    rl = limiter(Clock(), utterances=1)
    await enforce(rl, "u", "utterance")
    with pytest.raises(RateLimited) as info:
        await enforce(rl, "u", "utterance")
    assert info.value.status == 429 and info.value.code == "rate_limited"
    assert info.value.headers == {"Retry-After": "40"}
    await enforce(None, "u", "utterance")  # no limiter configured: nothing to enforce
