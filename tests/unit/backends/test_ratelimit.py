"""Per-user limits: the budget, the Retry-After, refused hits adding nothing, no double burst at a window's
edge, isolation, outages. On both in-process stores: `limits`' MemoryStorage and the KV adapter (Upstash's
path), with time under the test's control."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator

import limits.aio.storage.memory as limits_memory
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.backends.kv import KVUnavailable, MemoryKV
from server.backends.rate_windows import KVWindows, ResilientWindows, WindowStore
from server.ratelimit import Limit, RateLimited, RateLimiter, enforce, retry_after_s

__all__: list[str] = []

_WINDOW = 60
_START = 60 * 16_667 + 20.0  # 20 s into a 60 s window


class Clock:
    """Wall-clock time as the stores read it; `time()` so it can stand in for the `time` module."""

    def __init__(self, now: float = _START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    clock = Clock()
    # limits' MemoryStorage reads time.time() through its module's `time`: the test's clock stands in.
    monkeypatch.setattr(limits_memory, "time", clock)
    yield clock


Store = Callable[[Clock], WindowStore]
_STORES: dict[str, Store] = {
    "limits-memory": lambda _: limits_memory.MemoryStorage(),
    "kv-windows": lambda clock: KVWindows(MemoryKV(clock=clock), clock=clock),
}


@pytest.fixture(params=sorted(_STORES))
def store(request: pytest.FixtureRequest, clock: Clock) -> WindowStore:
    return _STORES[request.param](clock)


def limiter(store: WindowStore | MemoryKV, utterances: float = 3, audio: float = 10) -> RateLimiter:
    return RateLimiter(
        store,
        {
            "utterance": Limit(amount=utterances, window_s=_WINDOW),
            "audio_s": Limit(amount=audio, window_s=_WINDOW),
        },
    )


async def test_allows_the_budget_then_refuses_with_a_retry_after_that_works(
    store: WindowStore, clock: Clock
) -> None:
    rl = limiter(store)
    decisions = [await rl.hit("u1", "utterance") for _ in range(3)]
    assert all(d.allowed for d in decisions)
    assert [d.remaining for d in decisions] == [2, 1, 0]
    refused = await rl.hit("u1", "utterance")
    assert not refused.allowed
    # the first hit fits once this window is the previous one and a third of it has decayed: 40 + 20 s
    assert refused.retry_after_s == pytest.approx(60.0, abs=0.01)
    assert refused.retry_after_header == "60"
    clock.now += refused.retry_after_s - 1
    assert not (await rl.hit("u1", "utterance")).allowed
    clock.now += 1.01
    assert (await rl.hit("u1", "utterance")).allowed


async def test_refused_hits_add_nothing_and_do_not_push_retry_after(store: WindowStore, clock: Clock) -> None:
    rl = limiter(store, utterances=2)
    await rl.hit("u", "utterance")
    await rl.hit("u", "utterance")
    first = await rl.hit("u", "utterance")
    for _ in range(20):
        again = await rl.hit("u", "utterance")
        assert not again.allowed and again.retry_after_s == first.retry_after_s
    clock.now += first.retry_after_s + 0.01
    assert (await rl.hit("u", "utterance")).allowed


async def test_no_double_burst_at_a_window_edge(store: WindowStore, clock: Clock) -> None:
    """The property fixed windows fail: a budget spent just before the edge is still spent just after."""
    rl = limiter(store, utterances=10)
    clock.now = math.floor(clock.now / _WINDOW) * _WINDOW + _WINDOW - 0.5  # half a second before the edge
    assert all([(await rl.hit("u", "utterance")).allowed for _ in range(10)])
    clock.now += 1.0  # half a second after it: a fixed window would allow ten more here
    after_edge = [(await rl.hit("u", "utterance")).allowed for _ in range(10)]
    assert after_edge.count(True) == 0
    clock.now += _WINDOW / 2  # half a window on, about half the budget is back, not all of it
    half = [(await rl.hit("u", "utterance")).allowed for _ in range(10)]
    assert 4 <= half.count(True) <= 5


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(sorted(_STORES)),
    offset=st.one_of(st.floats(_WINDOW - 2.0, _WINDOW - 0.001), st.floats(0.0, _WINDOW - 0.001)),
    gaps=st.lists(
        st.one_of(st.just(0.0), st.floats(0.0, 2.0), st.floats(0.0, 20.0)), min_size=1, max_size=40
    ),
)
async def test_after_a_full_burst_the_budget_comes_back_no_faster_than_the_window(
    kind: str, offset: float, gaps: list[float]
) -> None:
    """Whenever a burst spends the budget, at most budget * d / window more pass in the next d seconds."""
    clock = Clock(_START - 20 + offset)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(limits_memory, "time", clock)
        rl = limiter(_STORES[kind](clock), utterances=10)
        assert all([(await rl.hit("u", "utterance")).allowed for _ in range(10)])
        burst_at, admitted = clock.now, 0
        for gap in gaps:
            clock.now += gap
            admitted += (await rl.hit("u", "utterance")).allowed
            elapsed = clock.now - burst_at
            assert admitted <= 10 * elapsed / _WINDOW + 1, (admitted, elapsed)


async def test_audio_seconds_are_counted_fractionally(store: WindowStore) -> None:
    rl = limiter(store, audio=10)
    assert (await rl.hit("u", "audio_s", 4.25)).allowed
    d = await rl.hit("u", "audio_s", 5.5)
    assert d.allowed and d.remaining == pytest.approx(0.25)
    assert not (await rl.hit("u", "audio_s", 0.3)).allowed
    assert (await rl.hit("u", "audio_s", 0.25)).allowed


async def test_a_hit_larger_than_the_window_says_wait_a_whole_window(store: WindowStore) -> None:
    d = await limiter(store, audio=10).hit("u", "audio_s", 11)
    assert not d.allowed and d.retry_after_s == 60


async def test_users_and_kinds_have_separate_budgets(store: WindowStore) -> None:
    rl = limiter(store, utterances=1, audio=1)
    assert (await rl.hit("a", "utterance")).allowed
    assert not (await rl.hit("a", "utterance")).allowed
    assert (await rl.hit("b", "utterance")).allowed
    assert (await rl.hit("a", "audio_s", 1)).allowed


async def test_zero_or_unknown_limits_allow_everything(store: WindowStore) -> None:
    rl = limiter(store, utterances=0)
    assert all([(await rl.hit("u", "utterance")).allowed for _ in range(50)])
    assert (await rl.hit("u", "something-else", 99)).allowed


async def test_negative_cost_is_refused_as_a_bug(store: WindowStore) -> None:
    with pytest.raises(ValueError):
        await limiter(store).hit("u", "audio_s", -1)


def test_retry_after_arithmetic() -> None:
    # 1,000 units spent in the previous window, which still weighs for 30 of its 60 s: 500 count now.
    # A hit of 600 in a budget of 1,000 needs the weight down to 400: 6 s more.
    assert retry_after_s((1000, 30.0, 0, 90.0), limit=1000, window_s=60, cost=600) == pytest.approx(6.0)
    # This window already holds 800: a hit of 300 waits for its end (30 s), then for 800 to decay to 700.
    assert retry_after_s((0, 0.0, 800, 90.0), limit=1000, window_s=60, cost=300) == pytest.approx(37.5)
    assert retry_after_s((0, 0.0, 0, 0.0), limit=1000, window_s=60, cost=1001) == 60.0


class DownKV(MemoryKV):
    async def get(self, key: str) -> str | None:
        raise KVUnavailable("redis", "connection refused")

    async def incr(self, key: str, amount: int = 1, ttl_s: float | None = None) -> int:
        raise KVUnavailable("redis", "connection refused")


async def test_a_store_outage_never_refuses() -> None:
    rl = limiter(DownKV(), utterances=1)
    assert all([(await rl.hit("u", "utterance")).allowed for _ in range(5)])


class BrokenStore:
    def __init__(self) -> None:
        self.calls = 0

    async def acquire_sliding_window_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        self.calls += 1
        raise ConnectionError("redis is down")

    async def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        self.calls += 1
        raise ConnectionError("redis is down")


async def test_a_failing_remote_store_is_replaced_by_a_local_one_for_a_while(
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken = BrokenStore()
    rl = limiter(ResilientWindows(broken, name="redis", cooldown_s=30), utterances=2)
    with caplog.at_level(logging.WARNING, logger="server.backends.rate_windows"):
        decisions = [(await rl.hit("u", "utterance")).allowed for _ in range(4)]
    assert decisions == [True, True, False, False]  # per process while the store is down, still limited
    assert broken.calls == 1  # one failure, then the cooldown: no slow call per hit
    assert len([r for r in caplog.records if "unavailable" in r.getMessage()]) == 1


async def test_enforce_raises_the_contract_error(store: WindowStore) -> None:
    rl = limiter(store, utterances=1)
    await enforce(rl, "u", "utterance")
    with pytest.raises(RateLimited) as info:
        await enforce(rl, "u", "utterance")
    assert info.value.status == 429 and info.value.code == "rate_limited"
    # One hit at 20 s into the window: the counter takes it as spread over the window, so it is gone
    # only when the next window has passed too, 100 s on (a budget of one is the worst case of this).
    assert info.value.headers == {"Retry-After": "100"}
    await enforce(None, "u", "utterance")  # no limiter configured: nothing to enforce


def test_a_plain_kv_is_driven_through_the_kv_adapter() -> None:
    assert isinstance(limiter(MemoryKV()).store, KVWindows)
