"""A retried utterance with the same client_id creates nothing new and answers the first result."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.integration.conftest import Api


def test_retry_answers_the_first_result(api: Api) -> None:
    wid = api.workout()
    cid = str(uuid.uuid4())
    first = api.say(wid, "deadlift 3 sets of 5 at 315", client_id=cid)
    before = api.snapshot()
    again = api.say(wid, "deadlift 3 sets of 5 at 315", client_id=cid)
    assert again["voice_command_id"] == first["voice_command_id"]
    assert again["sets"] == first["sets"] and again["parsed"] == first["parsed"]
    assert api.snapshot() == before
    assert len(api.sets(wid)) == 3


def test_retry_reflects_later_changes_to_its_sets(api: Api) -> None:
    wid = api.workout()
    cid = str(uuid.uuid4())
    first = api.say(wid, "deadlift 2 sets of 5 at 315", client_id=cid)
    api.http.patch(f"/v1/sets/{first['sets'][0]['id']}", json={"reps": 4}).raise_for_status()
    api.http.delete(f"/v1/sets/{first['sets'][1]['id']}").raise_for_status()
    again = api.say(wid, "deadlift 2 sets of 5 at 315", client_id=cid)
    assert again["voice_command_id"] == first["voice_command_id"]
    assert [(s["id"], s["reps"]) for s in again["sets"]] == [(first["sets"][0]["id"], 4)]
    assert len(api.sets(wid)) == 1


def test_different_client_ids_log_twice(api: Api) -> None:
    wid = api.workout()
    a = api.say(wid, "barbell squat 185 for 8", client_id=str(uuid.uuid4()))
    b = api.say(wid, "barbell squat 185 for 8", client_id=str(uuid.uuid4()))
    c = api.say(wid, "barbell squat 185 for 8")
    assert len({a["voice_command_id"], b["voice_command_id"], c["voice_command_id"]}) == 3
    assert [s["set_number"] for s in api.sets(wid)] == [1, 2, 3]


def test_client_ids_belong_to_their_user(api: Api, other: Api) -> None:
    cid = str(uuid.uuid4())
    mine = api.say(api.workout(), "barbell squat 185 for 8", client_id=cid)
    theirs = other.say(other.workout(), "barbell squat 185 for 8", client_id=cid)
    assert theirs["voice_command_id"] != mine["voice_command_id"]
    assert len(theirs["sets"]) == 1


def test_concurrent_retries_log_once(api: Api) -> None:
    wid = api.workout()
    cid = str(uuid.uuid4())
    url = f"{api.server.url}/v1/workouts/{wid}/utterances"
    headers = {"Authorization": f"Bearer {api.token}"}

    def send(_: int) -> httpx.Response:
        return httpx.post(
            url, json={"text": "deadlift 2 sets of 5 at 315", "client_id": cid}, headers=headers, timeout=30
        )

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(send, range(6)))
    assert all(r.status_code == 201 for r in answers), [r.text for r in answers]
    assert len({r.json()["voice_command_id"] for r in answers}) == 1
    assert len(api.sets(wid)) == 2
    assert api.snapshot()["voice_commands"] == 1


def test_concurrent_utterances_on_one_workout_get_distinct_set_numbers(api: Api) -> None:
    wid = api.workout()
    url = f"{api.server.url}/v1/workouts/{wid}/utterances"
    headers = {"Authorization": f"Bearer {api.token}"}

    def send(i: int) -> httpx.Response:
        return httpx.post(
            url, json={"text": f"deadlift 2 sets of 5 at {300 + 5 * i}"}, headers=headers, timeout=30
        )

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(send, range(6)))
    assert all(r.status_code == 201 for r in answers), [r.text for r in answers]
    numbers = sorted(s["set_number"] for s in api.sets(wid))
    assert numbers == list(range(1, 13))
