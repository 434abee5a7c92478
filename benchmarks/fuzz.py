"""Random and garbage requests and websocket frames against a running `voicelog serve`: no 5xx, no 4500.

Run: python benchmarks/fuzz.py [--quick] [--cases N] [--seed S] [--database sqlite|postgres]
     python benchmarks/fuzz.py --url URL --token T [--other-token T2]    (a server already running)

Without --url it starts its own server on a fresh SQLite database (or a private PostgreSQL cluster) (one uvicorn worker, the speech model
loaded, rate limits off). Cases (benchmarks/fuzz_cases.py) are REST requests (nine in ten) and websocket
sessions of up to a dozen frames; `--quick` runs a few hundred for CI, the full run 20,000. Counted: 5xx
answers, websocket closes with 4500 or 1011 (the server's "internal error"), `error` events with code
internal_error, transport failures (the server gone), and ERROR lines in the server's log; `/health` is
polled every half second throughout and every miss is counted. Writes benchmarks/results/fuzz.md/json
(fuzz_quick.* for --quick, *_postgres.* on PostgreSQL) and exits 1 when anything above is non-zero.
"""

# ruff: noqa: E501  (report text reads better unwrapped)
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import websockets

from benchmarks.fuzz_cases import Ids, RestCase, WsCase, rest_case, ws_case

__all__ = ["Tally", "fuzz", "main", "setup_ids"]

_INTERNAL_CLOSES = (1011, 4500)


class Tally:
    def __init__(self) -> None:
        self.cases = 0
        self.rest = 0
        self.ws = 0
        self.frames = 0
        self.status: dict[str, int] = {}
        self.server_errors: list[dict[str, Any]] = []
        self.internal_closes: list[dict[str, Any]] = []
        self.internal_events: list[dict[str, Any]] = []
        self.transport_errors: list[str] = []
        self.client_skips = 0
        self.health_checks = 0
        self.health_misses: list[str] = []
        self.health_max_ms = 0.0
        self.slowest: list[tuple[float, str]] = []

    def took(self, ms: float, what: str) -> None:
        self.slowest.append((ms, what))
        if len(self.slowest) > 40:
            self.slowest = sorted(self.slowest, reverse=True)[:10]

    @property
    def failures(self) -> int:
        return (
            len(self.server_errors)
            + len(self.internal_closes)
            + len(self.internal_events)
            + len(self.transport_errors)
            + len(self.health_misses)
        )


def _describe(case: RestCase) -> str:
    body = case.body[:120] if case.body else (b"<multipart>" if case.files else b"")
    return f"{case.method} {case.path[:120]} {body!r}"


async def _rest(http: httpx.AsyncClient, case: RestCase, tally: Tally) -> None:
    t0 = time.perf_counter()
    try:
        r = await http.request(
            case.method, case.path, headers=case.headers, content=case.body, files=case.files
        )
    except httpx.TransportError as exc:
        tally.transport_errors.append(f"{_describe(case)}: {exc!r}"[:400])
        return
    except (ValueError, TypeError, UnicodeError, httpx.InvalidURL, httpx.LocalProtocolError):
        tally.client_skips += 1  # httpx refused to send it: nothing reached the server
        return
    ms = (time.perf_counter() - t0) * 1000
    tally.rest += 1
    tally.took(ms, _describe(case))
    key = f"{case.label} {r.status_code}"
    tally.status[key] = tally.status.get(key, 0) + 1
    if r.status_code >= 500 and not (r.status_code == 503 and _code(r) == "busy"):
        tally.server_errors.append({"case": _describe(case), "status": r.status_code, "answer": r.text[:300]})


def _code(r: httpx.Response) -> str | None:
    try:
        return str(r.json()["error"]["code"])
    except Exception:
        return None


async def _ws(url: str, case: WsCase, tally: Tally) -> None:
    t0 = time.perf_counter()
    what = f"ws ?{case.query[:80]} {[f if isinstance(f, str) else f'<{len(f)} bytes>' for f in case.frames][:6]!r}"[
        :400
    ]
    events: list[dict[str, Any]] = []
    code: int | None = None
    try:
        async with websockets.connect(f"{url}/v1/stream?{case.query}", max_size=2**22, open_timeout=20) as ws:
            try:
                for frame in case.frames:
                    await ws.send(frame)
                    tally.frames += 1
                if case.drop:  # the phone leaves coverage: the server must cope with no goodbye
                    ws.transport.abort()
                    tally.ws += 1
                    tally.status[f"{case.label} dropped"] = tally.status.get(f"{case.label} dropped", 0) + 1
                    return
                deadline = time.monotonic() + 3.0  # answers to what was sent, then a quiet moment
                while time.monotonic() < deadline:
                    raw = await asyncio.wait_for(
                        ws.recv(), timeout=max(0.05, min(0.6, deadline - time.monotonic()))
                    )
                    if isinstance(raw, str):
                        events.append(json.loads(raw))
            except TimeoutError:
                pass
            except websockets.ConnectionClosed:
                pass
            code = ws.close_code
    except websockets.ConnectionClosed as exc:
        code = exc.rcvd.code if exc.rcvd is not None else None
    except (OSError, websockets.InvalidHandshake, TimeoutError) as exc:
        tally.transport_errors.append(f"{what}: {exc!r}"[:400])
        return
    except UnicodeError:
        tally.client_skips += 1
        return
    tally.ws += 1
    tally.took((time.perf_counter() - t0) * 1000, what)
    key = f"{case.label} close {code}"
    tally.status[key] = tally.status.get(key, 0) + 1
    if code in _INTERNAL_CLOSES:
        tally.internal_closes.append({"case": what, "close": code, "events": events[-3:]})
    for event in events:
        if event.get("type") == "error" and event.get("code") == "internal_error":
            tally.internal_events.append({"case": what, "event": event})


async def _health(url: str, tally: Tally, stop: asyncio.Event) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=5) as http:
        while not stop.is_set():
            t0 = time.perf_counter()
            try:
                r = await http.get("/health")
                ok = r.status_code == 200 and r.json()["status"] == "ok"
            except Exception as exc:
                ok, r = False, exc  # type: ignore[assignment]
            tally.health_checks += 1
            tally.health_max_ms = max(tally.health_max_ms, (time.perf_counter() - t0) * 1000)
            if not ok:
                tally.health_misses.append(repr(r)[:200])
            with contextlib.suppress(TimeoutError):  # the normal tick
                await asyncio.wait_for(stop.wait(), 0.5)


async def setup_ids(url: str, token: str, other_token: str) -> Ids:
    """Workouts, sets and voice commands of the fuzzed user to aim at, and another user's workout."""
    auth = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, timeout=60, headers=auth) as http:
        workouts = [(await http.post("/v1/workouts", json={})).json()["id"] for _ in range(3)]
        sets, commands = [], []
        for text in ("barbell squat 225 for 5", "deadlift 2 sets of 3 at 315"):
            out = (await http.post(f"/v1/workouts/{workouts[0]}/utterances", json={"text": text})).json()
            sets += [s["id"] for s in out["sets"]]
            commands.append(out["voice_command_id"])
        other = (
            await http.post("/v1/workouts", json={}, headers={"Authorization": f"Bearer {other_token}"})
        ).json()
    return Ids(
        token=token,
        other_token=other_token,
        workouts=workouts,
        sets=sets,
        commands=commands,
        other_workout=other["id"],
    )


async def fuzz(
    url: str, token: str, other_token: str, *, cases: int, seed: int, concurrency: int = 6
) -> Tally:
    """`cases` random cases against the server at `url`; one in ten a websocket session."""
    tally = Tally()
    ids = await setup_ids(url, token, other_token)
    rng = random.Random(seed)
    plan = [
        ("ws", ws_case(rng, ids)) if rng.random() < 0.1 else ("rest", rest_case(rng, ids))
        for _ in range(cases)
    ]
    ws_url = url.replace("http", "ws", 1)
    stop = asyncio.Event()
    health = asyncio.create_task(_health(url, tally, stop))
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)
    progress_every = max(1, cases // 20)

    async def worker(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            kind, case = queue.get_nowait()
            if kind == "rest":
                await _rest(http, case, tally)
            else:
                await _ws(ws_url, case, tally)
            tally.cases += 1
            if tally.cases % progress_every == 0:
                print(f"  {tally.cases}/{cases} cases, {tally.failures} failures", flush=True)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
    stop.set()
    await health
    return tally


def _report(tally: Tally, meta: dict[str, Any]) -> dict[str, Any]:
    slowest = sorted(tally.slowest, reverse=True)[:5]
    return {
        **meta,
        "cases": tally.cases,
        "rest_requests": tally.rest,
        "websocket_sessions": tally.ws,
        "websocket_frames": tally.frames,
        "responses_5xx": len(tally.server_errors),
        "websocket_internal_closes": len(tally.internal_closes),
        "internal_error_events": len(tally.internal_events),
        "transport_errors": len(tally.transport_errors),
        "health_checks": tally.health_checks,
        "health_misses": len(tally.health_misses),
        "health_max_ms": round(tally.health_max_ms, 1),
        "client_skips": tally.client_skips,
        "slowest": [{"ms": round(ms, 1), "case": what} for ms, what in slowest],
        "by_status": dict(sorted(tally.status.items())),
        "examples": {
            "5xx": tally.server_errors[:10],
            "internal_closes": tally.internal_closes[:10],
            "internal_error_events": tally.internal_events[:10],
            "transport_errors": tally.transport_errors[:10],
            "health_misses": tally.health_misses[:10],
        },
    }


def _markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Fuzz: random and garbage requests against a running server",
        "",
        f"{report['cases']} cases (seed {report['seed']}, {'quick' if report['quick'] else 'full'} run): "
        f"{report['rest_requests']} REST requests and {report['websocket_sessions']} websocket sessions "
        f"({report['websocket_frames']} frames), {report['concurrency']} at a time, in {report['seconds']} s. "
        f"Server: {report['server']}. Machine: {report['machine']}. Generators: `benchmarks/fuzz_cases.py`.",
        "",
        "| what | count |",
        "| --- | ---: |",
        f"| responses 5xx | {report['responses_5xx']} |",
        f"| websocket closes 4500 / 1011 | {report['websocket_internal_closes']} |",
        f"| `error` events `internal_error` | {report['internal_error_events']} |",
        f"| transport errors (server gone or hung) | {report['transport_errors']} |",
        f"| ERROR lines in the server log | {report.get('server_log_errors', 'not read')} |",
        f"| `/health` checks / misses | {report['health_checks']} / {report['health_misses']} |",
        f"| slowest `/health` | {report['health_max_ms']} ms |",
        f"| cases the HTTP client refused to send | {report['client_skips']} |",
        "",
        "Slowest cases:",
        "",
    ]
    lines += [f"- {s['ms']} ms: `{s['case'][:160]}`" for s in report["slowest"]]
    lines += ["", "Answers by route and status:", "", "| route status | count |", "| --- | ---: |"]
    lines += [f"| {k} | {v} |" for k, v in report["by_status"].items()]
    for name, examples in report["examples"].items():
        if examples:
            lines += ["", f"First {name}:", "", "```", *(json.dumps(e)[:600] for e in examples), "```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="a few hundred cases, for CI")
    p.add_argument("--cases", type=int, default=None)
    p.add_argument("--seed", type=int, default=19)
    p.add_argument("--concurrency", type=int, default=6)
    p.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--url", default=None, help="fuzz this running server instead of starting one")
    p.add_argument("--token", default=None)
    p.add_argument("--other-token", default=None)
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    args = p.parse_args(argv)
    cases = args.cases or (400 if args.quick else 20_000)
    meta: dict[str, Any] = {
        "seed": args.seed,
        "quick": args.quick,
        "concurrency": args.concurrency,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    t0 = time.perf_counter()
    if args.url:
        meta["server"] = args.url
        tally = asyncio.run(
            fuzz(
                args.url,
                args.token,
                args.other_token or args.token,
                cases=cases,
                seed=args.seed,
                concurrency=args.concurrency,
            )
        )
        report = _report(tally, meta | {"seconds": round(time.perf_counter() - t0, 1)})
    else:
        from benchmarks.throughput import Server

        with contextlib.ExitStack() as stack:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="voicelog-fuzz-"))
            if args.database == "postgres":
                from tests.services.postgres import PostgresServer

                url = stack.enter_context(PostgresServer(durable=True)).create_database("fuzz")
            else:
                url = f"sqlite+aiosqlite:///{Path(tmp) / 'voicelog.db'}"
            with Server(url, Path(tmp), {"VOICELOG_RATE_LIMIT_AUDIO_S_PER_MINUTE": "0"}) as server:
                token, other = server.users("fuzz", 2)
                meta["server"] = f"voicelog serve on {args.database}, started by the fuzzer"
                tally = asyncio.run(
                    fuzz(server.url, token, other, cases=cases, seed=args.seed, concurrency=args.concurrency)
                )
                alive = server.proc is not None and server.proc.poll() is None
            log = (Path(tmp) / "server.log").read_text(errors="replace")
        report = _report(tally, meta | {"seconds": round(time.perf_counter() - t0, 1)})
        report["server_log_errors"] = sum(1 for line in log.splitlines() if line.startswith("ERROR"))
        report["server_alive_at_end"] = alive
        if report["server_log_errors"]:
            lines = log.splitlines()
            starts = [i for i, line in enumerate(lines) if line.startswith("ERROR")][:5]
            report["examples"]["server_log"] = ["\n".join(x[:300] for x in lines[i : i + 25]) for i in starts]
    args.out.mkdir(parents=True, exist_ok=True)
    name = ("fuzz_quick" if args.quick else "fuzz") + ("_postgres" if args.database == "postgres" else "")
    (args.out / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / f"{name}.md").write_text(_markdown(report))
    print(
        f"wrote {args.out / f'{name}.md'}: {report['responses_5xx']} 5xx, {report['websocket_internal_closes']} internal closes, {report['health_misses']} health misses"
    )
    failed = (
        tally.failures
        + int(report.get("server_log_errors", 0) or 0)
        + (0 if report.get("server_alive_at_end", True) else 1)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
