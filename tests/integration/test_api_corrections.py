"""Corrections, typed (PATCH) and spoken ("make that six"): the set changes, its voice command is marked
corrected with `correction_type` and the corrected output, and every change is kept in the history."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api


def record(api: Api, command_id: str) -> dict[str, Any]:
    r = api.http.get(f"/v1/voice-commands/{command_id}")
    assert r.status_code == 200, r.text
    return dict(r.json())


def history(api: Api, set_id: str) -> list[dict[str, Any]]:
    r = api.http.get(f"/v1/sets/{set_id}/history")
    assert r.status_code == 200, r.text
    return list(r.json())


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        ({"reps": 6}, "reps"),
        ({"weight": 102.5}, "weight"),
        ({"unit": "lb"}, "unit"),
        ({"rpe": 8.5}, "rpe"),
        ({"rpe": None}, "rpe"),
        ({"exercise_id": "Barbell_Incline_Bench_Press_-_Medium_Grip"}, "exercise"),
        ({"reps": 4, "rpe": 10}, "multiple"),
    ],
)
def test_patch_each_field(api: Api, change: dict[str, Any], kind: str) -> None:
    wid = api.workout()
    out = api.say(wid, "barbell bench press 100 kilos for 5 at rpe 9")
    original = out["sets"][0]
    r = api.http.patch(f"/v1/sets/{original['id']}", json=change)
    assert r.status_code == 200, r.text
    fixed = r.json()
    assert fixed["corrected"] is True and fixed["id"] == original["id"]
    for field, value in change.items():
        if field == "exercise_id":
            assert (
                fixed["exercise"]["id"] == value and fixed["exercise"]["name"] != original["exercise"]["name"]
            )
        else:
            assert fixed[field] == value
    untouched = {"reps", "weight", "unit", "rpe", "duration_s", "set_number"} - set(change)
    assert all(fixed[f] == original[f] for f in untouched)
    assert api.sets(wid) == [fixed]

    rec = record(api, out["voice_command_id"])
    assert rec["was_corrected"] is True and rec["correction_type"] == kind
    assert rec["parsed"] == out["parsed"]  # the original parse is kept as it was
    corrected = rec["corrected_output"]
    assert corrected["exercise"]["id"] == fixed["exercise"]["id"]
    assert (corrected["reps"], corrected["weight"], corrected["unit"], corrected["rpe"]) == (
        fixed["reps"],
        fixed["weight"],
        fixed["unit"],
        fixed["rpe"],
    )

    changes = history(api, original["id"])
    assert {c["field"] for c in changes} == set(change)
    for c in changes:
        assert c["source"] == "api" and c["at"].endswith("Z")
        assert c["new"] == change[c["field"]]
        old = original["exercise"]["id"] if c["field"] == "exercise_id" else original[c["field"]]
        assert c["old"] == old


def test_history_accumulates_and_a_second_kind_makes_it_multiple(api: Api) -> None:
    wid = api.workout()
    out = api.say(wid, "barbell squat 185 pounds for 8 reps")
    set_id = out["sets"][0]["id"]
    api.http.patch(f"/v1/sets/{set_id}", json={"reps": 7}).raise_for_status()
    assert record(api, out["voice_command_id"])["correction_type"] == "reps"
    api.http.patch(f"/v1/sets/{set_id}", json={"reps": 6}).raise_for_status()
    assert record(api, out["voice_command_id"])["correction_type"] == "reps"
    api.http.patch(f"/v1/sets/{set_id}", json={"weight": 195}).raise_for_status()
    assert record(api, out["voice_command_id"])["correction_type"] == "multiple"
    steps = [(c["field"], c["old"], c["new"]) for c in history(api, set_id)]
    assert steps == [("reps", 8, 7), ("reps", 7, 6), ("weight", 185, 195)]


def test_sending_the_current_value_records_nothing(api: Api) -> None:
    wid = api.workout()
    out = api.say(wid, "barbell squat 185 pounds for 8 reps")
    set_id = out["sets"][0]["id"]
    r = api.http.patch(f"/v1/sets/{set_id}", json={"reps": 8})
    assert r.status_code == 200 and r.json()["corrected"] is False
    assert history(api, set_id) == []
    assert record(api, out["voice_command_id"])["was_corrected"] is False


def test_clearing_the_weight_clears_the_unit(api: Api) -> None:
    wid = api.workout()
    out = api.say(wid, "barbell squat 185 pounds for 8 reps")
    r = api.http.patch(f"/v1/sets/{out['sets'][0]['id']}", json={"weight": None})
    assert r.status_code == 200
    assert (r.json()["weight"], r.json()["unit"]) == (None, None)


def test_spoken_correction_changes_the_last_utterances_sets(api: Api) -> None:
    wid = api.workout()
    api.say(wid, "barbell squat 185 pounds for 8 reps")
    target = api.say(wid, "deadlift 3 sets of 5 at 315")
    out = api.say(wid, "actually it was 7 reps")
    assert out["action"] == "corrected"
    assert out["parsed"]["intent"] == "correction"
    assert [s["id"] for s in out["sets"]] == [s["id"] for s in target["sets"]]
    assert all(s["reps"] == 7 and s["corrected"] and s["weight"] == 315 for s in out["sets"])
    squat = api.sets(wid)[0]
    assert squat["reps"] == 8 and squat["corrected"] is False

    rec = record(api, target["voice_command_id"])
    assert rec["was_corrected"] is True and rec["correction_type"] == "reps"
    assert rec["corrected_output"]["reps"] == 7 and rec["parsed"]["reps"] == 5
    for s in target["sets"]:
        (change,) = history(api, s["id"])
        assert (change["field"], change["old"], change["new"], change["source"]) == ("reps", 5, 7, "voice")
        assert change["voice_command_id"] == out["voice_command_id"]
    # what comes next builds on the corrected set
    again = api.say(wid, "same again please")
    assert again["sets"][0]["reps"] == 7 and again["sets"][0]["set_number"] == 4


def test_correction_without_a_set_asks(api: Api) -> None:
    wid = api.workout()
    out = api.say(wid, "make that 6 reps")
    assert out["action"] == "clarify" and out["sets"] == [] and out["question"]
    assert api.snapshot()["set_corrections"] == 0


def test_deleting_a_set_keeps_other_sets_history(api: Api) -> None:
    wid = api.workout()
    out = api.say(wid, "deadlift 2 sets of 5 at 315")
    first, second = (s["id"] for s in out["sets"])
    api.http.patch(f"/v1/sets/{second}", json={"reps": 4}).raise_for_status()
    assert api.http.delete(f"/v1/sets/{first}").status_code == 204
    assert [c["new"] for c in history(api, second)] == [4]
    assert api.http.get(f"/v1/sets/{first}/history").status_code == 404


def test_a_spoken_unit_alone_relabels_the_load(api: Api) -> None:
    wid = api.workout()
    target = api.say(wid, "barbell squat 100 pounds for 5")
    out = api.say(wid, "actually that was kilos")
    assert out["action"] == "corrected"
    assert all((s["weight"], s["unit"]) == (100, "kg") for s in out["sets"])
    assert record(api, target["voice_command_id"])["correction_type"] == "unit"


def test_a_unit_heard_without_its_load_asks_for_the_weight(api: Api) -> None:
    wid = api.workout()
    out = api.say(wid, "lying leg curl kilos 11 reps")
    assert out["action"] == "clarify"
    assert "weight" in out["question"] and "Lying Leg Curls" in out["question"]
    assert api.sets(wid) == []
