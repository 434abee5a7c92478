"""GET /v1/workouts/{id}.md over real HTTP on both databases: logged sets read back as markdown lines."""

from __future__ import annotations

from server.workout_md.parse import parse_markdown
from tests.integration.conftest import Api


def test_logged_sets_render_as_markdown_lines(api: Api) -> None:
    wid = api.workout("Legs")
    api.say(wid, "barbell squat 225 for 5 at rpe 8")
    api.say(wid, "barbell squat 245 for 3")
    api.say(wid, "plank 60 seconds")
    r = api.http.get(f"/v1/workouts/{wid}.md")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/markdown")
    text = r.text
    assert text.startswith("# Legs\n")
    assert "\n- 225 lb × 5 @ RPE 8\n" in text
    assert "\n- 245 lb × 3 (PR)\n" in text  # heavier than the 225 logged before it
    assert "## PRs" in text
    doc = parse_markdown(text)
    assert doc.id == wid
    squat = doc.blocks[0]
    assert [(s.weight, s.reps, s.rpe) for s in squat.sets] == [(225.0, 5, 8.0), (245.0, 3, None)]
    assert doc.blocks[-1].sets[0].duration_s == 60
    # JSON and markdown are two views of the same rows.
    json_sets = api.sets(wid)
    assert sum(len(b.sets) for b in doc.blocks) == len(json_sets) == 3


def test_another_users_workout_markdown_is_not_found(api: Api, other: Api) -> None:
    wid = api.workout()
    api.say(wid, "bench press 135 for 10")
    r = other.http.get(f"/v1/workouts/{wid}.md")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    assert other.http.get("/v1/workouts/nope.md").status_code == 404


MD = {"Content-Type": "text/markdown"}


def test_an_edited_markdown_corrects_the_sets_it_changes(api: Api) -> None:
    wid = api.workout("Legs")
    api.say(wid, "barbell squat 225 for 5 at rpe 8")
    api.say(wid, "barbell squat 245 for 3")
    text = api.http.get(f"/v1/workouts/{wid}.md").text
    edited = (
        text.replace("# Legs", "# Leg day")
        .replace("- 225 lb × 5 @ RPE 8", "- 225 lb x 6 @ RPE 8.5")
        .replace("- 245 lb × 3 (PR)", "- 250 lb × 3")
    )
    r = api.http.put(f"/v1/workouts/{wid}.md", content=edited.encode(), headers=MD)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/markdown")
    assert (
        "# Leg day\n" in r.text
        and "\n- 225 lb × 6 @ RPE 8.5\n" in r.text
        and "\n- 250 lb × 3 (PR)\n" in r.text
    )
    assert api.http.get(f"/v1/workouts/{wid}.md").text == r.text  # the JSON and the markdown agree
    first, second = api.sets(wid)
    assert (first["reps"], first["rpe"], first["corrected"]) == (6, 8.5, True)
    assert (second["weight"], second["reps"]) == (250.0, 3)
    history = api.http.get(f"/v1/sets/{first['id']}/history").json()
    assert sorted((h["field"], h["old"], h["new"], h["source"]) for h in history) == [
        ("reps", 5, 6, "markdown"),
        ("rpe", 8.0, 8.5, "markdown"),
    ]
    assert api.http.get(f"/v1/workouts/{wid}").json()["name"] == "Leg day"


def test_a_heading_without_its_id_is_resolved_by_name(api: Api) -> None:
    wid = api.workout()
    api.say(wid, "barbell squat 100 kg for 5")
    text = api.http.get(f"/v1/workouts/{wid}.md").text
    edited = "\n".join(
        "## Front Barbell Squat" if line.startswith("## Barbell Squat") else line
        for line in text.splitlines()
    )
    r = api.http.put(f"/v1/workouts/{wid}.md", content=edited.encode(), headers=MD)
    assert r.status_code == 200, r.text
    (row,) = api.sets(wid)
    assert row["exercise"]["id"] != "Barbell_Squat" and "front" in row["exercise"]["name"].lower()


def test_bad_edits_change_nothing(api: Api, other: Api) -> None:
    wid = api.workout()
    api.say(wid, "barbell squat 225 for 5")
    api.say(wid, "barbell squat 225 for 5")
    text = api.http.get(f"/v1/workouts/{wid}.md").text
    before = api.snapshot(), api.sets(wid)
    one_line_fewer = text.replace("- 225 lb × 5\n", "", 1)
    cases = [
        (text.replace("- 225 lb × 5\n", "- 230 lb × 6\n", 1).replace("- 225 lb × 5\n", "- heavy one\n"), 400),
        (
            text.replace("- 225 lb × 5\n", "- 230 lb × 6\n", 1).replace("- 225 lb × 5\n", "- 5000 lb × 5\n"),
            400,
        ),
        (one_line_fewer, 409),
        (text.replace(wid, "some-other-id"), 400),
        (text.replace("<!-- Barbell_Squat -->", "<!-- No_Such_Lift -->"), 422),
    ]
    for body, status in cases:
        r = api.http.put(f"/v1/workouts/{wid}.md", content=body.encode(), headers=MD)
        assert r.status_code == status, (status, r.text)
        assert r.json()["error"]["code"]
    assert (api.snapshot(), api.sets(wid)) == before
    assert other.http.put(f"/v1/workouts/{wid}.md", content=text.encode(), headers=MD).status_code == 404
    assert api.http.put(f"/v1/workouts/{wid}", content=text.encode(), headers=MD).status_code == 404
