"""Throughput through 1, 2 and 3 `voicelog serve` instances behind HAProxy, on one PostgreSQL and one Redis.

Closed loop: C clients (one lifter and workout each) post turns back to back for D seconds through the
balancer; the report gives utterances per second and p50/p95 latency per level, beside the one-instance
level of the same run. Text turns are `POST .../utterances`; audio turns are `POST .../audio` with a 2.5 s
WAV, transcribed by each instance's own model (`local`) and, as a last level, by one `voicelog stt-worker`
behind one instance (`workers`): the cost of the hop. The machine's core count and load are in the report:
on a box with few cores more instances share the same CPUs, so the levels measure the overhead of running
many instances as much as their gain.

    python benchmarks/scale.py            # 20 s per level, 8 clients
    python benchmarks/scale.py --quick    # 4 s per level, 4 clients (CI)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import RESULTS, write_report  # noqa: E402
from benchmarks.stream_latency import percentile  # noqa: E402
from tests.audio_gen import shared_clips  # noqa: E402
from tests.integration.conftest import LiveServer  # noqa: E402
from tests.integration.scale_cluster import HAProxy, SttWorkerProcess, start_instances  # noqa: E402
from tests.services.postgres import PostgresServer  # noqa: E402
from tests.services.redis import RedisServer  # noqa: E402

__all__ = ["run_level"]

TEXTS = (
    "bench press 185 for 8",
    "same again",
    "barbell squat 225 for 5",
    "make that six",
    "deadlift 315 for 3",
)
SPOKEN = "barbell squat two twenty five for five reps"


async def _client(
    http: httpx.AsyncClient, token: str, workout: str, kind: str, wav: bytes, until: float, out: list[float]
) -> int:
    errors = 0
    headers = {"Authorization": f"Bearer {token}"}
    i = 0
    while time.perf_counter() < until:
        t0 = time.perf_counter()
        if kind == "text":
            r = await http.post(
                f"/v1/workouts/{workout}/utterances", json={"text": TEXTS[i % len(TEXTS)]}, headers=headers
            )
        else:
            r = await http.post(
                f"/v1/workouts/{workout}/audio",
                content=wav,
                headers=headers | {"content-type": "audio/wav"},
            )
        i += 1
        if r.status_code == 201:
            out.append((time.perf_counter() - t0) * 1000)
        else:
            errors += 1
    return errors


async def run_level(
    lb: HAProxy, lifters: list[tuple[str, str]], kind: str, seconds: float, wav: bytes
) -> dict[str, Any]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=len(lifters) * 2)
    async with httpx.AsyncClient(base_url=lb.url, timeout=60, limits=limits) as http:
        started = time.perf_counter()
        until = started + seconds
        errors = await asyncio.gather(
            *(_client(http, token, workout, kind, wav, until, latencies) for token, workout in lifters)
        )
        elapsed = time.perf_counter() - started
    return {
        "utterances": len(latencies),
        "errors": sum(errors),
        "per_s": round(len(latencies) / elapsed, 2),
        "p50_ms": round(percentile(latencies, 50) or 0, 1),
        "p95_ms": round(percentile(latencies, 95) or 0, 1),
    }


def _lifters(server: LiveServer, count: int) -> list[tuple[str, str]]:
    out = []
    for _ in range(count):
        _uid, token = server.create_user()
        r = httpx.post(f"{server.url}/v1/workouts", json={}, headers={"Authorization": f"Bearer {token}"})
        out.append((token, str(r.json()["id"])))
    return out


def _markdown(data: dict[str, Any]) -> str:
    lines = [
        "# Scale-out: throughput through 1, 2, 3 instances",
        "",
        f"{data['cores']} cores, load average before {data['load_before']}; {data['clients']} closed-loop "
        f"clients, {data['seconds']} s per level; PostgreSQL + Redis + HAProxy on the same box.",
        "",
        "| turns | instances | STT | utterances/s | × one instance | p50 ms | p95 ms | errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in data["levels"]:
        base = next(
            r
            for r in data["levels"]
            if r["kind"] == row["kind"] and r["instances"] == 1 and r["stt"] == "local"
        )
        ratio = row["per_s"] / base["per_s"] if base["per_s"] else 0
        lines.append(
            f"| {row['kind']} | {row['instances']} | {row['stt']} | {row['per_s']} | {ratio:.2f} | "
            f"{row['p50_ms']} | {row['p95_ms']} | {row['errors']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    seconds, clients = (4.0, 4) if args.quick else (20.0, 8)
    wav = shared_clips().clip(SPOKEN, trail_s=0.3).read_bytes()
    root = Path(tempfile.mkdtemp(prefix="voicelog-scale-"))
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    levels: list[dict[str, Any]] = []
    with PostgresServer() as pg:
        redis = RedisServer()
        redis.start()
        try:
            url = pg.create_database()
            env = {
                "VOICELOG_RATE_LIMIT_UTTERANCES_PER_MINUTE": "0",
                "VOICELOG_RATE_LIMIT_AUDIO_S_PER_MINUTE": "0",
            }
            instances = start_instances(3, url, redis.url, root / "local", env)
            try:
                lifters = _lifters(instances[0], clients)
                for count in (1, 2, 3):
                    (root / f"lb{count}").mkdir(exist_ok=True)
                    lb = HAProxy(instances[:count], root / f"lb{count}")
                    lb.start()
                    try:
                        for kind in ("text", "audio"):
                            row = asyncio.run(run_level(lb, lifters, kind, seconds, wav))
                            levels.append({"kind": kind, "instances": count, "stt": "local", **row})
                            print(levels[-1], flush=True)
                    finally:
                        lb.stop()
            finally:
                for s in instances:
                    s.stop()
            # the hop: one instance whose speech goes to one worker through Redis Streams
            worker = SttWorkerProcess("bench", url, redis.url, root, {})
            worker.start()
            try:
                (hop,) = start_instances(
                    1, url, redis.url, root / "workers", env | {"VOICELOG_STT_MODE": "workers"}
                )
                try:
                    (root / "lbw").mkdir(exist_ok=True)
                    lb = HAProxy([hop], root / "lbw")
                    lb.start()
                    try:
                        row = asyncio.run(run_level(lb, lifters, "audio", seconds, wav))
                        levels.append({"kind": "audio", "instances": 1, "stt": "workers (1)", **row})
                        print(levels[-1], flush=True)
                    finally:
                        lb.stop()
                finally:
                    hop.stop()
            finally:
                worker.stop()
        finally:
            redis.close()
    data = {
        "cores": os.cpu_count(),
        "load_before": load_before,
        "clients": clients,
        "seconds": seconds,
        "quick": args.quick,
        "levels": levels,
    }
    stem = "scale_quick" if args.quick else "scale"
    write_report(args.out, stem, data, _markdown(data))
    print(_markdown(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
