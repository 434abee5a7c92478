"""How many lifters can one server take? N concurrent websockets, each speaking a dev clip every 20 s.

Every socket streams continuously like a hands-free phone: the clip in 20 ms frames at real-time
pace, then silence in 100 ms frames until its next turn; sockets start staggered over the period.
Each socket is its own lifter with a short typed history of different exercises, so their speech
prompts (built from recent exercises) differ in length as they do in production.
A level passes when every utterance was answered (`logged`/`clarify`), no `error` (e.g. `busy`)
came back, and p95 end-of-speech → answer latency is ≤ 1.5 s. N grows until a level fails; the
report gives the largest passing N (target ≥ 40).

    python benchmarks/load.py                 # levels 10, 20, 30, 40, 50, 60; 60 s each
    python benchmarks/load.py --quick         # levels 2, 4; 25 s each (CI)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import DEFAULT_DEV, RESULTS, write_report  # noqa: E402
from benchmarks.stream_latency import AudioCase, LocalServer, load_audio_cases, percentile  # noqa: E402

__all__ = ["run_level"]

SPEECH_FRAME_S = 0.02
SILENCE_FRAME_S = 0.1
P95_LIMIT_MS = 1500.0


@dataclass
class Level:
    n: int
    utterances: int = 0
    answered: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    unanswered: int = 0

    @property
    def p95(self) -> float | None:
        return percentile(self.latencies_ms, 95)

    @property
    def passed(self) -> bool:
        return not self.errors and self.unanswered == 0 and self.p95 is not None and self.p95 <= P95_LIMIT_MS

    def summary(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "utterances": self.utterances,
            "answered": self.answered,
            "unanswered": self.unanswered,
            "errors": self.errors,
            "p50_ms": percentile(self.latencies_ms, 50),
            "p95_ms": self.p95,
            "max_ms": max(self.latencies_ms) if self.latencies_ms else None,
            "passed": self.passed,
        }


async def _lifter(
    index: int,
    server: LocalServer,
    workout: str,
    cases: list[AudioCase],
    level: Level,
    *,
    period_s: float,
    duration_s: float,
    t0: float,
) -> None:
    token = server.lifter_tokens[index]
    url = f"ws://{server.url}/v1/stream?workout_id={workout}&token={token}"
    rate = 16000
    async with websockets.connect(url, max_size=2**22) as ws:
        await ws.send(json.dumps({"type": "start", "sample_rate": rate, "encoding": "pcm_s16le"}))
        json.loads(await ws.recv())
        pending: dict[int, float] = {}  # turn → end-of-speech time, until answered
        # answers that came before the clip's nominal end of speech (semantic endpointing can end on the
        # last word before its quiet tail has been sent): their latency is negative, not missing
        early: list[float] = []
        turn_of_utterance: dict[str, int] = {}
        next_turn = [0]

        async def read() -> None:
            async for raw in ws:
                ev = json.loads(raw)
                kind = ev["type"]
                if os.environ.get("LOAD_DEBUG"):
                    print(index, kind, ev.get("text") or ev.get("code") or "", flush=True)
                if kind == "transcript":
                    # utterances are answered in order per socket: map ids to the oldest open turn
                    if pending:
                        turn_of_utterance[ev["utterance_id"]] = min(pending)
                elif kind in ("logged", "clarify"):
                    turn = turn_of_utterance.pop(ev["utterance_id"], min(pending) if pending else None)
                    if turn is not None and turn in pending:
                        level.latencies_ms.append((time.perf_counter() - pending.pop(turn)) * 1000)
                        level.answered += 1
                    elif turn is None:
                        early.append(time.perf_counter())
                elif kind == "error":
                    level.errors[ev["code"]] = level.errors.get(ev["code"], 0) + 1
                    if ev.get("utterance_id") and pending:
                        pending.pop(min(pending))

        reader = asyncio.create_task(read())
        silence = bytes(int(rate * SILENCE_FRAME_S) * 2)
        sent_s = 0.0  # audio seconds sent; pacing follows it
        first_turn_at = (index * period_s / max(1, level.n)) % period_s
        speak_at = first_turn_at
        while sent_s < duration_s:
            if sent_s >= speak_at and speak_at + 6 < duration_s:
                case = cases[(index + next_turn[0]) % len(cases)]
                step = int(rate * SPEECH_FRAME_S) * 2
                speech_end = len(case.pcm) - int(case.trail_s * rate) * 2
                for i in range(0, len(case.pcm), step):
                    await ws.send(case.pcm[i : i + step])
                    sent_s += step / 2 / rate
                    if i <= speech_end < i + step:
                        if early:
                            level.latencies_ms.append((early.pop(0) - time.perf_counter()) * 1000)
                            level.answered += 1
                        else:
                            pending[next_turn[0]] = time.perf_counter()
                    await asyncio.sleep(max(0.0, t0 + sent_s - time.perf_counter()))
                level.utterances += 1
                next_turn[0] += 1
                speak_at += period_s
            else:
                await ws.send(silence)
                sent_s += SILENCE_FRAME_S
                await asyncio.sleep(max(0.0, t0 + sent_s - time.perf_counter()))
        deadline = time.perf_counter() + 10
        while pending and time.perf_counter() < deadline:
            await ws.send(silence)
            await asyncio.sleep(SILENCE_FRAME_S)
        level.unanswered += len(pending)
        reader.cancel()


async def run_level(
    server: LocalServer, cases: list[AudioCase], n: int, *, period_s: float, duration_s: float
) -> Level:
    level = Level(n=n)
    workouts = [server.new_workout(server.lifter_tokens[i]) for i in range(n)]
    t0 = time.perf_counter() + 0.5
    await asyncio.gather(
        *(
            _lifter(i, server, workouts[i], cases, level, period_s=period_s, duration_s=duration_s, t0=t0)
            for i in range(n)
        )
    )
    return level


def _typed_turns(dev: Path) -> list[str]:
    """Typed turns of dev sessions that have no audio: histories that are not the clips themselves."""
    turns = []
    for line in dev.read_text().splitlines():
        row = json.loads(line)
        if not row.get("audio"):
            turns.append(row["turns"][0]["text"])
    return turns


def _give_histories(server: LocalServer, turns: list[str], per_lifter: int = 3) -> None:
    """Lifter i logs `per_lifter` typed sets of its own before any socket opens."""
    with httpx.Client(base_url=f"http://{server.url}", timeout=30) as http:
        for i, token in enumerate(server.lifter_tokens):
            headers = {"Authorization": f"Bearer {token}"}
            workout = server.new_workout(token)
            for k in range(per_lifter):
                text = turns[(i * per_lifter + k) % len(turns)]
                r = http.post(f"/v1/workouts/{workout}/utterances", json={"text": text}, headers=headers)
                r.raise_for_status()


def _markdown(levels: list[Level], meta: dict[str, Any]) -> str:
    best = max((lv.n for lv in levels if lv.passed), default=0)
    lines = [
        "# Load: concurrent websockets, one shared speech model",
        "",
        f"Each socket speaks a dev clip every {meta['period_s']:g} s for {meta['duration_s']:g} s, streaming "
        f"continuously (speech in 20 ms frames, silence in 100 ms frames). {meta['cpus']} CPU cores. "
        f"{meta['note']}",
        "",
        f"**Largest N with p95 ≤ {P95_LIMIT_MS:.0f} ms and no errors: {best}** (target ≥ 40)",
        "",
        "| N | utterances | answered | p50 ms | p95 ms | max ms | errors | pass |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for lv in levels:
        s = lv.summary()
        fmt = lambda v: "-" if v is None else f"{v:.0f}"  # noqa: E731
        lines.append(
            f"| {lv.n} | {s['utterances']} | {s['answered']} | {fmt(s['p50_ms'])} | {fmt(s['p95_ms'])} | "
            f"{fmt(s['max_ms'])} | {s['errors'] or '-'} | {'yes' if lv.passed else 'no'} |"
        )
    lines.append("")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="levels 2 and 4, 25 s each (CI)")
    ap.add_argument("--levels", default="10,20,30,40,50,60")
    ap.add_argument("--period", type=float, default=20.0)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--note", default="", help="a sentence about the host during the run (e.g. other load)")
    ap.add_argument("--env", action="append", default=[], metavar="KEY=VALUE", help="server settings")
    args = ap.parse_args()
    levels_n = [2, 4] if args.quick else [int(x) for x in args.levels.split(",")]
    duration = 25.0 if args.quick else args.duration
    cases = load_audio_cases(args.dev)
    levels: list[Level] = []
    env = dict(kv.split("=", 1) for kv in args.env)
    with LocalServer(env=env, lifters=max(levels_n)).running() as server:
        _give_histories(server, _typed_turns(args.dev))
        for n in levels_n:
            level = asyncio.run(run_level(server, cases, n, period_s=args.period, duration_s=duration))
            levels.append(level)
            print(json.dumps(level.summary()), flush=True)
            if not level.passed:
                break
    meta = {
        "period_s": args.period,
        "duration_s": duration,
        "cpus": os.cpu_count(),
        "note": args.note,
        "env": env,
        "quick": bool(args.quick),
    }
    best = max((lv.n for lv in levels if lv.passed), default=0)
    stem = "load_quick" if args.quick else "load"
    write_report(
        args.out,
        stem,
        {"meta": meta, "best_n": best, "levels": [lv.summary() for lv in levels]},
        _markdown(levels, meta),
    )
    print(_markdown(levels, meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
