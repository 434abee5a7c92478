"""`voicelog export --format md`: a folder, one markdown file a workout, the same text the route serves."""

from __future__ import annotations

from pathlib import Path

from tests.integration.conftest import Api


def test_export_md_writes_one_file_a_workout(api: Api, tmp_path: Path) -> None:
    first, second = api.workout("Push"), api.workout("Pull")
    api.say(first, "bench press 135 for 10")
    api.say(second, "barbell row 135 for 8")
    name = api.server.query("SELECT name FROM users WHERE id = :u", u=api.user_id)[0][0]
    out = tmp_path / "md"
    done = api.server.cli("export", "--user", name, "--format", "md", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "wrote 2 workouts" in done.stderr
    files = sorted(out.iterdir())
    assert len(files) == 2
    texts = {p.name: p.read_text() for p in files}
    for wid in (first, second):
        (fname,) = [n for n in texts if n.endswith(f"-{wid}.md")]
        assert texts[fname] == api.http.get(f"/v1/workouts/{wid}.md").text
    assert any("\n- 135 lb × 10\n" in t for t in texts.values())
