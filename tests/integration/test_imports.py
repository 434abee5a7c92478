"""Imports through the real server and the real CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx

from tests.import_samples import strong_csv
from tests.integration.conftest import Api, LiveServer


def _all_workouts(api: Api, limit: int) -> list[dict]:
    seen: list[dict] = []
    before = None
    while True:
        params: dict[str, object] = {"limit": limit}
        if before:
            params["before"] = before
        r = api.http.get("/v1/workouts", params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["workouts"]) <= limit
        seen += page["workouts"]
        before = page["next_before"]
        if before is None:
            return seen


def test_cli_import_of_three_years_then_the_history_lists_them(live: LiveServer, tmp_path: Path) -> None:
    name = f"strong-{uuid.uuid4().hex[:8]}"
    user_id, token = live.create_user(name, unit="kg")
    api = Api(live, user_id, token)
    csv_text, exp = strong_csv(years=3)
    path = tmp_path / "strong_workouts.csv"
    path.write_text(csv_text)
    done = live.cli("import", "strong", str(path), "--user", name, timeout=300)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert counts == {
        "workouts": exp.workouts,
        "sets": exp.sets,
        "unresolved": exp.unresolved,
        "skipped": exp.skipped,
    }
    assert "Zercher Frobnicate" in done.stdout  # names to confirm are listed, not guessed
    workouts = _all_workouts(api, limit=100)
    assert len(workouts) == exp.workouts
    starts = [w["started_at"] for w in workouts]
    assert starts == sorted(starts, reverse=True)  # newest first, pages joined without gaps or repeats
    assert len({w["id"] for w in workouts}) == exp.workouts
    assert {w["source"] for w in workouts} == {"import:strong"}
    assert sum(w["set_count"] for w in workouts) == exp.sets
    assert starts[-1].startswith(exp.first_day.replace(" ", "T"))
    one = api.http.get(f"/v1/workouts/{workouts[0]['id']}").json()
    assert len(one["sets"]) == workouts[0]["set_count"] and one["sets"][0]["exercise"]["id"]

    again = live.cli("import", "strong", str(path), "--user", name, timeout=300)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout.strip().splitlines()[-1]) == {
        "workouts": 0,
        "sets": 0,
        "unresolved": 0,
        "skipped": exp.rows,
    }
    assert live.count("workout_sets", user_id) == exp.sets
    api.close()


def test_rest_import_of_a_raw_csv_and_its_record(api: Api, other: Api) -> None:
    csv_text, exp = strong_csv(years=1, seed=5)
    r = api.http.post(
        "/v1/imports/strong",
        content=csv_text.encode(),
        headers={"Content-Type": "text/csv"},
        params={"unit": "kg"},
    )
    assert r.status_code == 201, r.text
    run = r.json()
    assert (run["workouts"], run["sets"], run["unresolved"], run["skipped"]) == (
        exp.workouts,
        exp.sets,
        exp.unresolved,
        exp.skipped,
    )
    assert run["status"] == "finished"
    shown = api.http.get(f"/v1/imports/{run['id']}").json()
    assert shown["sets"] == exp.sets and shown["unresolved_names"] == run["unresolved_names"]
    assert other.http.get(f"/v1/imports/{run['id']}").status_code == 404
    assert other.http.get("/v1/workouts").json() == {"workouts": [], "next_before": None}
    sets = api.server.query(
        "SELECT unit, count(*) FROM workout_sets WHERE user_id = :u AND weight IS NOT NULL GROUP BY unit",
        u=api.user_id,
    )
    assert set(dict(sets)) == {"kg"}  # the unit the request named, on every weighted set
    multipart = api.http.post(
        "/v1/imports/strong", files={"file": ("export.csv", csv_text.encode(), "text/csv")}
    )
    assert multipart.status_code == 201, multipart.text
    assert (multipart.json()["sets"], multipart.json()["skipped"]) == (0, exp.rows)


def test_rest_import_of_a_malformed_file_names_the_line_and_changes_nothing(api: Api) -> None:
    csv_text, _ = strong_csv(years=1, seed=6)
    lines = csv_text.split("\n")
    at = next(i for i in range(40, len(lines)) if '"' not in lines[i] and lines[i].count(",") == 11)
    lines[at] = lines[at].replace(",", ",,", 1)  # one field too many on a plain row
    before = api.snapshot()
    r = api.http.post("/v1/imports/strong", content="\n".join(lines).encode())
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "malformed_file" and f"line {at + 1}:" in error["message"]
    assert api.snapshot() == before
    assert api.server.count("external_activity_records", api.user_id) == 0
    assert api.http.post("/v1/imports/garmin-ish", content=b"x").status_code == 404
    assert api.http.get("/v1/workouts", params={"before": "yesterday"}).status_code == 400
    assert api.http.get("/v1/workouts", params={"limit": 0}).status_code == 400
    unauth = httpx.get(f"{api.server.url}/v1/workouts")
    assert unauth.status_code == 401


def test_rest_import_of_an_apple_health_export_streamed_to_disk(api: Api, tmp_path: Path) -> None:
    from tests.health_samples import write_health_export

    path = tmp_path / "export.xml"
    exp = write_health_export(path, target_bytes=2_000_000, days=200)
    with path.open("rb") as body:
        xml = {"Content-Type": "application/xml"}
        r = api.http.post("/v1/imports/apple-health", content=body, headers=xml)
    assert r.status_code == 201, r.text
    run = r.json()
    assert (run["summary"]["activities"], run["summary"]["biometrics"]) == (exp.activities, exp.biometrics)
    assert run["workouts"] == exp.activities and run["sets"] == 0
    assert api.server.count("activities", api.user_id) == exp.activities
    assert api.server.count("biometrics", api.user_id) == exp.biometrics
    broken = path.read_text().replace("</HealthData>", "</HealthDat>")
    bad = api.http.post("/v1/imports/apple-health", content=broken.encode())
    assert bad.status_code == 422 and "line" in bad.json()["error"]["message"]
