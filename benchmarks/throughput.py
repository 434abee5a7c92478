"""Utterances per second through `POST /v1/workouts/{id}/utterances`, on SQLite and on PostgreSQL.

Run: python benchmarks/throughput.py [--seconds 8] [--repeats 3] [--concurrency 1 8 32] [--out DIR]
     python benchmarks/throughput.py --sqlite-synchronous FULL NORMAL   (the cost of power-cut durability,
     SQLite only, written to throughput_synchronous.md/json beside the main report)

Each database gets a real `voicelog serve` (one uvicorn worker) on a fresh database; PostgreSQL is a
private cluster (tests/services/postgres.py) with its default durability (fsync and synchronous commit
on). Clients are asyncio tasks, each with its own user and workout, saying generated sets back to back.
Baseline, in the same run against the same server: `POST /v1/parse`, the same understanding work with
no database, so the difference is what persistence (one transaction per utterance) costs.
Speed is the best of `--repeats` runs (the minimum is the least disturbed by other load on the machine).
"""

# ruff: noqa: E501  (report text reads better unwrapped)
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

__all__ = ["main", "utterances"]

# Generated, not taken from any evaluation set: exercise phrases × loads × reps.
_EXERCISES = [
    "barbell squat",
    "deadlift",
    "seated cable rows",
    "barbell bench press",
    "leg press",
    "dumbbell curls",
    "lat pulldown",
    "overhead press",
]


def utterances(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        ex = rng.choice(_EXERCISES)
        weight = rng.randrange(45, 400, 5)
        reps = rng.randint(3, 15)
        shape = rng.randrange(3)
        if shape == 0:
            out.append(f"{ex} {weight} for {reps}")
        elif shape == 1:
            out.append(f"{ex} {rng.randint(2, 5)} sets of {reps} at {weight} pounds")
        else:
            out.append(f"{ex} {weight} pounds {reps} reps at rpe {rng.choice([7, 7.5, 8, 8.5, 9])}")
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, database_url: str, data_dir: Path, env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("VOICELOG_", "UPSTASH_", "OPENAI_"))
        }
        self.env |= {
            "VOICELOG_DATA_DIR": str(data_dir),
            "VOICELOG_DATABASE_URL": database_url,
            # The benchmark measures the server, not its abuse limits.
            "VOICELOG_RATE_LIMIT_UTTERANCES_PER_MINUTE": "0",
            **(env or {}),
        }
        self.log = data_dir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "serve", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            print(f"server exited ({self.proc.returncode}):\n{self.log.read_text()[-3000:]}", file=sys.stderr)
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(30)

    def users(self, prefix: str, n: int) -> list[str]:
        """Tokens for n new users, made straight in the server's database (the CLI would cost n imports)."""
        from server.db import create_engine, create_sessionmaker
        from server.store.users import create_user

        async def run() -> list[str]:
            engine = create_engine(self.database_url)
            try:
                sessions = create_sessionmaker(engine)
                return [(await create_user(sessions, f"{prefix}-{i}"))[1] for i in range(n)]
            finally:
                await engine.dispose()

        return asyncio.run(run())


async def _client(
    http: httpx.AsyncClient,
    token: str,
    path: str,
    texts: list[str],
    stop_at: float,
    lat: list[float],
    errors: list[str],
) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    done = 0
    while time.perf_counter() < stop_at:
        t = time.perf_counter()
        try:
            r = await http.post(path, json={"text": texts[done % len(texts)]}, headers=headers)
        except httpx.TransportError as exc:  # counted, not fatal: the report says how many
            errors.append(f"transport: {exc!r}")
            done += 1
            continue
        lat.append((time.perf_counter() - t) * 1000)
        if r.status_code not in (200, 201):
            errors.append(f"{r.status_code} {r.text[:200]}")
        done += 1
    return done


async def _run(url: str, tokens: list[str], route: str, concurrency: int, seconds: float) -> dict[str, Any]:
    texts = utterances(500)
    lat: list[float] = []
    errors: list[str] = []
    # One client, one connection per simulated lifter: building a client per lifter costs more CPU
    # (TLS context, pools) than the server work being measured.
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        paths = []
        for i in range(concurrency):
            if route == "utterances":
                r = await http.post("/v1/workouts", json={}, headers={"Authorization": f"Bearer {tokens[i]}"})
                paths.append(f"/v1/workouts/{r.json()['id']}/utterances")
            else:
                paths.append("/v1/parse")
        start = time.perf_counter()
        stop_at = start + seconds
        counts = await asyncio.gather(
            *(
                _client(http, tokens[i], paths[i], texts[i::concurrency] or texts, stop_at, lat, errors)
                for i in range(concurrency)
            )
        )
        elapsed = time.perf_counter() - start
    lat.sort()
    ok = sum(counts) - len(errors)
    return {
        "requests": sum(counts),
        "per_s": round(ok / elapsed, 1),  # answered 200/201 only
        "p50_ms": round(statistics.median(lat), 2) if lat else None,
        "p95_ms": round(lat[int(0.95 * (len(lat) - 1))], 2) if lat else None,
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
    }


def _bench_db(
    kind: str, url: str, data_dir: Path, args: argparse.Namespace, env: dict[str, str] | None = None
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    with Server(url, data_dir, env) as server:
        tokens = server.users(f"bench-{kind}", max(args.concurrency))
        asyncio.run(_run(server.url, tokens, "utterances", 2, 1.0))  # warm-up: model caches, pools
        for concurrency in args.concurrency:
            for route in ("utterances", "parse"):
                runs = [
                    asyncio.run(_run(server.url, tokens, route, concurrency, args.seconds))
                    for _ in range(args.repeats)
                ]
                best = max(runs, key=lambda r: r["per_s"])
                rows.append(
                    {
                        "database": kind,
                        "route": route,
                        "concurrency": concurrency,
                        **best,
                        "runs_per_s": [r["per_s"] for r in runs],
                    }
                )
                print(
                    f"{kind:9} {route:10} c={concurrency:<3} {best['per_s']:8.1f}/s  p50 {best['p50_ms']} ms  "
                    f"p95 {best['p95_ms']} ms  errors {best['errors']}",
                    flush=True,
                )
    return {"rows": rows}


def _markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Throughput: utterances per second",
        "",
        f"`POST /v1/workouts/{{id}}/utterances` (parse + match + one transaction writing the voice command and "
        f"its sets) against the baseline `POST /v1/parse` (same understanding, no database). One uvicorn worker; "
        f"clients in one asyncio process on the same machine; best of {report['repeats']} runs of "
        f"{report['seconds']} s each. Machine: {report['machine']}; load average (1/5/15 min) "
        f"{report['load_average_at_start']} at start, {report['load_average_at_end']} at the end (the machine "
        f"is shared, so absolute numbers move with it; the ratio to the baseline moves less).",
        "",
        "| database | concurrency | utterances/s | p50 ms | p95 ms | parse baseline/s | persisted share | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = report["rows"]
    for r in rows:
        if r["route"] != "utterances":
            continue
        base = next(
            b
            for b in rows
            if b["route"] == "parse"
            and b["database"] == r["database"]
            and b["concurrency"] == r["concurrency"]
        )
        share = f"{100 * r['per_s'] / base['per_s']:.0f}%" if base["per_s"] else "-"
        lines.append(
            f"| {r['database']} | {r['concurrency']} | {r['per_s']} | {r['p50_ms']} | {r['p95_ms']} | "
            f"{base['per_s']} | {share} | {r['errors']} |"
        )
    lines += [
        "",
        "SQLite runs as the server does, in WAL mode with synchronous=FULL (a commit survives a power cut; "
        "--sqlite-synchronous measures its cost against NORMAL); "
        "PostgreSQL with its defaults (fsync on, synchronous_commit on).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=8.0)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    p.add_argument("--databases", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    p.add_argument("--sqlite-synchronous", nargs="+", choices=["FULL", "NORMAL"], default=None)
    args = p.parse_args(argv)
    if args.sqlite_synchronous:
        return _synchronous(args)

    from tests.services.postgres import PostgresServer

    report: dict[str, Any] = {
        "seconds": args.seconds,
        "repeats": args.repeats,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "rows": [],
    }
    for kind in args.databases:
        with tempfile.TemporaryDirectory(prefix=f"voicelog-bench-{kind}-") as tmp:
            data_dir = Path(tmp)
            if kind == "postgres":
                with PostgresServer(durable=True) as pg:
                    report["rows"] += _bench_db(kind, pg.create_database("bench"), data_dir, args)["rows"]
            else:
                report["rows"] += _bench_db(
                    kind, f"sqlite+aiosqlite:///{data_dir / 'voicelog.db'}", data_dir, args
                )["rows"]
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "throughput.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "throughput.md").write_text(_markdown(report))
    print(f"wrote {args.out / 'throughput.md'}")
    return 0


def _commit_cost(levels: list[str], *, rounds: int = 6, commits: int = 300) -> dict[str, float]:
    """Median milliseconds per committed one-row transaction in WAL mode, per synchronous level, the
    levels interleaved round by round so that load from elsewhere on the machine falls on all alike."""
    import sqlite3

    times: dict[str, list[float]] = {level: [] for level in levels}
    with tempfile.TemporaryDirectory(prefix="voicelog-commit-") as tmp:
        for _ in range(rounds):
            for level in levels:
                conn = sqlite3.connect(Path(tmp) / f"{level}.db", isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(f"PRAGMA synchronous={level}")
                conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT)")
                start = time.perf_counter()
                for i in range(commits):
                    conn.execute("BEGIN")
                    conn.execute("INSERT INTO t (body) VALUES (?)", (f"set {i}" * 20,))
                    conn.execute("COMMIT")
                times[level].append((time.perf_counter() - start) * 1000 / commits)
                conn.close()
    return {level: round(statistics.median(v), 3) for level, v in times.items()}


def _synchronous(args: argparse.Namespace) -> int:
    """The same SQLite benchmark once per synchronous level, each on a fresh database."""
    report: dict[str, Any] = {
        "seconds": args.seconds,
        "repeats": args.repeats,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "rows": [],
    }
    for level in args.sqlite_synchronous:
        with tempfile.TemporaryDirectory(prefix=f"voicelog-bench-sync-{level}-") as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'voicelog.db'}"
            env = {"VOICELOG_SQLITE_SYNCHRONOUS": level}
            report["rows"] += _bench_db(f"sqlite ({level})", url, Path(tmp), args, env)["rows"]
    report["commit_ms"] = _commit_cost(args.sqlite_synchronous)
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "throughput_synchronous.json").write_text(json.dumps(report, indent=2) + "\n")
    text = _markdown(report).replace(
        "# Throughput: utterances per second", "# Throughput: the cost of SQLite synchronous=FULL"
    )
    text = text.split("SQLite runs in WAL mode")[0] + (
        "SQLite in WAL mode both times. FULL syncs the WAL at every commit, so a set acknowledged as logged "
        "survives a power cut; NORMAL syncs it only at checkpoints, so a power cut may lose the last "
        "commits (a crash of the server process loses nothing either way). The server runs FULL.\n"
        "\nThe commit alone, measured apart (sqlite3, WAL, one-row transactions, the levels interleaved "
        "round by round so load from elsewhere falls on both alike), median ms per commit: "
        + ", ".join(f"{level} {ms}" for level, ms in report["commit_ms"].items())
        + ".\n"
    )
    (args.out / "throughput_synchronous.md").write_text(text)
    print(f"wrote {args.out / 'throughput_synchronous.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
