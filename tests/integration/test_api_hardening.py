"""Issue 19's table, REST rows: inputs an outside tester found to answer 500 or to log something else
than what was said. Each answers a clear 4xx (or a `clarify`) with the contract body, and changes nothing."""

from __future__ import annotations

import io
import struct
import uuid
import wave
from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.integration.test_api_errors import assert_error

JSON = {"Content-Type": "application/json"}
_DEEP = 1000


def _nested_array(depth: int = _DEEP) -> str:
    return "[" * depth + "]" * depth


def _nested_object(depth: int = _DEEP) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.fixture
def workout(api: Api) -> str:
    return api.workout()


def _deep_bodies() -> list[str]:
    # In a field the body's struct does not know (skipped, but still walked) and inside a known one.
    return [
        '{"text": "barbell squat 185 for 8", "extra": ' + _nested_array() + "}",
        '{"text": "barbell squat 185 for 8", "extra": ' + _nested_object() + "}",
        '{"text": "barbell squat 185 for 8", "name": "n", "previous": {"intent": "log_set", '
        '"exercise": {"id": "Barbell_Squat", "name": "Barbell Squat", "x": ' + _nested_array() + "}}}",
    ]


@pytest.mark.parametrize("route", ["parse", "workouts", "utterances"])
def test_deeply_nested_json_is_a_4xx(api: Api, workout: str, route: str) -> None:
    path = {
        "parse": "/v1/parse",
        "workouts": "/v1/workouts",
        "utterances": f"/v1/workouts/{workout}/utterances",
    }
    before = api.snapshot()
    for body in _deep_bodies():
        r = api.http.post(path[route], content=body, headers=JSON)
        assert_error(r, 400)
    assert api.snapshot() == before
    assert api.http.get("/health").status_code == 200


def _wav(seconds: float = 0.5) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x00\x00" * int(16000 * seconds))
    return buf.getvalue()


def _with_u32(data: bytes, offset: int, value: int) -> bytes:
    out = bytearray(data)
    out[offset : offset + 4] = struct.pack("<I", value)
    return bytes(out)


def _junk_chunk_past_the_end() -> bytes:
    data = _wav()
    return data[:12] + b"LIST" + struct.pack("<I", 0xFFFFFFF0) + data[12:]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (_with_u32(_wav(), 16, 0xFFFFFFF0), "unreadable_audio"),  # fmt chunk size
        (_with_u32(_wav(), 16, 0x7FFFFFFF), "unreadable_audio"),
        (_with_u32(_wav(), 16, 2), "unreadable_audio"),  # a fmt chunk too small to hold a format
        (_junk_chunk_past_the_end(), "unreadable_audio"),
        (_with_u32(_wav(), 24, 0), "bad_audio"),  # sample rate 0
        # sizes the reader does not need are not trusted either: these read as the silence they hold
        (_with_u32(_wav(), 4, 0xFFFFFFFF), "no_speech"),  # RIFF size
        (_with_u32(_wav(), 28, 0), "no_speech"),  # byte rate 0
    ],
    ids=["fmt-huge", "fmt-2g", "fmt-tiny", "junk-chunk-huge", "rate-0", "riff-huge", "byte-rate-0"],
)
def test_impossible_wav_chunks_are_4xx(api: Api, workout: str, data: bytes, code: str) -> None:
    before = api.snapshot()
    r = api.http.post(f"/v1/workouts/{workout}/audio", content=data, headers={"Content-Type": "audio/wav"})
    assert 400 <= r.status_code < 500, r.text
    assert_error(r, r.status_code, code)
    assert api.snapshot() == before


def test_impossible_fmt_size_names_unreadable_audio(api: Api, workout: str) -> None:
    data = _with_u32(_wav(), 16, 0xFFFFFFF0)
    r = api.http.post(f"/v1/workouts/{workout}/audio", content=data, headers={"Content-Type": "audio/wav"})
    assert_error(r, 422, "unreadable_audio")


@pytest.mark.parametrize(
    "name",
    ["a" * 300, "b" * 5000, "x/" * 200 + "index.html", "%00name"],
    ids=["300-chars", "5000-chars", "deep-path", "nul"],
)
def test_static_names_the_filesystem_refuses_are_404(api: Api, name: str) -> None:
    r = api.http.get(f"/static/{name}")
    assert_error(r, 404)


def test_client_id_reused_on_another_workout_is_409(api: Api) -> None:
    first, second = api.workout(), api.workout()
    cid = str(uuid.uuid4())
    api.say(first, "barbell squat 185 for 8", client_id=cid)
    before = api.snapshot()
    r = api.http.post(
        f"/v1/workouts/{second}/utterances", json={"text": "barbell squat 185 for 8", "client_id": cid}
    )
    assert_error(r, 409, "client_id_conflict")
    assert cid in r.json()["error"]["message"] and first in r.json()["error"]["message"]
    assert api.snapshot() == before
    assert api.sets(second) == []


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("utterances", {"text": "barbell squat 185 for 8", "clientId": str(uuid.uuid4())}, "clientId"),
        ("utterances", {"text": "barbell squat 185 for 8", "units": "kg"}, "units"),
        ("workouts", {"nmae": "legs"}, "nmae"),
        ("parse", {"text": "barbell squat 185 for 8", "prev": None}, "prev"),
        ("parse", {"text": "same again", "previous": {"intent": "log_set", "repz": 5}}, "repz"),
    ],
)
def test_unknown_fields_are_refused_by_name(
    api: Api, workout: str, route: str, body: dict[str, Any], field: str
) -> None:
    path = {
        "parse": "/v1/parse",
        "workouts": "/v1/workouts",
        "utterances": f"/v1/workouts/{workout}/utterances",
    }
    before = api.snapshot()
    r = api.http.post(path[route], json=body)
    assert_error(r, 400, "unknown_field")
    assert field in r.json()["error"]["message"]
    assert api.snapshot() == before


def test_a_retry_with_a_misspelled_client_id_cannot_duplicate(api: Api, workout: str) -> None:
    cid = str(uuid.uuid4())
    for _ in range(2):
        r = api.http.post(
            f"/v1/workouts/{workout}/utterances", json={"text": "deadlift 315 for 5", "clientId": cid}
        )
        assert_error(r, 400, "unknown_field")
    assert api.sets(workout) == []


@pytest.mark.parametrize(
    "previous",
    [
        {"intent": "log_set", "reps": -5},
        {"intent": "log_set", "weight": 1e308},
        {"intent": "log_set", "weight": -1},
        {"intent": "log_set", "rpe": 7.3},
        {"intent": "log_set", "rpe": 11},
        {"intent": "log_set", "sets": 0},
        {"intent": "log_set", "sets": 10_000},
        {"intent": "log_set", "duration_s": -60},
        {"intent": "log_set", "confidence": 2.5},
    ],
)
def test_parse_previous_holds_the_ranges_of_a_set(api: Api, previous: dict[str, Any]) -> None:
    r = api.http.post("/v1/parse", json={"text": "same again", "previous": previous})
    assert_error(r, 400, "invalid_input")


def test_parse_previous_in_range_still_resolves_same_again(api: Api) -> None:
    previous = {
        "intent": "log_set",
        "exercise": {"id": "Barbell_Squat", "name": "Barbell Squat"},
        "sets": 1,
        "reps": 5,
        "weight": 225.0,
        "unit": "lb",
        "rpe": 8.5,
        "confidence": 0.9,
    }
    r = api.http.post("/v1/parse", json={"text": "same again", "previous": previous})
    assert r.status_code == 200, r.text
    assert (r.json()["reps"], r.json()["weight"]) == (5, 225.0)


@pytest.mark.parametrize(
    "text",
    [
        "bench 1e999 for 5",
        "barbell bench press 2.5e2 for 5",
        "deadlift -5 for -3",
        "barbell squat 225 for -5",
        "plank for 1e10 minutes",
        "barbell bench press 100 for 5 rpe 9.75",
        "barbell bench press 100 for 5 at rpe 11",
        "barbell squat " + "9" * 400 + " for 8",  # read as infinity, which PostgreSQL's JSON refuses
    ],
    ids=lambda text: text[:40],
)
def test_numbers_a_set_cannot_hold_are_asked_about(api: Api, workout: str, text: str) -> None:
    before = api.snapshot()
    r = api.http.post(f"/v1/workouts/{workout}/utterances", json={"text": text})
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert_error(r, r.status_code)
    else:
        body = r.json()
        assert body["action"] == "clarify", body
        assert body["sets"] == [] and body["question"]
    assert api.snapshot()["workout_sets"] == before["workout_sets"]
    parsed = api.http.post("/v1/parse", json={"text": text})
    assert parsed.status_code == 200, parsed.text
    assert parsed.json()["confidence"] < 0.5, parsed.json()


# -- messages an app developer can act on (issue 19, "Parts") ------------------------------------------


def test_an_empty_body_says_so_and_whitespace_is_malformed_json(api: Api, workout: str) -> None:
    before = api.snapshot()
    for path in ("/v1/parse", f"/v1/workouts/{workout}/utterances"):
        empty = api.http.post(path, content=b"", headers=JSON)
        assert_error(empty, 400, "empty_body")
        assert "empty" in empty.json()["error"]["message"]
        assert_error(api.http.post(path, content=b" \n\t ", headers=JSON), 400, "malformed_json")
    assert api.http.post("/v1/workouts", content=b"", headers=JSON).status_code == 201  # optional body
    assert api.snapshot()["workout_sets"] == before["workout_sets"]


@pytest.mark.parametrize(
    "path",
    ["/v1/workouts/{id}", "/v1/sets/{id}/history", "/v1/voice-commands/{id}", "/v1/workouts/{id}/utterances"],
)
def test_long_ids_are_not_echoed_whole(api: Api, path: str) -> None:
    ghost = "x" * 5000
    url = path.format(id=ghost)
    r = (
        api.http.post(url, json={"text": "barbell squat 185 for 8"})
        if "utterances" in url
        else api.http.get(url)
    )
    assert_error(r, 404)
    message = r.json()["error"]["message"]
    assert "x" * 65 not in message and len(message) < 120, message
