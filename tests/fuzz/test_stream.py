"""Hypothesis over websocket sessions against a live `voicelog serve`: any query, any sequence of frames
(the benchmark's generator, benchmarks/fuzz_cases.py `ws_frame`, beside hypothesis' own messages of every
type with fields of any JSON type, raw bytes and raw text), ended by a close, a dropped connection or
nothing. Never a 4500/1011 close, never an `internal_error` event, every `error` event in the contract's
shape, and no ERROR in the server's log afterwards.

Sessions: FUZZ_SESSIONS (default 600, the CI short form beside test_openapi.py's ~1,450 requests).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websockets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz import setup_ids
from benchmarks.fuzz_cases import Ids, ws_frame
from tests.fuzz.contract import INTERNAL_CLOSES, event_problem
from tests.integration.conftest import LiveServer, sqlite_server

__all__: list[str] = []

SESSIONS = int(os.environ.get("FUZZ_SESSIONS", "600"))
_SENTINEL = json.dumps({"type": "fuzz_sentinel"})  # an unknown type: always answered by an `error` event


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with sqlite_server("fuzz-stream") as live:
        yield live


@pytest.fixture(scope="module")
def ids(server: LiveServer) -> Ids:
    (_, token), (_, other) = server.create_user(), server.create_user()
    return asyncio.run(setup_ids(server.url, token, other))


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()  # NaN and Infinity too: json.dumps writes them, no JSON parser should take them
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _messages(ids: Ids) -> st.SearchStrategy[str]:
    """Every client message type (and unknown ones), each field either plausible or any JSON value."""
    uuids = st.uuids().map(str)
    fields: dict[str, st.SearchStrategy[Any]] = {
        "sample_rate": st.sampled_from([16000, 48000, 8000]) | _JSON,
        "encoding": st.just("pcm_s16le") | _JSON,
        "unit": st.sampled_from(["lb", "kg"]) | _JSON,
        "endpointing": st.sampled_from(["semantic", "silence"]) | _JSON,
        "text": st.sampled_from(["barbell squat 225 for 5", "same again", "scratch that", "rpe 9.75"])
        | _JSON,
        "client_id": uuids | _JSON,
        "set_id": st.sampled_from(ids.sets) | uuids | _JSON,
        "fields": st.dictionaries(st.sampled_from(["reps", "weight", "rpe", "unit", "x"]), _JSON, max_size=3)
        | _JSON,
    }
    types = st.sampled_from(["start", "text", "end_utterance", "correct", "stop", "nope", ""]) | _JSON
    return st.builds(
        lambda kind, extra: json.dumps({"type": kind, **extra}),
        types,
        st.fixed_dictionaries({}, optional=fields),
    )


def _sessions(ids: Ids) -> st.SearchStrategy[dict[str, Any]]:
    frame = st.one_of(
        st.randoms(use_true_random=False).map(lambda rng: ws_frame(rng, ids)),  # the benchmark's frames
        _messages(ids),
        st.binary(max_size=3200),  # audio of any length, odd byte counts too
        st.text(max_size=60),  # any text frame at all
    )
    # mostly a valid connection (the frames are the point), sometimes not
    templates = ["workout_id={w}&token={t}"] * 12 + [
        "workout_id={w}&token={t}&session_id=x",
        "workout_id={other}&token={t}",
        "workout_id={w}",
        "token={t}",
    ]
    query = st.builds(
        lambda template, w: template.format(w=w, t=ids.token, other=ids.other_workout),
        st.sampled_from(templates),
        st.sampled_from(ids.workouts),
    )
    return st.fixed_dictionaries(
        {
            "query": query,
            "frames": st.lists(frame, max_size=10),
            "ending": st.sampled_from(["sentinel", "sentinel", "sentinel", "close", "drop"]),
        }
    )


async def _session(url: str, session: dict[str, Any]) -> tuple[list[dict[str, Any]], int | None]:
    """Play one session; (events received, the close code the server sent or None)."""
    events: list[dict[str, Any]] = []
    try:
        async with websockets.connect(f"{url}/v1/stream?{session['query']}", open_timeout=20) as ws:
            for frame in session["frames"]:
                await ws.send(frame)
            if session["ending"] == "drop":  # the phone leaves coverage: no goodbye
                ws.transport.abort()
                return events, None
            if session["ending"] == "sentinel":  # every frame before it has had its answer
                await ws.send(_SENTINEL)
                while True:
                    event = json.loads(await asyncio.wait_for(ws.recv(), 30))
                    events.append(event)
                    if event.get("type") == "error" and event.get("code") == "unknown_type":
                        break
            return events, None
    except websockets.ConnectionClosed as exc:
        return events, exc.rcvd.code if exc.rcvd is not None else None


def test_websocket_sessions_never_break_the_server(server: LiveServer, ids: Ids) -> None:
    url = server.url.replace("http", "ws", 1)
    seen: dict[str, int] = {"sessions": 0, "frames": 0, "events": 0, "answered": 0}
    closes: dict[int | None, int] = {}
    started = time.perf_counter()

    @given(session=_sessions(ids))
    @settings(
        max_examples=SESSIONS,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(session: dict[str, Any]) -> None:
        events, code = asyncio.run(_session(url, session))
        seen["sessions"] += 1
        seen["frames"] += len(session["frames"])
        seen["events"] += len(events)
        seen["answered"] += any(e.get("code") == "unknown_type" for e in events)
        closes[code] = closes.get(code, 0) + 1
        assert code not in INTERNAL_CLOSES, (code, events[-3:])
        problems = [p for p in map(event_problem, events) if p]
        assert problems == [], (problems, events[-3:])

    run()
    seconds = time.perf_counter() - started
    print(f"websocket fuzz: {seen}, server closes {closes} in {seconds:.1f} s")
    assert seen["sessions"] >= SESSIONS
    assert seen["answered"] > SESSIONS // 3  # the server read the frames of many, to the sentinel
    assert httpx.get(f"{server.url}/health", timeout=10).json()["status"] == "ok"
    log = server.log_tail(5_000_000)
    errors = [
        line for line in log.splitlines() if re.match(r"(ERROR|CRITICAL)\b", line) or "Traceback" in line
    ]
    assert errors == [], "\n".join(errors[:10])
