"""`POST /v1/sync` through the real server, beside the REST routes that change the same sets."""

from __future__ import annotations

import uuid
from typing import Any

from tests.integration.conftest import Api


def _change(op: str, client_id: str, at: str, **data: Any) -> dict[str, Any]:
    return {"op": op, "client_id": client_id, "client_time": at, "data": data}


def test_offline_work_is_applied_pulled_and_a_rest_correction_is_never_overwritten(
    api: Api, other: Api
) -> None:
    w, s = str(uuid.uuid4()), str(uuid.uuid4())
    batch = {
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
                performed_at="2026-03-01T09:10:00Z",
            ),
        ],
    }
    r = api.http.post("/v1/sync", json=batch)
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["applied"] == [w, s] and first["conflicts"] == []
    pulled = {c["op"]: c for c in first["changes"]}
    set_id, workout_id = pulled["upsert_set"]["id"], pulled["upsert_workout"]["id"]
    assert pulled["upsert_set"]["data"]["performed_at"] == "2026-03-01T09:10:00Z"
    listed = api.http.get("/v1/workouts").json()["workouts"]
    assert [x["id"] for x in listed] == [workout_id] and listed[0]["set_count"] == 1
    before = api.snapshot()
    again = api.http.post("/v1/sync", json=batch).json()
    assert (again["applied"], again["conflicts"], again["cursor"]) == ([w, s], [], first["cursor"])
    assert api.snapshot() == before

    # the lifter corrects the set on the server while the phone is offline again
    assert api.http.patch(f"/v1/sets/{set_id}", json={"reps": 6}).status_code == 200
    blind = api.http.post(
        "/v1/sync",
        json={
            "cursor": first["cursor"],
            "changes": [_change("upsert_set", s, "2026-03-02T09:00:00Z", reps=4)],
        },
    ).json()
    (conflict,) = blind["conflicts"]
    assert (conflict["client_id"], conflict["reason"], conflict["fields"]) == (
        s,
        "server_correction",
        ["reps"],
    )
    assert conflict["server"]["data"]["reps"] == 6
    assert api.sets(workout_id)[0]["reps"] == 6
    # a set said by voice on the server reaches the phone on its next pull
    api.say(workout_id, "bench press 100 kg for 5")
    later = api.http.post("/v1/sync", json={"cursor": blind["cursor"], "changes": []}).json()
    voiced = [c for c in later["changes"] if c["op"] == "upsert_set" and c["id"] != set_id]
    assert voiced and voiced[0]["data"]["exercise_id"] == "Barbell_Bench_Press_-_Medium_Grip"
    assert voiced[0]["data"]["workout_client_id"] == w and voiced[0]["client_id"] is None
    # nothing of it is another lifter's
    theirs = other.http.post("/v1/sync", json={"cursor": None, "changes": []}).json()
    assert theirs["changes"] == [] and theirs["applied"] == []
    assert other.http.get(f"/v1/workouts/{workout_id}").status_code == 404


def test_a_bad_batch_answers_4xx_and_changes_nothing(api: Api) -> None:
    before = api.snapshot()
    w = str(uuid.uuid4())
    good = _change("upsert_workout", w, "2026-03-01T09:00:00Z")
    cases = [
        ({"cursor": None, "changes": [good, _change("upsert_set", w, "x", reps=5)]}, 400),
        (
            {
                "cursor": None,
                "changes": [
                    good,
                    {"op": "upsert_set", "client_id": "not-a-uuid", "client_time": "2026-03-01T09:00:00Z"},
                ],
            },
            400,
        ),
        (
            {
                "cursor": None,
                "changes": [
                    good,
                    _change(
                        "upsert_set",
                        str(uuid.uuid4()),
                        "2026-03-01T09:00:00Z",
                        workout_client_id=w,
                        exercise_id="No_Such_Lift",
                    ),
                ],
            },
            422,
        ),
        (
            {
                "cursor": None,
                "changes": [good, _change("teleport", str(uuid.uuid4()), "2026-03-01T09:00:00Z")],
            },
            400,
        ),
        ({"cursor": "-1", "changes": []}, 400),
        (
            {
                "cursor": None,
                "changes": [
                    _change("upsert_workout", str(uuid.uuid4()), "2026-03-01T09:00:00Z") for _ in range(501)
                ],
            },
            413,
        ),
    ]
    for body, status in cases:
        r = api.http.post("/v1/sync", json=body)
        assert r.status_code == status, (status, r.text)
        assert r.json()["error"]["code"]
    assert (
        api.http.post(
            "/v1/sync", content=b"{not json", headers={"Content-Type": "application/json"}
        ).status_code
        == 400
    )
    assert api.snapshot() == before


def test_a_phone_pulling_while_sets_are_logged_misses_none(api: Api) -> None:
    """Journal positions commit in order per lifter: a cursor never passes a set still being written."""
    import threading

    workouts = [api.workout(f"w{i}") for i in range(3)]
    stop = threading.Event()
    seen: set[str] = set()
    errors: list[str] = []

    def log(workout_id: str) -> None:
        for reps in range(3, 15):
            r = api.http.post(f"/v1/workouts/{workout_id}/utterances", json={"text": f"squat 100 for {reps}"})
            if r.status_code != 201:
                errors.append(r.text)

    def pull() -> None:
        cursor = None
        while True:
            done = stop.is_set()
            r = api.http.post("/v1/sync", json={"cursor": cursor, "changes": []})
            if r.status_code != 200:
                errors.append(r.text)
                return
            body = r.json()
            seen.update(c["id"] for c in body["changes"] if c["op"] == "upsert_set")
            cursor = body["cursor"]
            if done and not body["more"]:
                return

    puller = threading.Thread(target=pull)
    loggers = [threading.Thread(target=log, args=(w,)) for w in workouts]
    puller.start()
    for t in loggers:
        t.start()
    for t in loggers:
        t.join()
    stop.set()
    puller.join()
    assert errors == []
    logged = {s["id"] for w in workouts for s in api.sets(w)}
    assert len(logged) == 36 and logged <= seen


def test_utterances_said_offline_are_logged_at_the_time_they_were_said(api: Api) -> None:
    w, u1, u2 = (str(uuid.uuid4()) for _ in range(3))
    batch = {
        "cursor": None,
        "changes": [
            _change("upsert_workout", w, "2026-02-10T18:00:00Z", name="Garage"),
            {
                "op": "log_utterance",
                "client_id": u1,
                "client_time": "2026-02-10T18:20:00Z",
                "data": {
                    "workout_client_id": w,
                    "text": "deadlift 180 kg for 3",
                    "spoken_at": "2026-02-10T18:05:00Z",
                },
            },
            {
                "op": "log_utterance",
                "client_id": u2,
                "client_time": "2026-02-10T18:09:00Z",
                "data": {"workout_client_id": w, "text": "same again"},
            },
        ],
    }
    r = api.http.post("/v1/sync", json=batch)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["applied"] == [w, u1, u2]
    first, second = body["utterances"]
    assert (first["client_id"], first["action"], len(first["set_ids"])) == (u1, "logged", 1)
    assert second["action"] == "logged" and len(second["set_ids"]) == 1  # the context carried across
    pulled = api.http.post("/v1/sync", json={"cursor": body["cursor"], "changes": []}).json()["changes"]
    sets = {c["id"]: c["data"] for c in pulled if c["op"] == "upsert_set"}
    assert sets[first["set_ids"][0]]["performed_at"] == "2026-02-10T18:05:00Z"
    assert sets[second["set_ids"][0]]["performed_at"] == "2026-02-10T18:09:00Z"
    assert sets[first["set_ids"][0]]["exercise_id"] == "Barbell_Deadlift"
    assert sets[second["set_ids"][0]]["weight"] == 180.0
    before = api.snapshot()
    again = api.http.post("/v1/sync", json=batch).json()
    assert [x["voice_command_id"] for x in again["utterances"]] == [
        first["voice_command_id"],
        second["voice_command_id"],
    ]
    assert api.snapshot() == before
