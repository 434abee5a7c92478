"""The cost of one rate-limit hit: the sliding window limiter (server/ratelimit.py) on each store, beside
the baseline of what the fixed-window limiter it replaced cost, one atomic counter increment
(KV.incr with a TTL) on the same store.

Run: python benchmarks/ratelimit.py [--quick] [--hits N]
Stores: in-process (limits' MemoryStorage vs MemoryKV), a private redis-server (limits' RedisStorage,
two Lua scripts per hit, vs RedisKV's MULTI), and Upstash's REST API through the local wire server in
front of the same Redis (KVWindows on UpstashKV, vs UpstashKV.incr). Writes benchmarks/results/ratelimit.*
"""

# ruff: noqa: E501  (report text reads better unwrapped)
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import RESULTS, write_report
from server.backends.kv import KV, MemoryKV
from server.backends.rate_windows import (
    KVWindows,
    ResilientWindows,
    WindowStore,
    memory_windows,
    redis_windows,
)
from server.ratelimit import Limit, RateLimiter

__all__ = ["main"]


async def _time(n: int, call: Callable[[int], Awaitable[Any]]) -> dict[str, float]:
    for i in range(min(50, n)):  # warm the connection and the scripts
        await call(i)
    samples = []
    for i in range(n):
        t0 = time.perf_counter()
        await call(i)
        samples.append((time.perf_counter() - t0) * 1e6)
    samples.sort()
    return {
        "p50_us": round(statistics.median(samples), 1),
        "p95_us": round(samples[int(0.95 * (len(samples) - 1))], 1),
    }


async def _compare(name: str, kv: KV, store: WindowStore, hits: int) -> dict[str, Any]:
    limiter = RateLimiter(store, {"utterance": Limit(amount=10**9, window_s=60)})
    users = [uuid.uuid4().hex for _ in range(20)]
    baseline = await _time(hits, lambda i: kv.incr(f"bench:{users[i % 20]}", 1000, ttl_s=61))
    sliding = await _time(hits, lambda i: limiter.hit(users[i % 20], "utterance"))
    return {"store": name, "hits": hits, "fixed_window_incr": baseline, "sliding_window_hit": sliding}


async def _run(hits: int) -> list[dict[str, Any]]:
    from server.backends.kv.redis_kv import RedisKV
    from server.backends.kv.upstash_kv import UpstashKV
    from tests.fakes.upstash_redis import FakeUpstashRedis
    from tests.services.redis import RedisServer

    rows = [await _compare("memory", MemoryKV(), memory_windows(), hits)]
    redis = RedisServer()
    redis.start()
    try:
        kv = RedisKV(redis.url, timeout_s=1.0)
        store = ResilientWindows(redis_windows(redis.url, timeout_s=1.0), name="redis", timeout_s=2.0)
        rows.append(await _compare("redis", kv, store, hits))
        await kv.aclose()
        await store.aclose()
        fake = FakeUpstashRedis(redis.url).start()
        try:
            upstash = UpstashKV(fake.url, fake.token, timeout_s=2.0)
            rows.append(await _compare("upstash (local wire server)", upstash, KVWindows(upstash), hits // 4))
            await upstash.aclose()
        finally:
            fake.close()
    finally:
        redis.close()
    return rows


def _markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Rate limiting: the cost of one hit",
        "",
        "Per hit, median and p95 in microseconds, sequential, one process on the same machine as the store. "
        "Baseline: what the fixed-window limiter cost (one atomic `incr` with a TTL on the KV). "
        "New: `RateLimiter.hit` on a sliding window counter from `limits` (a decision plus a read of the window "
        "for `remaining` / `Retry-After`). "
        f"Machine: {report['machine']}; load average {report['load']} at start (the machine is shared).",
        "",
        "| store | hits | fixed window incr p50 | p95 | sliding window hit p50 | p95 | ratio p50 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in report["rows"]:
        b, s = r["fixed_window_incr"], r["sliding_window_hit"]
        ratio = s["p50_us"] / b["p50_us"] if b["p50_us"] else 0
        lines.append(
            f"| {r['store']} | {r['hits']} | {b['p50_us']} | {b['p95_us']} | {s['p50_us']} | {s['p95_us']} | {ratio:.1f}x |"
        )
    lines += [
        "",
        "Store calls per hit: memory and Redis 2 (Redis: two Lua scripts, each one round trip); Upstash 2 REST "
        "calls (get the previous window's count, incr the current one; the window the limiter reads next is what "
        "they returned), against 1 for the fixed window. An utterance takes 10-25 ms end to end.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="a few hundred hits per store")
    p.add_argument("--hits", type=int, default=None)
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args(argv)
    hits = args.hits or (400 if args.quick else 4000)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load": list(os.getloadavg()),
        "rows": asyncio.run(_run(hits)),
    }
    write_report(args.out, "ratelimit_quick" if args.quick else "ratelimit", report, _markdown(report))
    print(_markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
