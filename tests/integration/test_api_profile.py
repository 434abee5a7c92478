"""/v1/profile over real HTTP on both databases: PUT the whole profile, PATCH with RFC 6902, the ledger,
`as_of`, and bad input refused with nothing stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.integration.conftest import Api

PATCH = {"Content-Type": "application/json-patch+json"}
PROFILE = {
    "goals": {"primaryGoal": "strength", "objective": "squat 180 kg", "eventDate": "2027-03-01"},
    "availability": {"daysPerWeek": 4, "minutesPerSession": 60, "preferredTimes": ["morning"]},
    "metrics": {"bodyweight": {"value": 82.5, "unit": "kg"}},
    "preferences": {"coachingTone": "tough-love"},
    "constraints": [
        {"id": "sh1", "type": "injury", "label": "left shoulder impingement", "affectedAreas": ["shoulder"]}
    ],
}


def patch(api: Api, ops: Any, **params: str) -> Any:
    return api.http.patch("/v1/profile", json=ops, headers=PATCH, params=params)


def test_put_patch_history_and_as_of(api: Api) -> None:
    assert api.http.get("/v1/profile").json()["constraints"] == []
    r = api.http.put("/v1/profile", json=PROFILE)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["availability"]["daysPerWeek"] == 4
    assert body["constraints"][0]["status"] == "active"  # defaults filled in
    r = patch(
        api,
        [
            {"op": "replace", "path": "/metrics/bodyweight/value", "value": 81},
            {"op": "replace", "path": "/constraints/0/status", "value": "resolved"},
        ],
        source="voice",
        reason="shoulder's fine now",
    )
    assert r.status_code == 200, r.text
    assert r.json()["metrics"]["bodyweight"] == {"value": 81.0, "unit": "kg"}
    assert api.http.get("/v1/profile").json() == r.json()

    history = api.http.get("/v1/profile/history").json()
    assert [h["source"] for h in history] == ["user", "voice"]
    assert set(history[0]) >= {"patch", "path", "source", "reason", "created_at"}
    assert history[1]["reason"] == "shoulder's fine now" and history[1]["path"] == ""
    assert history[1]["patch"][0] == {"op": "replace", "path": "/metrics/bodyweight/value", "value": 81}

    today = datetime.now(UTC).date()
    assert api.http.get("/v1/profile", params={"as_of": today.isoformat()}).json() == r.json()
    past = api.http.get("/v1/profile", params={"as_of": (today - timedelta(days=1)).isoformat()}).json()
    assert past["goals"]["primaryGoal"] is None and past["constraints"] == []


def test_bad_patches_and_profiles_answer_4xx_and_store_nothing(api: Api) -> None:
    assert api.http.put("/v1/profile", json=PROFILE).status_code == 200
    before = api.http.get("/v1/profile").json()
    cases = [
        (patch(api, [{"op": "add", "path": "/nickname", "value": "x"}]), 422),
        (patch(api, [{"op": "replace", "path": "/availability/daysPerWeek", "value": 12}]), 422),
        (patch(api, [{"op": "remove", "path": "/constraints/5"}]), 409),
        (patch(api, [{"op": "test", "path": "/version", "value": 2}]), 409),
        (patch(api, {"op": "replace"}), 400),
        (patch(api, [{"op": "frobnicate", "path": "/version"}]), 400),
        (api.http.patch("/v1/profile", content=b"[{", headers=PATCH), 400),
        (api.http.patch("/v1/profile", content=b"[]", headers={"Content-Type": "text/plain"}), 415),
        (api.http.put("/v1/profile", json={**PROFILE, "favouriteColour": "red"}), 422),
        (api.http.put("/v1/profile", json={"preferences": {"coachingTone": "mean"}}), 422),
        (api.http.put("/v1/profile", json={"goals": {"objective": "a\u0000b"}}), 422),
        (api.http.put("/v1/profile", json=[PROFILE]), 400),
        (patch(api, [{"op": "add", "path": "/goals/objective", "value": "nul\u0000"}]), 422),
        (api.http.get("/v1/profile", params={"as_of": "yesterday"}), 400),
        (patch(api, [], source="telepathy"), 400),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        assert response.json()["error"]["code"]
    assert api.http.get("/v1/profile").json() == before
    assert len(api.http.get("/v1/profile/history").json()) == 1


def test_common_alternative_names_are_folded_into_the_profiles_own(api: Api) -> None:
    body = {
        "primaryGoal": "hypertrophy",
        "metrics": {
            "height": {"value": 70, "unit": "in"},
            "bodyFat": 18,
            "bodyweight": {"value": 180, "unit": "lb"},
        },
        "availability": {"daysPerWeek": 3, "minutes": 45},
        "constraints": [{"id": "k", "type": "injury", "label": "knee", "severity": 4, "start": "2026-11-01"}],
    }
    r = api.http.put("/v1/profile", json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["goals"]["primaryGoal"] == "hypertrophy" and "primaryGoal" not in got
    assert (got["metrics"]["heightCm"], got["metrics"]["bodyFatPercent"]) == (177.8, 18.0)
    assert got["availability"]["minutesPerSession"] == 45
    assert got["constraints"][0]["startDate"] == "2026-11-01" and got["constraints"][0]["severity"] == 4


def test_profiles_are_per_user(api: Api, other: Api) -> None:
    assert api.http.put("/v1/profile", json=PROFILE).status_code == 200
    assert other.http.get("/v1/profile").json()["goals"]["primaryGoal"] is None
    assert other.http.get("/v1/profile/history").json() == []


def test_context_carries_the_profile_and_logged_prs_deterministically(api: Api) -> None:
    assert api.http.put("/v1/profile", json=PROFILE).status_code == 200
    wid = api.workout()
    api.say(wid, "barbell squat 100 kg for 5")
    api.say(wid, "barbell squat 110 kg for 3")
    first = api.http.get("/v1/profile/context")
    assert first.status_code == 200, first.text
    again = api.http.get("/v1/profile/context")
    assert first.content == again.content  # byte-identical for the same inputs
    body = first.json()
    today = datetime.now(UTC).date().isoformat()
    lines = body["prose"].splitlines()
    assert lines[0] == f"USER PROFILE (as of {today})"
    assert lines[1] == "- GOAL: strength; squat 180 kg; event 2027-03-01"
    assert lines[5].startswith("- CONSTRAINTS: left shoulder impingement (injury; areas: shoulder")
    assert lines[7] == f"- METRICS: bodyweight 82.5 kg; PRs: Barbell Squat 110 kg × 3 ({today}, logged)"
    assert body["facts"]["loggedPrs"][0]["weight"] == 110.0
    assert body["facts"]["preferences"]["coachingTone"] == "tough-love"
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    past = api.http.get("/v1/profile/context", params={"as_of": yesterday}).json()
    assert past["prose"].splitlines()[1] == "- GOAL: not set"
    assert past["facts"]["loggedPrs"] == []


def test_openapi_lists_the_profile_and_coach_routes(api: Api) -> None:
    paths = api.http.get("/schema/openapi.json").json()["paths"]
    for path in ("/v1/profile", "/v1/profile/history", "/v1/profile/context", "/v1/coach"):
        assert path in paths, path
    assert set(paths["/v1/profile"]) >= {"get", "put", "patch"}
    assert "application/json-patch+json" in paths["/v1/profile"]["patch"]["requestBody"]["content"]
    assert "{id}.md" in paths["/v1/workouts/{workout_id}"]["get"]["description"]


def test_spoken_updates_become_voice_rows_with_their_transcript(api: Api) -> None:
    for words in ("I weigh 82 kilos today", "my left shoulder is hurting", "shoulder's fine now"):
        r = api.http.post("/v1/profile/utterances", json={"text": words})
        assert r.status_code == 201, r.text
    profile = r.json()["profile"]
    assert profile["metrics"]["bodyweight"] == {"value": 82.0, "unit": "kg"}
    assert [(c["label"], c["status"]) for c in profile["constraints"]] == [("left shoulder pain", "resolved")]
    history = api.http.get("/v1/profile/history").json()
    assert [(h["source"], h["transcript"]) for h in history] == [
        ("voice", "I weigh 82 kilos today"),
        ("voice", "my left shoulder is hurting"),
        ("voice", "shoulder's fine now"),
    ]
    assert history[0]["path"] == "/metrics/bodyweight" and history[0]["reason"] == "bodyweight 82 kg"
    r = api.http.post("/v1/profile/utterances", json={"text": "bench 225 for 5"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "not_a_profile_update"
    assert len(api.http.get("/v1/profile/history").json()) == 3
