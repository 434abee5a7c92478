"""Learning from corrections: when a lifter fixes a set's exercise, what they said becomes their own
alias (theirs alone, listed, removable), and the next time they say it, it is read as they meant. A
phrase that exactly names another exercise needs two corrections: one is more often a change of mind."""

from __future__ import annotations

from tests.integration.conftest import Api

_MEANT = "Lying_Triceps_Press"


def _aliases(api: Api) -> list[dict[str, object]]:
    r = api.http.get("/v1/aliases")
    assert r.status_code == 200, r.text
    return list(r.json())


def test_a_corrected_exercise_is_read_right_the_next_time(api: Api, other: Api) -> None:
    wid = api.workout()
    first = api.say(wid, "skull busters 60 for 10")
    assert first["action"] == "logged"
    misread = first["sets"][0]["exercise"]["id"]
    assert misread != _MEANT  # the catalog alone reads it as another skull crusher
    r = api.http.patch(f"/v1/sets/{first['sets'][0]['id']}", json={"exercise_id": _MEANT})
    assert r.status_code == 200, r.text

    (alias,) = _aliases(api)
    assert alias["phrase"] == "skull busters" and alias["exercise_id"] == _MEANT and alias["active"]
    assert alias["voice_command_id"] == first["voice_command_id"]

    again = api.say(wid, "did skull buster, 70 for 8")  # another sentence, the singular
    assert again["action"] == "logged"
    assert again["sets"][0]["exercise"]["id"] == _MEANT
    assert (again["sets"][0]["reps"], again["sets"][0]["weight"]) == (8, 70.0)

    # another lifter's reading is unchanged, and sees none of it
    theirs = other.say(other.workout(), "skull busters 60 for 10")
    assert theirs["sets"][0]["exercise"]["id"] == misread
    assert _aliases(other) == []
    assert other.http.delete(f"/v1/aliases/{alias['id']}").status_code == 404

    # removed, the catalog's reading is back
    assert api.http.delete(f"/v1/aliases/{alias['id']}").status_code == 204
    assert _aliases(api) == []
    back = api.say(wid, "skull busters 60 for 10")
    assert back["sets"][0]["exercise"]["id"] == misread
    assert api.http.delete(f"/v1/aliases/{alias['id']}").status_code == 404


def test_a_spoken_correction_teaches_the_phrase_too(api: Api) -> None:
    wid = api.workout()
    first = api.say(wid, "skull busters 50 for 12")
    fixed = api.say(wid, "no, lying triceps press")
    assert fixed["action"] == "corrected", fixed
    assert fixed["sets"][0]["exercise"]["id"] == _MEANT
    (alias,) = _aliases(api)
    assert alias["phrase"] == "skull busters" and alias["voice_command_id"] == first["voice_command_id"]
    assert api.say(wid, "skull busters 50 for 11")["sets"][0]["exercise"]["id"] == _MEANT


def test_an_exact_name_becomes_theirs_only_when_corrected_twice(api: Api) -> None:
    wid = api.workout()
    meant = "Flat_Bench_Cable_Flyes"
    for n in (1, 2):
        said = api.say(wid, "cable flyes 30 for 15")
        assert said["sets"][0]["exercise"]["id"] == "Cable_Crossover"  # the catalog's exact alias
        r = api.http.patch(f"/v1/sets/{said['sets'][0]['id']}", json={"exercise_id": meant})
        assert r.status_code == 200, r.text
        (alias,) = _aliases(api)
        assert (alias["times"], alias["needs"], alias["active"]) == (n, 2, n == 2)
    assert api.say(wid, "cable flyes 30 for 14")["sets"][0]["exercise"]["id"] == meant
