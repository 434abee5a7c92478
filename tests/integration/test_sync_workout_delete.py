"""`DELETE /v1/workouts/{id}` and sync's `delete_workout` through the real server: the tombstone reaches the
phones, a stale phone does not bring the workout back, and the records its sets held are withdrawn."""

from __future__ import annotations

import uuid
from typing import Any

from tests.integration.conftest import Api


def _change(op: str, cid: str, at: str, **data: Any) -> dict[str, Any]:
    return {"op": op, "client_id": cid, "client_time": at, "data": data}


def test_a_workout_deleted_over_rest_leaves_every_phone_and_stays_gone(api: Api, other: Api) -> None:
    w, s = str(uuid.uuid4()), str(uuid.uuid4())
    first = api.http.post(
        "/v1/sync",
        json={
            "cursor": None,
            "changes": [
                _change("upsert_workout", w, "2026-03-01T09:00:00Z", name="Basement"),
                _change(
                    "upsert_set",
                    s,
                    "2026-03-01T09:10:00Z",
                    workout_client_id=w,
                    exercise_id="Barbell_Squat",
                    reps=5,
                    weight=140,
                    unit="kg",
                ),
            ],
        },
    ).json()
    workout_id = next(c["id"] for c in first["changes"] if c["op"] == "upsert_workout")
    spoken = api.say(workout_id, "squat 150 kilos for 3")["sets"][0]
    assert api.http.get("/v1/prs", params={"exercise_id": "Barbell_Squat"}).json()["prs"]

    assert other.http.delete(f"/v1/workouts/{workout_id}").status_code == 404
    assert api.http.delete(f"/v1/workouts/{workout_id}").status_code == 204
    assert api.http.get(f"/v1/workouts/{workout_id}").status_code == 404
    assert api.http.delete(f"/v1/workouts/{workout_id}").status_code == 404
    assert api.http.get("/v1/workouts").json()["workouts"] == []
    assert api.http.get("/v1/prs", params={"exercise_id": "Barbell_Squat"}).json()["prs"] == []

    pulled = api.http.post("/v1/sync", json={"cursor": first["cursor"], "changes": []}).json()["changes"]
    ops = {(c["op"], c["client_id"] or c["id"]) for c in pulled}
    assert {("delete_workout", w), ("delete_set", s), ("delete_set", spoken["id"])} <= ops

    # a phone that had not heard of it renames it offline, earlier than the deletion: it stays gone
    stale = api.http.post(
        "/v1/sync",
        json={
            "cursor": first["cursor"],
            "changes": [_change("upsert_workout", w, "2026-03-01T10:00:00Z", name="x")],
        },
    ).json()
    assert [c["reason"] for c in stale["conflicts"]] == ["deleted"]
    assert stale["conflicts"][0]["server"]["op"] == "delete_workout"
    assert api.http.get("/v1/workouts").json()["workouts"] == []


def test_delete_workout_by_sync_reaches_the_other_phone(api: Api) -> None:
    w = str(uuid.uuid4())
    made = api.http.post(
        "/v1/sync", json={"cursor": None, "changes": [_change("upsert_workout", w, "2026-03-01T09:00:00Z")]}
    ).json()
    d = str(uuid.uuid4())
    gone = api.http.post(
        "/v1/sync",
        json={
            "cursor": made["cursor"],
            "changes": [_change("delete_workout", d, "2026-03-01T11:00:00Z", client_id=w)],
        },
    ).json()
    assert gone["applied"] == [d]
    other_phone = api.http.post("/v1/sync", json={"cursor": made["cursor"], "changes": []}).json()
    assert [(c["op"], c["client_id"]) for c in other_phone["changes"]] == [("delete_workout", w)]


def test_records_follow_synced_sets_and_their_deletions(api: Api) -> None:
    w, light, heavy = (str(uuid.uuid4()) for _ in range(3))

    def one_set(cid: str, at: str, weight: float) -> dict[str, Any]:
        return _change(
            "upsert_set",
            cid,
            at,
            workout_client_id=w,
            exercise_id="Barbell_Squat",
            reps=5,
            weight=weight,
            unit="kg",
        )

    first = api.http.post(
        "/v1/sync",
        json={
            "cursor": None,
            "changes": [
                _change("upsert_workout", w, "2026-03-01T09:00:00Z"),
                one_set(light, "2026-03-01T09:05:00Z", 100),
                one_set(heavy, "2026-03-01T09:10:00Z", 120),
            ],
        },
    ).json()
    heavy_id = next(c["id"] for c in first["changes"] if c["client_id"] == heavy)

    def best() -> float | None:
        prs = api.http.get("/v1/prs", params={"exercise_id": "Barbell_Squat"}).json()["prs"]
        return max((p["weight"] for p in prs if p["pr_type"] == "5rm"), default=None)

    assert best() == 120.0
    assert any(
        p["set_id"] == heavy_id
        for p in api.http.get("/v1/prs", params={"exercise_id": "Barbell_Squat"}).json()["prs"]
    )
    api.http.post(
        "/v1/sync",
        json={
            "cursor": first["cursor"],
            "changes": [_change("delete_set", str(uuid.uuid4()), "2026-03-01T12:00:00Z", client_id=heavy)],
        },
    )
    assert best() == 100.0  # the record the deleted set held is withdrawn, the one it beat stands again
