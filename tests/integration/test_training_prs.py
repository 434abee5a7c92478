"""Personal records over the real server (SQLite and PostgreSQL): detected as a set is logged, carried by
the utterance response, withdrawn when the set that made them is corrected down or deleted."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api

BENCH = "Barbell_Bench_Press_-_Medium_Grip"


def _prs(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["pr_type"]: p for p in answer["prs"]}


def _current(api: Api, exercise_id: str = BENCH) -> dict[str, dict[str, Any]]:
    r = api.http.get("/v1/prs", params={"exercise_id": exercise_id})
    assert r.status_code == 200, r.text
    return {p["pr_type"]: p for p in r.json()["prs"]}


def test_a_heavier_set_is_a_pr_with_the_record_it_beat(api: Api) -> None:
    w = api.workout()
    first = _prs(api.say(w, "bench press 200 for 5"))
    assert first["1rm"]["previous_pr_id"] is None and first["1rm"]["improvement_percent"] is None
    second = api.say(w, "bench press 210 for 5")
    prs = _prs(second)
    assert set(prs) >= {"1rm", "3rm", "5rm", "e1rm", "volume_set"}
    e1rm = prs["e1rm"]
    assert e1rm["value"] == pytest.approx(245.0)  # 210 × (1 + 5/30)
    assert e1rm["estimated_1rm"] == pytest.approx(245.0)
    assert (e1rm["weight"], e1rm["reps"]) == (210, 5)
    assert e1rm["previous_pr_id"] == first["e1rm"]["id"]
    assert e1rm["improvement_percent"] == pytest.approx(5.0)
    assert e1rm["set_id"] == second["sets"][0]["id"]
    contract = {"pr_type", "value", "weight", "reps", "estimated_1rm", "previous_pr_id"}
    contract.add("improvement_percent")
    assert contract <= set(e1rm)
    # a set no better than the records makes none (another workout: its session volume is small too)
    assert _prs(api.say(api.workout(), "bench press 150 for 3")) == {}


def test_current_prs_one_per_type(api: Api) -> None:
    w = api.workout()
    api.say(w, "bench press 200 for 5")
    api.say(w, "bench press 230 for 1")
    current = _current(api)
    assert current["1rm"]["value"] == 230
    assert current["5rm"]["value"] == 200
    assert current["e1rm"]["value"] == pytest.approx(237.6667, abs=0.01)  # 230 × 31/30 > 200 × 7/6
    assert len(current) == len({p for p in current})


def test_correcting_the_set_down_withdraws_its_pr_and_restores_the_previous(api: Api) -> None:
    w = api.workout()
    first = _prs(api.say(w, "bench press 200 for 5"))
    heavy = api.say(w, "bench press 220 for 5")
    assert _current(api)["1rm"]["value"] == 220
    r = api.http.patch(f"/v1/sets/{heavy['sets'][0]['id']}", json={"weight": 190})
    assert r.status_code == 200, r.text
    current = _current(api)
    assert current["1rm"]["id"] == first["1rm"]["id"] and current["1rm"]["value"] == 200
    assert current["e1rm"]["id"] == first["e1rm"]["id"]
    withdrawn = api.server.query(
        "SELECT count(*) FROM pr_history WHERE user_id = :u AND withdrawn_at IS NOT NULL", u=api.user_id
    )[0][0]
    assert withdrawn >= 5  # 1rm, 3rm, 5rm, e1rm, volume_set of the 220 set at least


def test_spoken_correction_and_undo_move_the_records_too(api: Api) -> None:
    w = api.workout()
    api.say(w, "bench press 200 for 5")
    api.say(w, "bench press 220 for 5")
    fixed = api.say(w, "make that 240")
    assert fixed["action"] == "corrected"
    assert _prs(fixed)["1rm"]["value"] == 240  # the corrected set now holds a (new) record
    assert _current(api)["1rm"]["value"] == 240
    undone = api.say(w, "scratch that")
    assert undone["action"] == "undone"
    assert _current(api)["1rm"]["value"] == 200


def test_deleting_the_pr_set_restores_the_previous(api: Api) -> None:
    w = api.workout()
    api.say(w, "bench press 200 for 5")
    heavy = api.say(w, "bench press 220 for 5")
    assert api.http.delete(f"/v1/sets/{heavy['sets'][0]['id']}").status_code == 204
    assert _current(api)["1rm"]["value"] == 200


def test_prs_route_refuses_bad_input_and_other_users(api: Api, other: Api) -> None:
    w = api.workout()
    api.say(w, "bench press 200 for 5")
    assert other.http.get("/v1/prs", params={"exercise_id": BENCH}).json()["prs"] == []
    r = api.http.get("/v1/prs", params={"exercise_id": "No_Such_Lift"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_exercise"
    assert api.http.get("/v1/prs").status_code == 400


async def test_the_logged_event_carries_the_prs(api: Api) -> None:
    from tests.integration.test_stream import Stream

    w = api.workout()
    api.say(w, "bench press 200 for 5")
    s = await Stream.open(api.server, api.token, w)
    try:
        await s.start()
        await s.send({"type": "text", "text": "bench press 205 for 5"})
        logged = await s.until("logged", "clarify")
    finally:
        await s.close()
    assert logged["type"] == "logged"
    prs = {p["pr_type"]: p for p in logged["prs"]}
    assert prs["1rm"]["value"] == 205
    assert prs["1rm"]["improvement_percent"] == pytest.approx(2.5)
    assert prs["1rm"]["set_id"] == logged["sets"][0]["id"]


def test_the_training_routes_are_in_the_openapi_schema(api: Api) -> None:
    r = api.http.get("/schema/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in (
        "/v1/prs", "/v1/analytics", "/v1/sessions", "/v1/recommendations/next", "/v1/recommendations",
        "/v1/feedback", "/v1/instrument", "/v1/profile-versions", "/v1/training/settings",
    ):  # fmt: skip
        assert path in paths, path
    params = {p["name"] for p in paths["/v1/analytics"]["get"].get("parameters", [])}
    assert "range" in params


def test_sets_logged_at_once_leave_one_standing_record_per_type(api: Api) -> None:
    import asyncio

    import httpx

    workouts = [api.workout(), api.workout()]
    headers = {"Authorization": f"Bearer {api.token}"}

    async def log_pairs() -> None:
        async with httpx.AsyncClient(base_url=api.server.url, headers=headers, timeout=30) as client:
            for weight in range(200, 300, 10):
                said = [(w, {"text": f"bench press {weight + i} for 5"}) for i, w in enumerate(workouts)]
                answers = await asyncio.gather(
                    *(client.post(f"/v1/workouts/{w}/utterances", json=body) for w, body in said)
                )
                assert all(a.status_code == 201 for a in answers), [a.text for a in answers]

    asyncio.run(log_pairs())
    counts = api.server.query(
        "SELECT pr_type, key, count(*) FROM pr_history WHERE user_id = :u AND current"
        " GROUP BY pr_type, key HAVING count(*) > 1",
        u=api.user_id,
    )
    assert counts == []
    assert _current(api)["1rm"]["value"] == 291
