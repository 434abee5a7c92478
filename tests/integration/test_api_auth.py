"""Auth: a bearer token on every /v1 route, and a user never sees or changes another user's data."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.conftest import Api, LiveServer

ROUTES = [
    ("POST", "/v1/parse", {"text": "barbell squat 185 for 8"}),
    ("POST", "/v1/workouts", {}),
    ("GET", "/v1/workouts/00000000-0000-0000-0000-000000000000", None),
    (
        "POST",
        "/v1/workouts/00000000-0000-0000-0000-000000000000/utterances",
        {"text": "barbell squat 185 for 8"},
    ),
    ("PATCH", "/v1/sets/00000000-0000-0000-0000-000000000000", {"reps": 5}),
    ("DELETE", "/v1/sets/00000000-0000-0000-0000-000000000000", None),
    ("GET", "/v1/sets/00000000-0000-0000-0000-000000000000/history", None),
    ("GET", "/v1/exercises?q=bench", None),
    ("GET", "/v1/export/fine-tune?format=sft", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
@pytest.mark.parametrize("header", [None, "Bearer vl_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer"])
def test_every_v1_route_needs_a_valid_token(
    live: LiveServer, method: str, path: str, body: dict | None, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    r = httpx.request(method, f"{live.url}{path}", json=body, headers=headers)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"
    assert r.json()["error"]["message"]


def test_no_body_complaint_before_auth(live: LiveServer) -> None:
    r = httpx.post(
        f"{live.url}/v1/workouts", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 401


def test_token_is_stored_only_as_a_hash(live: LiveServer, api: Api) -> None:
    rows = live.query("SELECT token_hash FROM api_tokens WHERE user_id = :u", u=api.user_id)
    assert len(rows) == 1
    assert rows[0][0] != api.token and len(rows[0][0]) == 64
    dump = live.query("SELECT * FROM api_tokens")
    assert all(api.token not in str(row) for row in dump)


def test_another_users_ids_answer_404(api: Api, other: Api) -> None:
    wid = api.workout()
    out = api.say(wid, "deadlift 2 sets of 5 at 315")
    set_id = out["sets"][0]["id"]
    before = api.snapshot()
    theirs = api.sets(wid)

    calls = [
        other.http.get(f"/v1/workouts/{wid}"),
        other.http.post(f"/v1/workouts/{wid}/utterances", json={"text": "scratch that"}),
        other.http.post(f"/v1/workouts/{wid}/utterances", json={"text": "barbell squat 185 for 8"}),
        other.http.patch(f"/v1/sets/{set_id}", json={"reps": 1}),
        other.http.delete(f"/v1/sets/{set_id}"),
        other.http.get(f"/v1/sets/{set_id}/history"),
        other.http.get(f"/v1/voice-commands/{out['voice_command_id']}"),
    ]
    for r in calls:
        assert r.status_code == 404, (r.request.method, r.request.url, r.text)
        assert r.json()["error"]["code"] == "not_found"
    assert api.snapshot() == before
    assert api.sets(wid) == theirs


def test_spoken_undo_and_correction_stay_in_the_callers_workout(api: Api, other: Api) -> None:
    mine = api.workout()
    api.say(mine, "barbell squat 185 for 8")
    before = api.sets(mine)
    theirs = other.workout()
    assert other.say(theirs, "scratch that")["action"] == "ignored"
    assert other.say(theirs, "make that 6 reps")["action"] == "clarify"
    assert api.sets(mine) == before


def test_unknown_routes_answer_the_error_body(api: Api) -> None:
    r = api.http.get("/v1/nothing-here")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    r = api.http.put("/v1/workouts")
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "method_not_allowed"
