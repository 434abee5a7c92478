"""Custom exercises through the real server: made by REST or by sync, used in spoken and synced sets, seen,
searched and matched by their lifter alone, pulled by the lifter's other devices."""

from __future__ import annotations

import uuid
from typing import Any

from tests.integration.conftest import Api


def _change(op: str, client_id: str, at: str, **data: Any) -> dict[str, Any]:
    return {"op": op, "client_id": client_id, "client_time": at, "data": data}


def _create(api: Api, **body: Any) -> dict[str, Any]:
    r = api.http.post("/v1/exercises", json=body)
    assert r.status_code == 201, r.text + api.server.log_tail()
    return dict(r.json())


def test_a_custom_exercise_is_the_lifters_own_to_say_search_and_correct_to(api: Api, other: Api) -> None:
    made = _create(api, name="Zercher Box Squat", aliases=["ZBS"], equipment="barbell")
    assert made["id"].startswith("custom-") and made["aliases"] == ["zbs"] and made["custom"] is True
    wid = api.workout()
    said = api.say(wid, "zercher box squats 100 for 5", unit="kg")
    assert said["action"] == "logged", said
    (logged,) = said["sets"]
    assert logged["exercise"] == {"id": made["id"], "name": "Zercher Box Squat"}
    assert (logged["reps"], logged["weight"]) == (5, 100.0)
    assert api.say(wid, "zbs 110 for 3", unit="kg")["sets"][0]["exercise"]["id"] == made["id"]
    hits = api.http.get("/v1/exercises", params={"q": "zercher box squat"}).json()
    assert hits[0]["id"] == made["id"]

    # another lifter: not read, not searched, not listed, not usable, not editable
    theirs = other.say(other.workout(), "zercher box squats 100 for 5", unit="kg")
    assert all(s["exercise"]["id"] != made["id"] for s in theirs["sets"])
    assert all(h["id"] != made["id"] for h in other.http.get("/v1/exercises", params={"q": "zercher"}).json())
    assert other.http.get("/v1/exercises/custom").json() == []
    bench = other.say(other.workout(), "bench press 60 for 5")["sets"][0]["id"]
    refused = other.http.patch(f"/v1/sets/{bench}", json={"exercise_id": made["id"]})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "unknown_exercise"
    assert other.http.patch(f"/v1/exercises/{made['id']}", json={"name": "Mine now"}).status_code == 404

    # the lifter corrects a catalog-read set to it; renames it; a new alias reads
    r = api.http.patch(
        f"/v1/exercises/{made['id']}", json={"name": "Zercher Squat (box)", "aliases": ["zed box"]}
    )
    assert r.status_code == 200 and r.json()["aliases"] == ["zed box"]
    assert api.say(wid, "zed box 90 for 8", unit="kg")["sets"][0]["exercise"]["id"] == made["id"]
    listed = api.http.get("/v1/exercises/custom").json()
    assert [(e["id"], e["name"]) for e in listed] == [(made["id"], "Zercher Squat (box)")]


def test_names_that_are_taken_and_bad_bodies_are_refused(api: Api) -> None:
    _create(api, name="Hatfield Squat")
    for body, status, code in [
        ({"name": "hatfield  squat"}, 409, "exercise_exists"),
        ({"name": "Barbell Squat"}, 409, "exercise_exists"),  # a catalog name: log it by its catalog id
        ({"name": "   "}, 400, "invalid_input"),
        ({"name": "x", "colour": "red"}, 400, "unknown_field"),
        ({"name": "y" * 201}, 400, "invalid_input"),
    ]:
        r = api.http.post("/v1/exercises", json=body)
        assert (r.status_code, r.json()["error"]["code"]) == (status, code), (body, r.text)
    assert len(api.http.get("/v1/exercises/custom").json()) == 1


def test_a_custom_exercise_made_offline_carries_its_sets_and_reaches_the_other_phone(
    api: Api, other: Api
) -> None:
    e, w, s = (str(uuid.uuid4()) for _ in range(3))
    batch = {
        "cursor": None,
        "changes": [
            _change(
                "upsert_exercise",
                e,
                "2026-03-01T09:00:00Z",
                name="Sled Drag Backwards",
                aliases=["reverse sled"],
            ),
            _change("upsert_workout", w, "2026-03-01T09:00:00Z", name="Conditioning"),
            _change(
                "upsert_set",
                s,
                "2026-03-01T09:05:00Z",
                workout_client_id=w,
                exercise_client_id=e,
                weight=80,
                unit="kg",
                duration_s=60,
            ),
        ],
    }
    r = api.http.post("/v1/sync", json=batch)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["applied"] == [e, w, s] and answer["conflicts"] == []
    by_op = {c["op"]: c for c in answer["changes"]}
    exercise = by_op["upsert_exercise"]
    assert exercise["client_id"] == e and exercise["data"]["name"] == "Sled Drag Backwards"
    assert exercise["data"]["aliases"] == ["reverse sled"]
    assert by_op["upsert_set"]["data"]["exercise_id"] == exercise["id"]
    assert by_op["upsert_set"]["data"]["exercise"]["name"] == "Sled Drag Backwards"
    # the same batch again answers the same
    assert api.http.post("/v1/sync", json=batch).json()["cursor"] == answer["cursor"]
    # spoken next time, it is the custom exercise; a REST rename reaches the phone's next pull
    wid = api.workout()
    assert (
        api.say(wid, "reverse sled 100 kilos for 60 seconds")["sets"][0]["exercise"]["id"] == exercise["id"]
    )
    api.http.patch(f"/v1/exercises/{exercise['id']}", json={"name": "Backward Sled Drag"})
    pulled = api.http.post("/v1/sync", json={"cursor": answer["cursor"], "changes": []}).json()["changes"]
    renamed = [c for c in pulled if c["op"] == "upsert_exercise"]
    assert [c["data"]["name"] for c in renamed] == ["Backward Sled Drag"]
    # an older offline rename of the phone's loses to the server's later one, and says so
    stale = api.http.post(
        "/v1/sync",
        json={
            "cursor": answer["cursor"],
            "changes": [_change("upsert_exercise", e, "2026-03-02T09:00:00Z", name="Sled")],
        },
    ).json()
    assert [(c["reason"], c["fields"]) for c in stale["conflicts"]] == [("stale", ["name"])]

    # another lifter can neither pull it nor log to it, by id or by the phone's client id
    theirs = other.http.post("/v1/sync", json={"cursor": None, "changes": []}).json()
    assert all(c["op"] != "upsert_exercise" for c in theirs["changes"])
    ow = str(uuid.uuid4())
    by_id = other.http.post(
        "/v1/sync",
        json={
            "cursor": None,
            "changes": [
                _change("upsert_workout", ow, "2026-03-01T09:00:00Z"),
                _change(
                    "upsert_set",
                    str(uuid.uuid4()),
                    "2026-03-01T09:01:00Z",
                    workout_client_id=ow,
                    reps=5,
                    exercise_id=exercise["id"],
                ),
            ],
        },
    )
    assert by_id.status_code == 422 and by_id.json()["error"]["code"] == "unknown_exercise", by_id.text
    # a client id is theirs alone: another lifter's names an exercise of theirs still to come, never this one
    by_client = other.http.post(
        "/v1/sync",
        json={
            "cursor": None,
            "changes": [
                _change("upsert_workout", ow, "2026-03-01T09:00:00Z"),
                _change(
                    "upsert_set",
                    str(uuid.uuid4()),
                    "2026-03-01T09:01:00Z",
                    workout_client_id=ow,
                    reps=5,
                    exercise_client_id=e,
                ),
            ],
        },
    )
    assert by_client.status_code == 200, by_client.text
    (their_workout,) = other.http.get("/v1/workouts").json()["workouts"]
    assert their_workout["set_count"] == 0


def test_nul_characters_are_refused_clearly(api: Api) -> None:
    r = api.http.post("/v1/exercises", json={"name": "zer\u0000cher"})
    assert (r.status_code, r.json()["error"]["code"]) == (400, "invalid_input")
    assert api.http.post("/v1/exercises", json={"name": "ok", "aliases": ["a\u0000"]}).status_code == 400
    assert api.http.patch("/v1/exercises/custom-%00", json={"name": "x"}).status_code == 404
    assert api.http.post("/v1/imports/x%00/confirm", json={"names": []}).status_code == 404
    assert api.http.get("/v1/imports/x%00").status_code == 404
    change = _change("upsert_exercise", str(uuid.uuid4()), "2026-03-01T09:00:00Z", name="bad\u0000name")
    assert api.http.post("/v1/sync", json={"cursor": None, "changes": [change]}).status_code == 400
    assert api.http.get("/v1/exercises/custom").json() == []
