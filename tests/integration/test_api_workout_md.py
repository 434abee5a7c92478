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
