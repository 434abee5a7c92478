"""Fine-tune export: SFT and DPO JSONL, streamed, only the caller's data; the CLI writes the same lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.integration.conftest import Api, LiveServer

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


def lines(api: Api, fmt: str) -> list[dict[str, Any]]:
    r = api.http.get("/v1/export/fine-tune", params={"format": fmt})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/x-ndjson")
    text = r.text
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def assert_message(m: dict[str, Any], role: str) -> None:
    assert set(m) == {"role", "content"} and m["role"] == role and isinstance(m["content"], str)


def session(api: Api) -> dict[str, Any]:
    wid = api.workout()
    squat = api.say(wid, "barbell squat 185 pounds for 8 reps")
    dead = api.say(wid, "deadlift 3 sets of 5 at 315")
    api.http.patch(f"/v1/sets/{squat['sets'][0]['id']}", json={"reps": 6}).raise_for_status()
    api.say(wid, "purple monkey dishwasher")  # asked about, never logged: not training data
    plank = api.say(wid, "plank for 45 seconds")
    api.say(wid, "scratch that")  # the plank is undone: not training data either
    return {"squat": squat, "dead": dead, "plank": plank}


def test_sft_lines(api: Api, other: Api) -> None:
    other_wid = other.workout()
    other.say(other_wid, "seated cable rows 120 for 12")
    said = session(api)
    out = lines(api, "sft")
    assert len(out) == 2
    for line in out:
        assert set(line) == {"messages"}
        system, user, assistant = line["messages"]
        assert_message(system, "system")
        assert_message(user, "user")
        assert_message(assistant, "assistant")
        assert set(json.loads(assistant["content"])) == PARSED_KEYS
    users = [line["messages"][1]["content"] for line in out]
    assert users == ["barbell squat 185 pounds for 8 reps", "deadlift 3 sets of 5 at 315"]
    squat = json.loads(out[0]["messages"][2]["content"])
    assert squat["reps"] == 6 and squat["exercise"]["id"] == "Barbell_Squat"  # the corrected result
    dead = json.loads(out[1]["messages"][2]["content"])
    assert dead == said["dead"]["parsed"]
    assert all("cable" not in u for u in users)


def test_dpo_lines_prefer_the_correction(api: Api, other: Api) -> None:
    other_wid = other.workout()
    rows = other.say(other_wid, "seated cable rows 120 for 12")
    other.http.patch(f"/v1/sets/{rows['sets'][0]['id']}", json={"reps": 10}).raise_for_status()
    session(api)
    out = lines(api, "dpo")
    assert len(out) == 1
    (line,) = out
    assert set(line) == {"input", "preferred_output", "non_preferred_output"}
    system, user = line["input"]["messages"]
    assert_message(system, "system")
    assert_message(user, "user")
    assert user["content"] == "barbell squat 185 pounds for 8 reps"
    (good,) = line["preferred_output"]
    (bad,) = line["non_preferred_output"]
    assert_message(good, "assistant")
    assert_message(bad, "assistant")
    assert json.loads(good["content"])["reps"] == 6
    assert json.loads(bad["content"])["reps"] == 8


def test_empty_export_is_an_empty_body(api: Api) -> None:
    assert lines(api, "sft") == [] and lines(api, "dpo") == []


def test_export_streams_many_lines(api: Api) -> None:
    wid = api.workout()
    for i in range(1, 26):
        api.say(wid, f"barbell squat {100 + i} pounds for {i % 12 + 1} reps")
    out = lines(api, "sft")
    assert len(out) == 25
    assert [json.loads(o["messages"][2]["content"])["weight"] for o in out] == [100 + i for i in range(1, 26)]


def test_cli_export_writes_the_same_lines(live: LiveServer, tmp_path: Path) -> None:
    name = f"exporter-{tmp_path.name[-8:]}"
    user_id, token = live.create_user(name)
    api = Api(live, user_id, token)
    try:
        session(api)
        for fmt in ("sft", "dpo"):
            target = tmp_path / f"{fmt}.jsonl"
            done = live.cli("export", "--format", fmt, "--user", name, "-o", str(target))
            assert done.returncode == 0, done.stderr
            assert "%" in done.stderr or "ex/s" in done.stderr  # the progress bar
            assert [json.loads(x) for x in target.read_text().splitlines()] == lines(api, fmt)
        missing = live.cli(
            "export", "--format", "sft", "--user", "nobody-by-this-name", "-o", str(tmp_path / "x")
        )
        assert missing.returncode != 0 and "nobody-by-this-name" in missing.stderr
    finally:
        api.close()
