"""Bad input answers 4xx with {"error": {"code", "message"}}, never 500, and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.conftest import Api


def assert_error(r: Any, status: int, code: str | None = None) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body


@pytest.fixture
def logged(api: Api) -> dict[str, Any]:
    wid = api.workout()
    out = api.say(wid, "barbell bench press 100 kilos for 5 at rpe 9")
    return {"workout_id": wid, "set": out["sets"][0]}


BAD_PATCHES = [
    ({"reps": 0}, 400),
    ({"reps": -3}, 400),
    ({"reps": 1001}, 400),
    ({"reps": 5.5}, 400),
    ({"reps": "5"}, 400),
    ({"reps": True}, 400),
    ({"weight": -1}, 400),
    ({"weight": 2000.5}, 400),
    ({"weight": "heavy"}, 400),
    ({"rpe": 0.5}, 400),
    ({"rpe": 10.5}, 400),
    ({"rpe": 7.3}, 400),
    ({"rpe": "8"}, 400),
    ({"unit": "stone"}, 400),
    ({"duration_s": 0}, 400),
    ({"exercise_id": 12}, 400),
    ({"exercise_id": ""}, 400),
    ({"exercise_id": "Not_An_Exercise_Anywhere"}, 422),
    ({"reps": 6, "colour": "red"}, 400),
    ({"set_number": 2}, 400),
    ({}, 400),
]


@pytest.mark.parametrize(("body", "status"), BAD_PATCHES, ids=[json.dumps(b) for b, _ in BAD_PATCHES])
def test_bad_corrections_change_nothing(api: Api, logged: dict[str, Any], body: dict, status: int) -> None:
    before, sets_before = api.snapshot(), api.sets(logged["workout_id"])
    r = api.http.patch(f"/v1/sets/{logged['set']['id']}", json=body)
    assert_error(r, status)
    assert api.snapshot() == before
    assert api.sets(logged["workout_id"]) == sets_before


RAW_BODIES = [
    (b"{not json", "malformed_json"),
    (b'{"reps": 5', "malformed_json"),
    (b"", None),
    (b"[1, 2]", None),
    (b"null", None),
    (b"\xff\xfe", "malformed_json"),
]


@pytest.mark.parametrize(("raw", "code"), RAW_BODIES)
def test_malformed_bodies(api: Api, logged: dict[str, Any], raw: bytes, code: str | None) -> None:
    before = api.snapshot()
    headers = {"Content-Type": "application/json"}
    wid, set_id = logged["workout_id"], logged["set"]["id"]
    for method, path in [
        ("PATCH", f"/v1/sets/{set_id}"),
        ("POST", f"/v1/workouts/{wid}/utterances"),
        ("POST", "/v1/parse"),
    ]:
        r = api.http.request(method, path, content=raw, headers=headers)
        assert_error(r, 400, code)
    assert api.snapshot() == before


UTTERANCE_BODIES = [
    {"text": 42},
    {"text": ""},
    {"text": "   "},
    {"text": None},
    {},
    {"text": "barbell squat 185 for 8", "unit": "stone"},
    {"text": "barbell squat 185 for 8", "client_id": "not-a-uuid"},
    {"text": "x" * 2001},
]


@pytest.mark.parametrize("body", UTTERANCE_BODIES, ids=lambda b: json.dumps(b)[:40])
def test_bad_utterances_change_nothing(api: Api, logged: dict[str, Any], body: dict) -> None:
    before = api.snapshot()
    r = api.http.post(f"/v1/workouts/{logged['workout_id']}/utterances", json=body)
    assert_error(r, 400)
    assert api.snapshot() == before


@pytest.mark.parametrize(
    "body",
    [{"text": 1}, {"text": ""}, {"text": "ok", "unit": "g"}, {"text": "ok", "previous": {"sets": "x"}}],
)
def test_bad_parse_requests(api: Api, body: dict) -> None:
    assert_error(api.http.post("/v1/parse", json=body), 400)


def test_bad_workout_bodies(api: Api) -> None:
    before = api.snapshot()
    assert_error(api.http.post("/v1/workouts", json={"name": 5}), 400)
    assert_error(api.http.post("/v1/workouts", json={"name": "n" * 201}), 400)
    assert api.snapshot() == before


def test_oversized_bodies_answer_413(api: Api, logged: dict[str, Any]) -> None:
    before = api.snapshot()
    huge = json.dumps({"text": "barbell squat 185 for 8 " + "x" * 70_000}).encode()
    wid, set_id = logged["workout_id"], logged["set"]["id"]
    headers = {"Content-Type": "application/json"}
    assert_error(api.http.post(f"/v1/workouts/{wid}/utterances", content=huge, headers=headers), 413)
    assert_error(api.http.post("/v1/parse", content=huge, headers=headers), 413)
    assert_error(api.http.patch(f"/v1/sets/{set_id}", content=huge, headers=headers), 413)

    def chunks():  # no Content-Length: the limit must hold for streamed bodies too
        for _ in range(20):
            yield b" " * 8192

    assert_error(api.http.post("/v1/parse", content=chunks(), headers=headers), 413)
    assert api.snapshot() == before


def test_unknown_ids_answer_404(api: Api) -> None:
    ghost = "00000000-0000-0000-0000-000000000000"
    assert_error(api.http.get(f"/v1/workouts/{ghost}"), 404, "not_found")
    assert_error(
        api.http.post(f"/v1/workouts/{ghost}/utterances", json={"text": "barbell squat 185 for 8"}), 404
    )
    assert_error(api.http.patch(f"/v1/sets/{ghost}", json={"reps": 5}), 404)
    assert_error(api.http.delete(f"/v1/sets/{ghost}"), 404)
    assert_error(api.http.get("/v1/workouts/not-even-a-uuid"), 404)


def test_bad_query_parameters(api: Api) -> None:
    assert_error(api.http.get("/v1/exercises"), 400)
    assert_error(api.http.get("/v1/exercises", params={"q": "bench", "limit": "lots"}), 400)
    assert_error(api.http.get("/v1/exercises", params={"q": "bench", "limit": 0}), 400)
    assert_error(api.http.get("/v1/export/fine-tune", params={"format": "csv"}), 400)


def test_impossible_spoken_numbers_are_asked_about_not_logged(api: Api) -> None:
    wid = api.workout()
    before = api.snapshot()
    out = api.say(wid, "barbell squat 5000 pounds for 5")
    assert out["sets"] == [] and out["action"] == "clarify"
    assert api.snapshot()["workout_sets"] == before["workout_sets"]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"text": "barbell squat\\u0000 185 for 8"}',
        b'{"text": "barbell squat \\ud800 185 for 8"}',
        b'{"text": "barbell squat 185 for 8", "unit": "lb\\u0000"}',
        b'{"text": "barbell squat 99999999999999999999999 for 8"}',
    ],
)
def test_hostile_strings_never_break_the_database(api: Api, raw: bytes) -> None:
    wid = api.workout()
    before = api.snapshot()
    headers = {"Content-Type": "application/json"}
    r = api.http.post(f"/v1/workouts/{wid}/utterances", content=raw, headers=headers)
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert_error(r, r.status_code)
        assert api.snapshot() == before
    named = api.http.post("/v1/workouts", content=raw.replace(b'"text"', b'"name"'), headers=headers)
    assert named.status_code < 500, named.text
    big = api.http.patch(f"/v1/sets/{'x' * 5000}", json={"reps": 99999999999999999999999})
    assert_error(big, 400)


def test_nul_in_path_ids_is_just_not_found(api: Api) -> None:
    assert_error(api.http.get("/v1/workouts/abc%00def"), 404)
    assert_error(api.http.patch("/v1/sets/abc%00def", json={"reps": 5}), 404)
    assert_error(api.http.delete("/v1/sets/%00"), 404)
    assert_error(api.http.get("/v1/voice-commands/%00"), 404)
    assert api.http.get("/v1/exercises", params={"q": "bench\x00press"}).status_code < 500
