"""End-of-speech → `logged` latency over the websocket, on the dev audio, in real time.

Each dev clip is streamed in 20 ms frames at real-time pace to a freshly started `voicelog serve`
(its own data directory), once with silence-only endpointing (the baseline) and once with semantic
endpointing, interleaved clip by clip so both see the same machine load. The whole clip is sent
even when the server answers before its end (a lifter does not stop talking), and after it silence
frames keep flowing (a live microphone does not stop) until every utterance heard is answered. The
clip is scored on the set as it stands at the end (the last `logged`, a correction included; a clip
that logged two sets is wrong); latency is the first answer's. Every clip and mode
streams as a new lifter with no history: the dev clips are different lifters' sessions, and a shared
lifter's recent exercises (which prime the recognizer and the matcher) would be other clips' lifts.

End of speech is the moment the client sends the clip's last speech sample (the clip length minus
its recorded trailing silence). Reports p50/p95/max latency, full-turn and exercise accuracy.

    python benchmarks/stream_latency.py            # all 40 clips, both modes
    python benchmarks/stream_latency.py --quick    # 6 clips (CI)
    python benchmarks/stream_latency.py --nbest 1,3   # one server per n-best setting, rows for each
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import msgspec
import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import DEFAULT_DEV, RESULTS, Expected, score_turn, write_report  # noqa: E402
from models.parsed import ParsedSet  # noqa: E402

__all__ = ["AudioCase", "LocalServer", "load_audio_cases", "percentile", "stream_clip"]

FRAME_S = 0.02
AUDIO_DIR = DEFAULT_DEV.parent / "audio" / "dev"


@dataclass
class AudioCase:
    id: str
    wav: Path
    default_unit: str
    expected: Expected
    audio_text: str
    trail_s: float
    pcm: bytes = b""
    rate: int = 16000


def load_audio_cases(dev: Path = DEFAULT_DEV) -> list[AudioCase]:
    cases = []
    for line in dev.read_text().splitlines():
        row = json.loads(line)
        if not row.get("audio"):
            continue
        turn = row["turns"][0]
        path = dev.parent / "audio" / "dev" / row["audio"]
        with wave.open(str(path), "rb") as w:
            pcm, rate = w.readframes(w.getnframes()), w.getframerate()
        cases.append(
            AudioCase(
                id=row["id"],
                wav=path,
                default_unit=row["default_unit"],
                expected=msgspec.convert(turn["expected"], Expected),
                audio_text=row["audio_text"],
                trail_s=float(row["audio_meta"].get("trail_silence_s", 0.8)),
                pcm=pcm,
                rate=rate,
            )
        )
    return cases


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LocalServer:
    """`voicelog serve` in a temp data directory, with one user; stopped on exit."""

    url: str = ""
    token: str = ""
    _proc: subprocess.Popen[bytes] | None = None
    _dir: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    # more lifters with no history: each dev clip is a different lifter's session, so one shared
    # lifter would prime the recognizer and the matcher with other clips' exercises
    lifters: int = 0
    lifter_tokens: list[str] = field(default_factory=list)

    @contextmanager
    def running(self):  # -> Iterator[LocalServer]
        self._dir = Path(tempfile.mkdtemp(prefix="voicelog-bench-"))
        env = {**os.environ, "VOICELOG_DATA_DIR": str(self._dir), **self.env}
        exe = shutil.which("voicelog") or "voicelog"
        out = subprocess.run(
            [exe, "user", "create", "bench"], env=env, capture_output=True, text=True, check=True
        )
        self.token = out.stdout.strip().splitlines()[-1]
        if self.lifters:
            out = subprocess.run(
                [sys.executable, "-c", _CREATE_LIFTERS, str(self.lifters)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            self.lifter_tokens = out.stdout.split()
        port = free_port()
        self.url = f"127.0.0.1:{port}"
        log = open(self._dir / "server.log", "wb")  # noqa: SIM115 - lives as long as the server
        self._proc = subprocess.Popen([exe, "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    if httpx.get(f"http://{self.url}/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            else:
                raise RuntimeError(f"server did not start; see {self._dir / 'server.log'}")
            yield self
        finally:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
            log.close()
            # the server's log outlives its data directory: where an `internal_error` came from
            kept_log = Path(tempfile.gettempdir()) / "voicelog-bench-server.log"
            shutil.copyfile(self._dir / "server.log", kept_log)
            shutil.rmtree(self._dir, ignore_errors=True)

    def new_workout(self, token: str | None = None) -> str:
        r = httpx.post(
            f"http://{self.url}/v1/workouts",
            json={},
            headers={"Authorization": f"Bearer {token or self.token}"},
        )
        r.raise_for_status()
        return str(r.json()["id"])


_CREATE_LIFTERS = """
import asyncio, sys
from server.services import open_database
from server.settings import Settings
from server.store.users import create_user

async def main(n):
    engine, sessions = await open_database(Settings.from_env())
    try:
        for i in range(n):
            _, token = await create_user(sessions, f"lifter-{i}")
            print(token)
    finally:
        await engine.dispose()

asyncio.run(main(int(sys.argv[1])))
"""


@dataclass
class StreamResult:
    case_id: str
    mode: str
    latency_ms: float | None = None  # client-measured, end of speech → answer received
    server_total_ms: float | None = None
    stt_ms: float | None = None
    event: str = "timeout"
    transcript: str = ""
    parsed: dict[str, Any] | None = None
    fields: dict[str, bool] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    ended_by: str | None = None  # meaning | silence | push_to_talk | too_long (the transcript event's)
    answers: int = 0  # answers to the clip (more than one: the server ended a turn inside it)


async def stream_clip(
    url: str,
    token: str,
    workout_id: str,
    pcm: bytes,
    rate: int,
    *,
    trail_s: float,
    unit: str,
    mode: str | None,
    timeout_s: float = 6.0,
    settle_s: float = 0.6,
) -> tuple[float | None, list[dict[str, Any]], str, list[str], str | None]:
    """Streams one whole clip in real time (a lifter does not stop talking when the server answers);
    answers (latency_ms of the first answer, every answer, the first transcript, errors, what ended the
    first utterance). After the clip, silence flows until every transcript has its answer and `settle_s`
    has passed, so the rest of a sentence cut at a pause is answered too."""
    frame = int(rate * FRAME_S) * 2
    speech_end_byte = max(0, len(pcm) - int(trail_s * rate) * 2)
    silence = bytes(frame)
    start: dict[str, Any] = {"type": "start", "sample_rate": rate, "encoding": "pcm_s16le", "unit": unit}
    if mode:
        start["endpointing"] = mode
    async with websockets.connect(f"ws://{url}/v1/stream?workout_id={workout_id}&token={token}") as ws:
        await ws.send(json.dumps(start))
        ready = json.loads(await ws.recv())
        if ready.get("type") != "ready":
            return None, [], "", [f"not ready: {ready}"], None
        answers: list[dict[str, Any]] = []
        transcripts: list[tuple[str, str | None]] = []
        errors: list[str] = []
        ended_at: list[float] = []

        async def read() -> None:
            async for raw in ws:
                ev = json.loads(raw)
                if ev["type"] == "transcript":
                    transcripts.append((ev["text"], ev.get("ended_by")))
                elif ev["type"] in ("logged", "clarify"):
                    answers.append({**ev, "received_at": time.perf_counter()})
                elif ev["type"] == "error":
                    errors.append(ev["code"])
                    if ev.get("utterance_id"):
                        answers.append({**ev, "received_at": time.perf_counter()})

        def settled() -> bool:
            return bool(answers) and len(answers) >= len(transcripts)

        reader = asyncio.create_task(read())
        t0 = time.perf_counter()
        sent = 0
        while sent < len(pcm):
            chunk = pcm[sent : sent + frame]
            await ws.send(chunk)
            sent += len(chunk)
            if sent >= speech_end_byte and not ended_at:
                ended_at.append(time.perf_counter())
            await asyncio.sleep(max(0.0, t0 + sent / 2 / rate - time.perf_counter()))
        clip_end = time.perf_counter()
        deadline = clip_end + timeout_s

        def finished() -> bool:
            return settled() and time.perf_counter() >= clip_end + settle_s

        while time.perf_counter() < deadline and not finished():
            await ws.send(silence)
            sent += len(silence)
            await asyncio.sleep(max(0.0, t0 + sent / 2 / rate - time.perf_counter()))
        reader.cancel()
        first_text, first_end = transcripts[0] if transcripts else ("", None)
        if not answers:
            return None, [], first_text, errors, first_end
        # answered before the clip's speech was all sent (the server ended the utterance at a pause):
        # measure from when the last speech sample was due, so the latency comes out negative
        speech_end = ended_at[0] if ended_at else t0 + speech_end_byte / 2 / rate
        return (answers[0]["received_at"] - speech_end) * 1000, answers, first_text, errors, first_end


def final_answer(answers: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, int]:
    """The set as it stands after the clip (the last `logged`, a correction included), else the first
    answer; and how many sets the clip logged (more than one: a duplicate in the lifter's log)."""
    logged = [a for a in answers if a["type"] == "logged"]
    new_sets = sum(1 for a in logged if a.get("action", "logged") == "logged")
    return (logged[-1] if logged else (answers[0] if answers else None)), new_sets


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def _summary(results: list[StreamResult]) -> dict[str, Any]:
    lat = [r.latency_ms for r in results if r.latency_ms is not None]
    n = len(results)
    return {
        "clips": n,
        "answered": len(lat),
        "p50_ms": percentile(lat, 50),
        "p95_ms": percentile(lat, 95),
        "max_ms": max(lat) if lat else None,
        "mean_stt_ms": statistics.mean([r.stt_ms for r in results if r.stt_ms is not None] or [0.0]),
        # only a set that was logged counts: a right reading the server only asked about is not a logged set
        "full_turn": sum(1 for r in results if r.event == "logged" and all(r.fields.values())) / n
        if n
        else 0.0,
        "exercise": sum(1 for r in results if r.fields.get("exercise")) / n if n else 0.0,
        "read_right": sum(1 for r in results if r.fields and all(r.fields.values())) / n if n else 0.0,
        "logged": sum(1 for r in results if r.event == "logged") / n if n else 0.0,
        "logged_wrong": _logged_wrong(results),
        "ended_by_meaning": sum(1 for r in results if r.ended_by == "meaning") / n if n else 0.0,
    }


def _logged_wrong(results: list[StreamResult]) -> float | None:
    logged = [r for r in results if r.event == "logged"]
    return sum(1 for r in logged if not all(r.fields.values())) / len(logged) if logged else None


async def run(cases: list[AudioCase], server: LocalServer, modes: list[str]) -> dict[str, list[StreamResult]]:
    out: dict[str, list[StreamResult]] = {m: [] for m in modes}
    tokens = iter(server.lifter_tokens)
    for case in cases:
        for mode in modes:
            token = next(tokens, server.token)
            wid = server.new_workout(token)
            lat, answers, transcript, errors, ended_by = await stream_clip(
                server.url,
                token,
                wid,
                case.pcm,
                case.rate,
                trail_s=case.trail_s,
                unit=case.default_unit,
                mode=mode,
            )
            res = StreamResult(
                case_id=case.id,
                mode=mode,
                latency_ms=lat,
                transcript=transcript,
                errors=errors,
                ended_by=ended_by,
            )
            ev, new_sets = final_answer(answers)
            if ev is not None and ev["type"] != "error":
                res.event = ev["type"]
                res.parsed = ev.get("parsed")
                first = answers[0].get("timing_ms") or {}
                res.server_total_ms = first.get("total")
                res.stt_ms = first.get("stt")
                res.fields = score_turn(msgspec.convert(ev["parsed"], ParsedSet), case.expected)
                res.answers = len(answers)
                if new_sets > 1:  # the clip's one set logged twice: the log holds a wrong set
                    res.fields["one_set"] = False
            elif ev is not None:
                res.event = "error"
            out[mode].append(res)
            ok = "ok" if res.event == "logged" and all(res.fields.values()) else "--"
            print(
                f"{case.id} {mode:8s} {res.event:8s} {lat or float('nan'):7.0f} ms "
                f"stt {res.stt_ms} {ok}  {transcript!r}",
                flush=True,
            )
    return out


def _markdown(summary: dict[str, dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        "# Stream latency: end of speech → `logged`",
        "",
        f"{meta['clips']} dev clips (and the rows named for another family) streamed in real time "
        f"({int(FRAME_S * 1000)} ms frames) "
        f"over the websocket to `voicelog serve`; whisper tiny.en int8 on {meta['cpus']} CPU cores. "
        f"{meta['note']}",
        "",
        "| clips, endpointing | p50 ms | p95 ms | max ms | full-turn (logged, all fields) | exercise | "
        "all fields read (logged or clarify) | of logged, wrong | ended by meaning | answered |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode, s in summary.items():
        fmt = lambda v: "-" if v is None else f"{v:.0f}"  # noqa: E731
        wrong = "-" if s.get("logged_wrong") is None else f"{s['logged_wrong']:.1%}"
        lines.append(
            f"| {mode} | {fmt(s['p50_ms'])} | {fmt(s['p95_ms'])} | {fmt(s['max_ms'])} | "
            f"{s['full_turn']:.1%} | {s['exercise']:.1%} | {s['read_right']:.1%} | {wrong} | "
            f"{s.get('ended_by_meaning', 0.0):.0%} | {s['answered']}/{s['clips']} |"
        )
    lines += ["", "Targets: p50 ≤ 450 ms, p95 ≤ 800 ms, full-turn ≥ 85%.", ""]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="6 clips only (CI)")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--modes", default="silence,semantic")
    ap.add_argument(
        "--held-out", type=int, default=0, metavar="N", help="also N clips of the held-out natural voice"
    )
    ap.add_argument("--note", default="", help="a sentence about the host during the run (e.g. other load)")
    ap.add_argument(
        "--nbest", default=None, help="comma-separated VOICELOG_STT_NBEST values (default: the server's)"
    )
    ap.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="LABEL|ENV=VALUE[,ENV=VALUE]|MODE",
        help="one more row: MODE against a server started with these settings (a baseline in the same run)",
    )
    args = ap.parse_args()
    cases = load_audio_cases(args.dev)
    limit = 6 if args.quick else args.limit
    if limit:
        cases = cases[:limit]
    modes = args.modes.split(",")
    results: dict[str, list[StreamResult]] = {}
    for nbest in args.nbest.split(",") if args.nbest else [None]:
        env = {"VOICELOG_STT_NBEST": nbest} if nbest else {}
        with LocalServer(env=env, lifters=len(cases) * len(modes)).running() as server:
            for mode, rows in asyncio.run(run(cases, server, modes)).items():
                results[f"{mode}, {nbest}-best" if nbest else mode] = rows
    if args.held_out:
        # the held-out natural voice (benchmarks/voices.py), streamed by the same server settings
        from benchmarks.voices import voice_cases

        natural = voice_cases("piper natural (held out)", args.held_out)
        with LocalServer(lifters=len(natural) * len(modes)).running() as server:
            for mode, rows in asyncio.run(run(natural, server, modes)).items():
                results[f"piper natural (held out), {mode}"] = rows
    for extra in args.also:
        label, settings, mode = extra.split("|")
        env = dict(kv.split("=", 1) for kv in settings.split(","))
        with LocalServer(env=env, lifters=len(cases)).running() as server:
            results[label] = asyncio.run(run(cases, server, [mode]))[mode]
    summary = {m: _summary(r) for m, r in results.items()}
    meta = {
        "clips": len(cases),
        "cpus": os.cpu_count(),
        "note": args.note,
        "quick": bool(args.quick),
        "nbest": args.nbest,
        "also": args.also,
    }
    stem = "stream_latency_quick" if args.quick else "stream_latency"
    write_report(
        args.out,
        stem,
        {
            "meta": meta,
            "summary": summary,
            "results": {m: [r.__dict__ for r in rs] for m, rs in results.items()},
        },
        _markdown(summary, meta),
    )
    print(_markdown(summary, meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
