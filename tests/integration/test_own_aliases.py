"""Learning from corrections: when a lifter fixes a set's exercise, what they said becomes their own
alias (theirs alone, listed, removable), and the next time they say it, it is read as they meant."""

from __future__ import annotations

from tests.integration.conftest import Api

_MEANT = "Flat_Bench_Cable_Flyes"


def _aliases(api: Api) -> list[dict[str, object]]:
    r = api.http.get("/v1/aliases")
    assert r.status_code == 200, r.text
    return list(r.json())


def test_a_corrected_exercise_is_read_right_the_next_time(api: Api, other: Api) -> None:
    wid = api.workout()
    first = api.say(wid, "cable flyes 30 for 15")
    assert first["action"] == "logged"
    misread = first["sets"][0]["exercise"]["id"]
    assert misread != _MEANT  # the catalog alone reads it as another fly
    r = api.http.patch(f"/v1/sets/{first['sets'][0]['id']}", json={"exercise_id": _MEANT})
    assert r.status_code == 200, r.text

    (alias,) = _aliases(api)
    assert alias["phrase"] == "cable flyes" and alias["exercise_id"] == _MEANT
    assert alias["voice_command_id"] == first["voice_command_id"]

    again = api.say(wid, "did cable flye, 35 for 12")  # another sentence, the singular
    assert again["action"] == "logged"
    assert again["sets"][0]["exercise"]["id"] == _MEANT
    assert (again["sets"][0]["reps"], again["sets"][0]["weight"]) == (12, 35.0)

    # another lifter's reading is unchanged, and sees none of it
    theirs = other.say(other.workout(), "cable flyes 30 for 15")
    assert theirs["sets"][0]["exercise"]["id"] == misread
    assert _aliases(other) == []
    assert other.http.delete(f"/v1/aliases/{alias['id']}").status_code == 404

    # removed, the catalog's reading is back
    assert api.http.delete(f"/v1/aliases/{alias['id']}").status_code == 204
    assert _aliases(api) == []
    back = api.say(wid, "cable flyes 30 for 15")
    assert back["sets"][0]["exercise"]["id"] == misread
    assert api.http.delete(f"/v1/aliases/{alias['id']}").status_code == 404


def test_a_spoken_correction_teaches_the_phrase_too(api: Api) -> None:
    wid = api.workout()
    first = api.say(wid, "cable flyes 25 for 15")
    fixed = api.say(wid, "no, flat bench cable flyes")
    assert fixed["action"] == "corrected", fixed
    assert fixed["sets"][0]["exercise"]["id"] == _MEANT
    (alias,) = _aliases(api)
    assert alias["phrase"] == "cable flyes" and alias["voice_command_id"] == first["voice_command_id"]
    assert api.say(wid, "cable flyes 25 for 14")["sets"][0]["exercise"]["id"] == _MEANT
