"""Happy paths of every REST route of the contract, over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import httpx

from tests.integration.conftest import Api, LiveServer

LOGGED_SET_KEYS = {
    "id",
    "workout_id",
    "exercise",
    "set_number",
    "reps",
    "weight",
    "unit",
    "rpe",
    "duration_s",
    "voice_command_id",
    "created_at",
    "corrected",
}
PARSED_KEYS = {
    "intent",
    "exercise",
    "alternatives",
    "sets",
    "reps",
    "weight",
    "unit",
    "rpe",
    "duration_s",
    "confidence",
}


def test_health_needs_no_token(live: LiveServer) -> None:
    r = httpx.get(f"{live.url}/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    # one instance on the embedded defaults: no Redis configured, the local speech model loaded
    assert body["checks"] == {"database": "ok", "redis": "off", "stt": "ok"}


def test_openapi_schema_lists_the_contract_routes(live: LiveServer) -> None:
    r = httpx.get(f"{live.url}/schema/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in (
        "/v1/parse",
        "/v1/workouts",
        "/v1/workouts/{workout_id}",
        "/v1/workouts/{workout_id}/utterances",
        "/v1/sets/{set_id}",
        "/v1/exercises",
        "/v1/export/fine-tune",
    ):
        assert path in paths, path


def test_create_and_read_workout(api: Api) -> None:
    r = api.http.post("/v1/workouts", json={"name": "legs"})
    assert r.status_code == 201
    body = r.json()
    assert body["name"] == "legs" and body["started_at"].endswith("Z") and body["sets"] == []
    got = api.http.get(f"/v1/workouts/{body['id']}")
    assert got.status_code == 200
    assert got.json()["id"] == body["id"] and got.json()["sets"] == []
    # the body is optional
    assert api.http.post("/v1/workouts").status_code == 201


def test_utterance_logs_a_set_with_the_contract_shapes(api: Api) -> None:
    wid = api.workout()
    out = api.say(wid, "barbell squat 185 pounds for 8 reps")
    assert set(out) >= {"voice_command_id", "parsed", "sets"}
    assert set(out["parsed"]) == PARSED_KEYS
    assert out["parsed"]["intent"] == "log_set"
    assert out["parsed"]["exercise"]["id"] == "Barbell_Squat"
    (logged,) = out["sets"]
    assert set(logged) == LOGGED_SET_KEYS
    assert (logged["reps"], logged["weight"], logged["unit"], logged["set_number"]) == (8, 185, "lb", 1)
    assert logged["voice_command_id"] == out["voice_command_id"] and logged["corrected"] is False
    assert logged["workout_id"] == wid
    assert api.sets(wid) == out["sets"]


def test_several_sets_get_consecutive_numbers(api: Api) -> None:
    wid = api.workout()
    first = api.say(wid, "deadlift 3 sets of 5 at 315")
    assert [s["set_number"] for s in first["sets"]] == [1, 2, 3]
    assert {(s["reps"], s["weight"]) for s in first["sets"]} == {(5, 315)}
    more = api.say(wid, "deadlift 2 sets of 3 at 335")
    assert [s["set_number"] for s in more["sets"]] == [4, 5]
    assert len(api.sets(wid)) == 5


def test_session_context_carries_between_utterances(api: Api) -> None:
    wid = api.workout()
    api.say(wid, "seated cable rows 120 for 12")
    again = api.say(wid, "same again please")
    (row,) = again["sets"]
    assert row["exercise"]["id"] == "Seated_Cable_Rows"
    assert (row["reps"], row["weight"], row["set_number"]) == (12, 120, 2)
    heavier = api.say(wid, "add 20 pounds")
    assert heavier["sets"][0]["weight"] == 140


def test_context_is_per_workout(api: Api) -> None:
    first = api.workout()
    api.say(first, "seated cable rows 120 for 12")
    second = api.workout()
    out = api.say(second, "same again please")
    assert out["sets"] == []
    assert out["action"] == "clarify" and out["question"]


def test_unit_in_body_and_user_default(live: LiveServer) -> None:
    kg_user = Api(live, *live.create_user(unit="kg"))
    try:
        wid = kg_user.workout()
        assert kg_user.say(wid, "barbell squat 100 for 5")["sets"][0]["unit"] == "kg"
        assert kg_user.say(wid, "barbell squat 225 for 5", unit="lb")["sets"][0]["unit"] == "lb"
    finally:
        kg_user.close()


def test_gibberish_asks_instead_of_logging(api: Api) -> None:
    wid = api.workout()
    before = api.snapshot()
    out = api.say(wid, "purple monkey dishwasher")
    assert out["sets"] == [] and out["action"] == "clarify" and out["question"]
    after = api.snapshot()
    # the voice command is kept (it is training data), but no set was written
    assert after["workout_sets"] == before["workout_sets"]
    assert after["voice_commands"] == before["voice_commands"] + 1


def test_undo_removes_the_last_voice_logged_sets(api: Api) -> None:
    wid = api.workout()
    keep = api.say(wid, "barbell squat 185 for 8")
    api.say(wid, "deadlift 2 sets of 5 at 315")
    out = api.say(wid, "scratch that")
    assert out["action"] == "undone"
    assert len(out["undone"]) == 2 and all(s["exercise"]["id"] == "Barbell_Deadlift" for s in out["undone"])
    assert [s["id"] for s in api.sets(wid)] == [keep["sets"][0]["id"]]
    api.say(wid, "scratch that")
    assert api.sets(wid) == []
    nothing = api.say(wid, "scratch that")
    assert nothing["action"] == "ignored" and nothing["sets"] == []


def test_parse_is_stateless(api: Api) -> None:
    wid = api.workout()
    before = api.snapshot()
    r = api.http.post("/v1/parse", json={"text": "barbell bench press 100 kilos for 5 at rpe 9"})
    assert r.status_code == 200
    parsed = r.json()
    assert set(parsed) == PARSED_KEYS
    assert (parsed["exercise"]["id"], parsed["reps"], parsed["weight"], parsed["unit"], parsed["rpe"]) == (
        "Barbell_Bench_Press_-_Medium_Grip",
        5,
        100,
        "kg",
        9,
    )
    follow = api.http.post("/v1/parse", json={"text": "same again please", "previous": parsed})
    assert follow.status_code == 200
    assert follow.json()["exercise"]["id"] == parsed["exercise"]["id"] and follow.json()["weight"] == 100
    assert api.snapshot() == before
    assert api.sets(wid) == []


def test_exercise_search_is_ranked(api: Api) -> None:
    r = api.http.get("/v1/exercises", params={"q": "barbell bench press", "limit": 5})
    assert r.status_code == 200
    hits = r.json()
    assert 0 < len(hits) <= 5
    assert all(set(h) == {"id", "name", "score"} for h in hits)
    assert hits[0]["id"] == "Barbell_Bench_Press_-_Medium_Grip"
    assert all(0 <= h["score"] <= 1 for h in hits)
    assert hits[0]["score"] == max(h["score"] for h in hits)  # the matcher's order; the best comes first
    assert len({h["id"] for h in hits}) == len(hits)


def test_delete_set(api: Api) -> None:
    wid = api.workout()
    out = api.say(wid, "deadlift 2 sets of 5 at 315")
    first, second = out["sets"]
    r = api.http.delete(f"/v1/sets/{first['id']}")
    assert r.status_code == 204 and r.content == b""
    assert [s["id"] for s in api.sets(wid)] == [second["id"]]
    assert api.http.delete(f"/v1/sets/{first['id']}").status_code == 404


def test_voice_command_record_keeps_what_the_server_saw(api: Api) -> None:
    wid = api.workout()
    out = api.say(wid, "barbell squat 185 pounds for 8 reps")
    r = api.http.get(f"/v1/voice-commands/{out['voice_command_id']}")
    assert r.status_code == 200
    record = r.json()
    assert record["transcript"] == "barbell squat 185 pounds for 8 reps"
    assert record["parsed"] == out["parsed"] and record["action"] == "logged"
    assert record["candidates"] and record["candidates"][0]["id"] == "Barbell_Squat"
    assert record["model_used"] and 0 <= record["confidence"] <= 1
    assert record["set_ids"] == [s["id"] for s in out["sets"]]


def test_a_voice_command_record_explains_its_parse(api: Api) -> None:
    workout = api.workout()
    out = api.say(workout, "uh incline dumbbell press the seventies for eight at rpe nine")
    record = api.http.get(f"/v1/voice-commands/{out['voice_command_id']}").json()
    assert record["transcript"].startswith("uh incline")
    assert record["parsed"] == out["parsed"]
    assert record["understand_path"] and record["understand_path"][-1] == "grammar"
    trace = record["trace"]
    assert "incline" in trace["exercise_phrase"] and "dumbbell" in trace["exercise_phrase"]
    assert {"weight", "reps", "rpe"} <= set(trace["fields"])
    assert {"normalize", "parse", "match"} <= set(trace["stages_ms"])
    assert record["candidates"][0]["id"] == out["parsed"]["exercise"]["id"]
    assert record["audio_duration_s"] is None and record["stt_ms"] is None
