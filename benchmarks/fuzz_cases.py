"""Random and garbage inputs for `benchmarks/fuzz.py`: REST requests and websocket frame sequences.

Seeded (`random.Random`), so a failing case is reproduced by its seed and index. Each generator starts
from something the contract accepts and breaks it in the ways an outside tester did (issue 19): wrong
types, out-of-range and impossible numbers, unknown fields, nesting 1,000+ deep, truncation, random
bytes, hostile strings, mutated WAV headers, frames in the wrong order.
"""

from __future__ import annotations

import io
import json
import random
import struct
import uuid
import wave
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Ids", "RestCase", "WsCase", "rest_case", "ws_case", "ws_frame"]


@dataclass
class Ids:
    """What the fuzzer set up before it started: real ids to aim at, and a second user's."""

    token: str
    other_token: str
    workouts: list[str]
    sets: list[str]
    commands: list[str]
    other_workout: str


@dataclass
class RestCase:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None
    files: dict[str, Any] | None = None
    label: str = ""


@dataclass
class WsCase:
    query: str
    frames: list[str | bytes] = field(default_factory=list)
    label: str = ""
    drop: bool = False
    """end by dropping the TCP connection instead of a close frame"""


_PHRASES = [
    "barbell squat 225 for 5",
    "bench 185 for 8 at rpe 8",
    "deadlift 3 sets of 5 at 315",
    "plank for 60 seconds",
    "same again",
    "make that six reps",
    "scratch that",
    "dumbbell curls 30 pounds 12 reps",
]
_HOSTILE = [
    "",
    " ",
    "\x00",
    "\ud800",
    "\u202e\u0000bench",
    "💪" * 50,
    "1e999",
    "-5",
    "NaN",
    "Infinity",
    "9" * 400,
    "x" * 2001,
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "<script>alert(1)</script>",
    "bench 1e999 for 5",
    "deadlift -5 for -3",
    "plank for 1e10 minutes",
    "rpe 9.75",
]


def _value(rng: random.Random, depth: int = 0) -> Any:
    """Any JSON value, biased towards the ones decoders and validators trip on."""
    pick = rng.randrange(14)
    if pick == 0:
        return rng.choice([0, -1, 1, 2**31, 2**63, -(2**63), 10**30])
    if pick == 1:
        return rng.choice([0.5, -0.0, 1e308, -1e308, 5e-324, 7.3, 9.75, 1000.5])
    if pick == 2:
        return rng.choice([True, False, None])
    if pick in (3, 4):
        return rng.choice(_HOSTILE)
    if pick == 5:
        return rng.choice(_PHRASES)
    if pick == 6 and depth < 3:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if pick == 7 and depth < 3:
        return {_key(rng): _value(rng, depth + 1) for _ in range(rng.randrange(4))}
    if pick == 8:
        return str(uuid.uuid4())
    if pick == 9:
        return "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(1, 40)))
    return rng.choice(["lb", "kg", "stone", "log_set", "Barbell_Squat", ""])


def _key(rng: random.Random) -> str:
    return rng.choice(
        [
            "text",
            "unit",
            "name",
            "client_id",
            "previous",
            "reps",
            "weight",
            "rpe",
            "clientId",
            "extra",
            "",
            "\x00",
            "type",
            "sets",
            "exercise_id",
            "duration_s",
            "fields",
        ]
    )


def _deep(rng: random.Random) -> str:
    depth = rng.choice([64, 200, 1000, 3000, 20_000])
    if rng.random() < 0.5:
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


def _template(rng: random.Random, kind: str, ids: Ids) -> dict[str, Any]:
    if kind == "parse":
        body: dict[str, Any] = {"text": rng.choice(_PHRASES), "unit": rng.choice(["lb", "kg"])}
        if rng.random() < 0.4:
            body["previous"] = {
                "intent": "log_set",
                "exercise": {"id": "Barbell_Squat", "name": "Barbell Squat"},
                "sets": 1,
                "reps": 5,
                "weight": 225.0,
                "unit": "lb",
                "confidence": 0.9,
            }
        return body
    if kind == "utterance":
        body = {"text": rng.choice(_PHRASES)}
        if rng.random() < 0.5:
            body["client_id"] = str(uuid.uuid4())
        return body
    if kind == "workout":
        return {"name": "legs"} if rng.random() < 0.7 else {}
    return {rng.choice(["reps", "weight", "rpe", "unit", "duration_s", "exercise_id"]): _value(rng)}


def _json_body(rng: random.Random, kind: str, ids: Ids) -> bytes:
    body = _template(rng, kind, ids)
    for _ in range(rng.randrange(0, 4)):
        op = rng.randrange(6)
        if op == 0 and body:
            body[rng.choice(list(body))] = _value(rng)
        elif op == 1:
            body[_key(rng)] = _value(rng)
        elif op == 2 and body:
            body.pop(rng.choice(list(body)))
        elif op == 3:
            body["previous" if kind == "parse" else _key(rng)] = {"x": _value(rng)}
    raw = json.dumps(body, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
    tail = rng.randrange(10)
    if tail == 0:  # nesting in a field
        return raw[:-1] + (b", " if body else b"") + b'"extra": ' + _deep(rng).encode() + b"}"
    if tail == 1:  # truncated or flipped
        cut = bytearray(raw[: rng.randrange(0, len(raw) + 1)])
        if cut and rng.random() < 0.5:
            cut[rng.randrange(len(cut))] = rng.getrandbits(8)
        return bytes(cut)
    if tail == 2:  # not an object at all
        return rng.choice(
            [
                b"",
                b"   ",
                b"null",
                b"[]",
                b"42",
                b'"text"',
                b"\xff\xfe\x00",
                _deep(rng).encode(),
                bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 200))),
            ]
        )
    if tail == 3 and rng.random() < 0.2:  # beyond the body limit
        return json.dumps({"text": "x" * 70_000}).encode()
    return raw


def wav_bytes(seconds: float = 0.3, rate: int = 16000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x00\x00" * int(rate * seconds))
    return buf.getvalue()


def _wav_body(rng: random.Random) -> bytes:
    data = bytearray(wav_bytes(rng.choice([0.05, 0.3, 1.0]), rng.choice([8000, 16000, 44100])))
    for _ in range(rng.randrange(0, 5)):
        at = rng.randrange(0, 44)
        if rng.random() < 0.5:
            data[at : at + 4] = struct.pack(
                "<I", rng.choice([0, 1, 2, 0xFFFFFFFF, 0xFFFFFFF0, rng.getrandbits(32)])
            )
        else:
            data[at] = rng.getrandbits(8)
    if rng.random() < 0.15:
        data = data[: rng.randrange(0, len(data))]
    if rng.random() < 0.05:
        data = bytearray(rng.getrandbits(8) for _ in range(rng.randrange(0, 4000)))
    return bytes(data)


def _id(rng: random.Random, pool: list[str], ids: Ids) -> str:
    pick = rng.randrange(10)
    if pick < 5 and pool:
        return rng.choice(pool)
    if pick == 5:
        return ids.other_workout
    if pick == 6:
        return str(uuid.uuid4())
    return rng.choice(["x", "a" * 300, "%00", "..%2F..%2F", "😀", "null", "-1", "0" * 64, "%ff%fe", "%20"])


def _auth(rng: random.Random, ids: Ids) -> dict[str, str]:
    pick = rng.random()
    if pick < 0.9:
        return {"Authorization": f"Bearer {ids.token}"}
    if pick < 0.93:
        return {"Authorization": f"Bearer {ids.other_token}"}
    if pick < 0.97:
        return {}
    return {"Authorization": rng.choice(["Bearer", "Bearer " + "x" * 5000, "Basic abc", "Bearer vl_\x7f"])}


def rest_case(rng: random.Random, ids: Ids) -> RestCase:
    headers = _auth(rng, ids)
    json_type = {
        "Content-Type": rng.choice(
            ["application/json"] * 6
            + ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""]
        )
    }
    route = rng.randrange(16)
    if route == 0:
        return RestCase(
            "POST", "/v1/parse", headers | json_type, _json_body(rng, "parse", ids), label="parse"
        )
    if route == 1:
        return RestCase(
            "POST", "/v1/workouts", headers | json_type, _json_body(rng, "workout", ids), label="workouts"
        )
    if route in (2, 3, 4):
        wid = _id(rng, ids.workouts, ids)
        body = _json_body(rng, "utterance", ids)
        return RestCase(
            "POST", f"/v1/workouts/{wid}/utterances", headers | json_type, body, label="utterances"
        )
    if route == 5:
        return RestCase("GET", f"/v1/workouts/{_id(rng, ids.workouts, ids)}", headers, label="workout")
    if route in (6, 7):
        wid = _id(rng, ids.workouts, ids)
        path = f"/v1/workouts/{wid}/audio"
        if rng.random() < 0.3:
            name = rng.choice(["file", "other", ""])
            return RestCase(
                "POST", path, headers, files={name: ("a.wav", _wav_body(rng), "audio/wav")}, label="audio"
            )
        return RestCase("POST", path, headers | {"Content-Type": "audio/wav"}, _wav_body(rng), label="audio")
    if route == 8:
        return RestCase(
            "PATCH",
            f"/v1/sets/{_id(rng, ids.sets, ids)}",
            headers | json_type,
            _json_body(rng, "patch", ids),
            label="patch",
        )
    if route == 9:
        return RestCase("DELETE", f"/v1/sets/{_id(rng, [], ids)}", headers, label="delete")
    if route == 10:
        q = rng.choice(["bench", "", "x" * 3000, "\x00", "squat%", "*", *_PHRASES])
        limit = rng.choice(["5", "0", "-1", "lots", "100000", "1e3"])
        return RestCase("GET", f"/v1/exercises?q={q}&limit={limit}", headers, label="exercises")
    if route == 11:
        return RestCase(
            "GET", f"/v1/voice-commands/{_id(rng, ids.commands, ids)}", headers, label="voice-command"
        )
    if route == 12:
        return RestCase("GET", f"/v1/sets/{_id(rng, ids.sets, ids)}/history", headers, label="history")
    if route == 13:
        fmt = rng.choice(["sft", "dpo", "csv", "", "SFT"])
        return RestCase("GET", f"/v1/export/fine-tune?format={fmt}", headers, label="export")
    if route == 14:
        name = rng.choice(
            [
                "app.js",
                "a" * rng.choice([255, 256, 300, 5000]),
                "../server/app.py",
                "%00",
                "x/" * 300,
                "index.html",
                "%2e%2e/%2e%2e/etc/passwd",
                "😀.js",
            ]
        )
        return RestCase("GET", f"/static/{name}", {}, label="static")
    method = rng.choice(["GET", "PUT", "POST", "PATCH", "DELETE", "OPTIONS", "HEAD"])
    path = rng.choice(
        ["/", "/health", "/schema", "/v1", "/v1/", "/v1/workouts/", "/v1/nothing", "/" + "z" * 3000]
    )
    return RestCase(method, path, headers | json_type, _json_body(rng, "workout", ids), label="other")


def ws_frame(rng: random.Random, ids: Ids) -> str | bytes:
    """One websocket frame of a fuzzed session (the suite's hypothesis strategies draw from it too)."""
    pick = rng.randrange(12)
    if pick == 0:
        return json.dumps(
            {
                "type": "start",
                "sample_rate": rng.choice([16000, 48000, 44100, 8000, 0, -1, 10**12, "x"]),
                "encoding": rng.choice(["pcm_s16le", "opus", 5]),
                "unit": rng.choice(["lb", "kg", "g"]),
            }
        )
    if pick in (1, 2):  # audio: silence, quiet noise, odd byte counts, nothing
        n = rng.choice([0, 1, 3, 320, 3200, 32000])
        if rng.random() < 0.7:
            return b"\x00" * n
        return bytes(rng.getrandbits(8) & 0x0F for _ in range(n))
    if pick == 3:
        return json.dumps({"type": "text", "text": _value(rng)}, ensure_ascii=True)
    if pick == 4:
        return json.dumps({"type": "text", "text": rng.choice(_PHRASES + _HOSTILE[:8])}, ensure_ascii=True)
    if pick == 5:
        return json.dumps(
            {"type": "correct", "set_id": _id(rng, ids.sets, ids), "fields": {_key(rng): _value(rng)}},
            ensure_ascii=True,
        )
    if pick == 6:
        return json.dumps({"type": rng.choice(["end_utterance", "stop", "nope", "", None])})
    if pick == 7:
        return '{"type": "text", "text": "x", "extra": ' + _deep(rng) + "}"
    if pick == 8:
        return rng.choice(["", " ", "{", "null", "[]", "42", _deep(rng), "\x00", '{"type": "text"}'])
    if pick == 9:
        return bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 64))).decode("latin-1")
    return json.dumps({"type": "text", "text": rng.choice(_PHRASES)})


def ws_case(rng: random.Random, ids: Ids) -> WsCase:
    pick = rng.random()
    workout = rng.choice(ids.workouts)
    if pick < 0.05:
        return WsCase(query=f"workout_id={workout}", label="ws-no-token")
    if pick < 0.08:
        return WsCase(query=f"token={ids.token}", label="ws-no-workout")
    if pick < 0.11:
        return WsCase(query=f"workout_id={ids.other_workout}&token={ids.token}", label="ws-other-workout")
    query = f"workout_id={workout}&token={ids.token}"
    if rng.random() < 0.1:
        query += "&session_id=" + rng.choice(["x", "a" * 300, str(uuid.uuid4()), "%00"])
    frames = [ws_frame(rng, ids) for _ in range(rng.randrange(1, 12))]
    if rng.random() < 0.3:
        frames.append(json.dumps({"type": "stop"}))
    return WsCase(query=query, frames=frames, label="ws", drop=rng.random() < 0.1)
