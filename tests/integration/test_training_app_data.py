"""Recommendations, feedback, instrument events, profile versions and the lifter's 1RM formula, over the
real server (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.integration.conftest import Api, LiveServer

BENCH = "Barbell_Bench_Press_-_Medium_Grip"


@pytest.fixture
def kg_api(live: LiveServer) -> Iterator[Api]:
    client = Api(live, *live.create_user(unit="kg"))
    yield client
    client.close()


@pytest.fixture
def other_api(live: LiveServer) -> Iterator[Api]:
    client = Api(live, *live.create_user(unit="kg"))
    yield client
    client.close()


def _day(days_ago: int) -> str:
    return (datetime.now(UTC).date() - timedelta(days=days_ago)).isoformat()


def _session(api: Api, day: str, weight: float, reps: int) -> str:
    body = {
        "date": day,
        "sets": [{"exercise_id": BENCH, "set_number": 1, "actual_weight": weight, "actual_reps": reps}],
    }
    r = api.http.post("/v1/sessions", json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["session_id"])


def _post(api: Api, path: str, body: Any) -> Any:
    return api.http.post(path, json=body)


def test_recommendation_and_feedback_refer_to_the_lifters_own_ids(kg_api: Api, other_api: Api) -> None:
    session_id = _session(kg_api, _day(1), 100, 5)
    r = _post(
        kg_api,
        "/v1/recommendations",
        {
            "exercise": "bench press",
            "session_id": session_id,
            "weight": 102.5,
            "reps": 5,
            "unit": "kg",
            "payload": {"why": "x"},
        },
    )
    assert r.status_code == 201, r.text
    rec_id = r.json()["recommendation_id"]
    r = _post(kg_api, "/v1/feedback", {"helpful": True, "notes": "spot on", "recommendation_id": rec_id})
    assert r.status_code == 201, r.text
    assert r.json()["feedback_id"]
    r = _post(kg_api, "/v1/feedback", {"helpful": False, "session_id": session_id})
    assert r.status_code == 201, r.text
    # another lifter's ids are not found; no subject, unknown exercise and bad fields are refused
    assert _post(other_api, "/v1/feedback", {"helpful": True, "recommendation_id": rec_id}).status_code == 404
    assert _post(other_api, "/v1/feedback", {"helpful": True, "session_id": session_id}).status_code == 404
    assert _post(other_api, "/v1/recommendations", {"session_id": session_id}).status_code == 404
    r = _post(kg_api, "/v1/feedback", {"helpful": True})
    assert r.status_code == 400 and r.json()["error"]["code"] == "missing_subject"
    assert _post(kg_api, "/v1/recommendations", {"exercise_id": "No_Such_Lift"}).status_code == 422
    assert _post(kg_api, "/v1/feedback", {"helpful": "yes", "session_id": session_id}).status_code == 400


def test_instrument_events_are_kept_only_after_opting_in(kg_api: Api) -> None:
    r = _post(kg_api, "/v1/instrument", {"type": "screen_view", "data": {"screen": "log"}})
    assert r.status_code == 201, r.text
    assert r.json() == {"received": 1, "kept": 0, "analytics_opt_in": False}
    r = kg_api.http.put("/v1/training/settings", json={"analytics_opt_in": True})
    assert r.status_code == 200 and r.json()["analytics_opt_in"] is True
    r = _post(
        kg_api,
        "/v1/instrument",
        {"events": [{"type": "set_done"}, {"type": "rest_timer", "at": "2026-12-01T10:00:00Z"}]},
    )
    assert r.status_code == 201 and r.json()["kept"] == 2
    r = _post(kg_api, "/v1/instrument", {"type": "Bad Type!"})
    assert r.status_code == 400
    r = _post(kg_api, "/v1/instrument", {"type": "x", "at": "yesterday"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_time"


def test_profile_versions_give_the_weekly_bodyweight_change(kg_api: Api) -> None:
    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())
    before = (monday - timedelta(days=3)).isoformat()
    r = _post(
        kg_api,
        "/v1/profile-versions",
        {
            "snapshot": {"metrics": {"bodyweight": {"value": 80, "unit": "kg"}}},
            "effective_date": before,
            "source": "user",
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["bodyweight_kg"] == 80
    r = _post(
        kg_api,
        "/v1/profile-versions",
        {"snapshot": {"bodyweight": 81.5}, "effective_date": monday.isoformat(), "source": "auto"},
    )
    assert r.status_code == 201
    versions = kg_api.http.get("/v1/profile-versions").json()["versions"]
    assert [v["source"] for v in versions] == ["user", "auto"]
    _session(kg_api, today.isoformat(), 100, 5)
    weeks = {
        w["week_start"]: w
        for w in kg_api.http.get("/v1/analytics", params={"range": "14d"}).json()["weekly_summary"]
    }
    assert weeks[monday.isoformat()]["bodyweight_change"] == 1.5
    assert _post(kg_api, "/v1/profile-versions", {"snapshot": {}, "source": "someone"}).status_code == 400
    assert (
        _post(kg_api, "/v1/profile-versions", {"snapshot": {}, "effective_date": "12/01/2026"}).status_code
        == 400
    )


def test_a_chosen_formula_changes_records_and_analytics(kg_api: Api) -> None:
    _session(kg_api, _day(2), 100, 5)
    e1rm = {p["pr_type"]: p for p in kg_api.http.get("/v1/prs", params={"exercise_id": BENCH}).json()["prs"]}[
        "e1rm"
    ]
    assert e1rm["value"] == pytest.approx(100 * (1 + 5 / 30), abs=0.01)  # Epley by default
    r = kg_api.http.put("/v1/training/settings", json={"e1rm_formula": "brzycki"})
    assert r.status_code == 200 and r.json()["e1rm_formula"] == "brzycki"
    assert r.json()["formulas"]["brzycki"] == 10
    e1rm = {p["pr_type"]: p for p in kg_api.http.get("/v1/prs", params={"exercise_id": BENCH}).json()["prs"]}[
        "e1rm"
    ]
    assert e1rm["value"] == pytest.approx(100 * 36 / 32, abs=0.01)
    body = kg_api.http.get("/v1/analytics", params={"range": "30d"}).json()
    assert body["range"]["formula"] == "brzycki"
    assert body["prs"][BENCH]["e1rm"] == pytest.approx(112.5, abs=0.01)
    # a new set past Brzycki's 10 reps makes no e1rm record, and a heavier one is measured by Brzycki
    r = _post(
        kg_api,
        "/v1/sessions",
        {"date": _day(1), "sets": [{"exercise_id": BENCH, "actual_weight": 105, "actual_reps": 5}]},
    )
    made = {p["pr_type"]: p for p in r.json()["prs"]}
    assert made["e1rm"]["value"] == pytest.approx(105 * 36 / 32, abs=0.01)
    # 12 reps: Brzycki gives no estimate (Epley would: 60 × 1.4 = 84), so no e1rm record, only reps
    r = _post(
        kg_api,
        "/v1/sessions",
        {"date": _day(0), "sets": [{"exercise_id": BENCH, "actual_weight": 60, "actual_reps": 12}]},
    )
    made = {p["pr_type"]: p for p in r.json()["prs"]}
    assert "e1rm" not in made and made["reps_at_weight"]["reps"] == 12
    assert kg_api.http.put("/v1/training/settings", json={"e1rm_formula": "magic"}).status_code == 400
    assert kg_api.http.put("/v1/training/settings", json={}).status_code == 400


def test_progress_gives_e1rm_per_session_records_and_the_next_target(kg_api: Api) -> None:
    for days_ago, weight in ((5, 100), (3, 95), (1, 110)):
        _session(kg_api, _day(days_ago), weight, 3)
    r = kg_api.http.get("/v1/progress", params={"exercise_id": BENCH, "range": "30d"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [p["e1rm"] for p in body["points"]] == [110.0, 104.5, 121.0]  # weight × 1.1
    assert [p["e1rm"] for p in body["prs"]] == [110.0, 121.0]
    assert (body["next"]["weight"], body["next"]["reps"], body["unit"]) == (110.0, 3, "kg")
    assert kg_api.http.get("/v1/progress", params={"exercise_id": "Nope"}).status_code == 422
    assert kg_api.http.get("/v1/progress", params={"exercise_id": BENCH, "range": "soon"}).status_code == 400
    assert kg_api.http.get("/v1/progress").status_code == 400


def test_a_bodyweight_told_to_the_profile_is_kept_as_an_auto_version(kg_api: Api) -> None:
    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())
    before = (monday - timedelta(days=2)).isoformat()
    r = _post(kg_api, "/v1/profile-versions", {"snapshot": {"bodyweight": 80}, "effective_date": before})
    assert r.status_code == 201, r.text
    r = _post(kg_api, "/v1/profile/utterances", {"text": "I weigh 82 kilos today"})
    assert r.status_code == 201, r.text
    # the same weight again, and a change that is not a bodyweight: no new version
    assert _post(kg_api, "/v1/profile/utterances", {"text": "I weigh 82 kilos"}).status_code == 201
    r = kg_api.http.patch(
        "/v1/profile",
        json=[{"op": "replace", "path": "/metrics/heightCm", "value": 180}],
        headers={"content-type": "application/json-patch+json"},
    )
    assert r.status_code == 200, r.text
    versions = kg_api.http.get("/v1/profile-versions").json()["versions"]
    assert [(v["source"], v["bodyweight_kg"]) for v in versions] == [("user", 80), ("auto", 82)]
    assert versions[1]["effective_date"] == today.isoformat()
    assert versions[1]["snapshot"]["metrics"]["bodyweight"] == {"value": 82, "unit": "kg"}
    # a PUT in pounds is kept in kg
    profile = kg_api.http.get("/v1/profile").json()
    profile["metrics"]["bodyweight"] = {"value": 187, "unit": "lb"}
    assert kg_api.http.put("/v1/profile", json=profile).status_code == 200
    versions = kg_api.http.get("/v1/profile-versions").json()["versions"]
    assert [v["bodyweight_kg"] for v in versions] == [80, 82, round(187 * 0.45359237, 3)]
    _session(kg_api, today.isoformat(), 100, 5)
    weeks = {
        w["week_start"]: w
        for w in kg_api.http.get("/v1/analytics", params={"range": "14d"}).json()["weekly_summary"]
    }
    assert weeks[monday.isoformat()]["bodyweight_change"] == round(187 * 0.45359237 - 80, 2)
