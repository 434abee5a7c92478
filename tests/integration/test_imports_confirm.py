"""After an import: the lifter confirms or maps the names it could not resolve, and the rows kept raw under
them become sets; a preview (dry run) counts the same and writes nothing; custom exercises are imported
into by name."""

from __future__ import annotations

from typing import Any

from tests.integration.conftest import Api

HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"
)
ROWS = [
    "2025-01-06 18:00:00,Push,1h 0m,Bench Press (Barbell),1,100,5,0,0,,,8",
    "2025-01-06 18:00:00,Push,1h 0m,Bench Press (Barbell),2,100,5,0,0,,,8.5",
    "2025-01-06 18:00:00,Push,1h 0m,Zercher Frobnicate,1,60,8,0,0,felt odd,,",
    "2025-01-06 18:00:00,Push,1h 0m,Zercher Frobnicate,2,62.5,8,0,0,,,",
    "2025-01-08 18:00:00,Back,45m,Gorilla Row Thing,1,40,10,0,0,,,",
    "2025-01-08 18:00:00,Back,45m,Gorilla Row Thing,2,40,9,0,0,,,",
    "2025-01-08 18:00:00,Back,45m,Gorilla Row Thing,3,40,8,0,0,,,",
]
ROW = "Bent_Over_Two-Dumbbell_Row"


def _csv(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _import(api: Api, body: bytes, **params: Any) -> Any:
    return api.http.post("/v1/imports/strong", content=body, params={"unit": "kg", **params})


def _sets(api: Api) -> list[dict[str, Any]]:
    listed = api.http.get("/v1/workouts", params={"limit": 100}).json()["workouts"]
    return [s for w in listed for s in api.sets(w["id"])]


def test_a_preview_counts_as_the_import_would_and_writes_nothing(api: Api) -> None:
    r = _import(api, _csv(ROWS), dry_run="true")
    assert r.status_code == 200, r.text
    preview = r.json()
    assert (preview["status"], preview["id"]) == ("preview", "")
    assert (preview["workouts"], preview["sets"], preview["unresolved"], preview["skipped"]) == (1, 2, 5, 0)
    assert [u["name"] for u in preview["unresolved_names"]] == ["Gorilla Row Thing", "Zercher Frobnicate"]
    assert api.http.get("/v1/workouts").json()["workouts"] == []
    assert api.server.count("external_ingestion_runs", api.user_id) == 0
    real = _import(api, _csv(ROWS))
    assert real.status_code == 201
    assert [real.json()[k] for k in ("workouts", "sets", "unresolved")] == [1, 2, 5]
    assert _import(api, b"Date,Nope\n1,2\n", dry_run="true").status_code == 422  # malformed: as an import


def test_confirmed_names_become_sets_and_are_known_next_time(api: Api, other: Api) -> None:
    run = _import(api, _csv(ROWS)).json()
    assert run["unresolved"] == 5 and len(_sets(api)) == 2
    assert other.http.post(f"/v1/imports/{run['id']}/confirm", json={"names": []}).status_code == 404
    bad = api.http.post(
        f"/v1/imports/{run['id']}/confirm", json={"names": [{"name": "Deadlift", "exercise_id": ROW}]}
    )
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "unknown_name")
    unknown = api.http.post(
        f"/v1/imports/{run['id']}/confirm",
        json={"names": [{"name": "Gorilla Row Thing", "exercise_id": "Nope"}]},
    )
    assert unknown.status_code == 422 and len(_sets(api)) == 2  # refused whole, nothing changed

    r = api.http.post(
        f"/v1/imports/{run['id']}/confirm",
        json={
            "names": [
                {"name": "Gorilla Row Thing", "exercise_id": ROW},
                {"name": "Zercher Frobnicate", "create": True},
            ]
        },
    )
    assert r.status_code == 200, r.text
    done = r.json()
    assert (done["workouts"], done["sets"], done["unresolved"], done["unresolved_names"]) == (2, 7, 0, [])
    confirmed = {c["name"]: c for c in done["summary"]["confirmed"]}
    zercher = confirmed["Zercher Frobnicate"]["exercise_id"]
    assert zercher.startswith("custom-") and confirmed["Gorilla Row Thing"]["rows"] == 3
    assert api.http.get(f"/v1/imports/{run['id']}").json()["unresolved_names"] == []

    sets = _sets(api)
    assert len(sets) == 7
    mine = sorted((s["weight"], s["reps"]) for s in sets if s["exercise"]["id"] == zercher)
    assert mine == [(60.0, 8), (62.5, 8)]  # joined the Push workout the file's bench rows made
    push = [w for w in api.http.get("/v1/workouts").json()["workouts"] if w["name"] == "Push"]
    assert len(push) == 1 and push[0]["set_count"] == 4
    rows = sorted((s["set_number"], s["reps"]) for s in sets if s["exercise"]["id"] == ROW)
    assert rows == [(1, 10), (2, 9), (3, 8)]
    assert api.server.query(
        "SELECT count(*) FROM external_activity_records WHERE run_id = :r AND status = 'set'", r=run["id"]
    ) == [(7,)]

    # the same file again adds nothing; a later export's rows of those names resolve by themselves
    again = _import(api, _csv(ROWS)).json()
    assert [again[k] for k in ("workouts", "sets", "unresolved", "skipped")] == [0, 0, 0, 7]
    later = _import(
        api,
        _csv(
            [
                "2025-01-13 18:00:00,Back,45m,Gorilla Row Thing,1,42.5,10,0,0,,,",
                "2025-01-13 18:00:00,Back,45m,zercher frobnicate,1,65,6,0,0,,,",
            ]
        ),
    ).json()
    assert [later[k] for k in ("workouts", "sets", "unresolved")] == [1, 2, 0]
    # and what was confirmed is now theirs by voice too
    said = api.say(api.workout(), "gorilla row thing 40 for 10", unit="kg")
    assert said["sets"][0]["exercise"]["id"] == ROW
    # another lifter's import of the same names is still unresolved
    theirs = _import(other, _csv(ROWS)).json()
    assert theirs["unresolved"] == 5


def test_a_custom_exercise_made_before_the_import_is_imported_into(api: Api) -> None:
    made = api.http.post("/v1/exercises", json={"name": "Gorilla Row Thing"}).json()
    run = _import(api, _csv(ROWS)).json()
    assert [u["name"] for u in run["unresolved_names"]] == ["Zercher Frobnicate"]
    assert run["sets"] == 5 and sum(1 for s in _sets(api) if s["exercise"]["id"] == made["id"]) == 3


def test_the_cli_previews_with_dry_run_and_writes_nothing(api: Api, tmp_path: Any) -> None:
    user = api.server.query("SELECT name FROM users WHERE id = :u", u=api.user_id)[0][0]
    path = tmp_path / "strong.csv"
    path.write_bytes(_csv(ROWS))
    done = api.server.cli("import", "strong", str(path), "--user", user, "--unit", "kg", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "nothing was written" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == '{"workouts": 1, "sets": 2, "unresolved": 5, "skipped": 0}'
    assert api.http.get("/v1/workouts").json()["workouts"] == []
    assert api.server.count("external_ingestion_runs", api.user_id) == 0


def test_the_new_routes_are_in_the_openapi_schema(api: Api) -> None:
    paths = api.http.get("/schema/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/v1/exercises"])
    assert "get" in paths["/v1/exercises/custom"]
    assert "patch" in paths["/v1/exercises/{exercise_id}"]
    assert "post" in paths["/v1/imports/{run_id}/confirm"]
