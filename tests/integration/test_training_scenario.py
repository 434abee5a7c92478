"""Twelve weeks of generated sessions for three lifters (progressing, stalled, detraining), on SQLite and
PostgreSQL: the records, plateaus, weekly summaries, modifiers and next targets the rules predict, exactly.

Each lifter benches twice a week (Monday and Thursday), three sets of five, in the twelve weeks before
this one; `voicelog analytics run --user NAME` then judges every week.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from tests.integration.conftest import Api, LiveServer

BENCH = "Barbell_Bench_Press_-_Medium_Grip"
WEEKS = 12


def _first_monday() -> date:
    today = datetime.now(UTC).date()
    return today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS)


def _plan(kind: str, week: int, session: int) -> list[dict[str, Any]]:
    """(rec_weight, rec_reps, actual_weight, actual_reps) of the three sets of one session."""
    if kind == "progressing":  # +2.5 kg a week, every recommendation met
        w = 80 + 2.5 * week
        sets = [(w, 5, w, 5)] * 3
    elif kind == "stalled":  # 100 kg for ever; from week 6 the app asks 102.5 and gets 100
        rec = 100 if week < 6 else 102.5
        sets = [(rec, 5, 100, 5)] * 3
    else:  # detraining: 2.5 kg less a week, and exactly half the sets of each week met (3 of 6)
        w = 120 - 2.5 * week
        reps = [5, 5, 4] if session == 0 else [5, 4, 4]
        sets = [(w, 5, w, r) for r in reps]
    return [
        {"exercise_id": BENCH, "set_number": i + 1, "rec_weight": rw, "rec_reps": rr,
         "actual_weight": aw, "actual_reps": ar, "intensity": 8, "done": True}
        for i, (rw, rr, aw, ar) in enumerate(sets)
    ]  # fmt: skip


@pytest.fixture
def lifters(live: LiveServer) -> Iterator[dict[str, Api]]:
    made: dict[str, Api] = {}
    for kind in ("progressing", "stalled", "detraining"):
        name = f"{kind}-{uuid.uuid4().hex[:8]}"
        api = Api(live, *live.create_user(name=name, unit="kg"))
        api.name = name  # type: ignore[attr-defined]
        monday = _first_monday()
        for week in range(WEEKS):
            for session, offset in enumerate((0, 3)):
                day = monday + timedelta(weeks=week, days=offset)
                body = {"date": day.isoformat(), "day_type": "push", "finished": True,
                        "sets": _plan(kind, week, session)}  # fmt: skip
                r = api.http.post("/v1/sessions", json=body)
                assert r.status_code == 201, r.text
        made[kind] = api
    yield made
    for api in made.values():
        api.close()


def _prs(api: Api) -> dict[str, dict[str, Any]]:
    return {p["pr_type"]: p for p in api.http.get("/v1/prs", params={"exercise_id": BENCH}).json()["prs"]}


def _modifiers(api: Api) -> list[tuple[str, float, int, str]]:
    rows = api.server.query(
        "SELECT week_start, modifier_percent, rep_change, rule FROM adaptive_modifiers"
        " WHERE user_id = :u ORDER BY week_start",
        u=api.user_id,
    )
    return [(str(w)[:10], float(p), int(r), rule) for w, p, r, rule in rows]


def _next(api: Api) -> dict[str, Any]:
    r = api.http.get("/v1/recommendations/next", params={"exercise_id": BENCH})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_twelve_weeks_of_three_lifters(live: LiveServer, lifters: dict[str, Api]) -> None:
    progressing, stalled, detraining = lifters["progressing"], lifters["stalled"], lifters["detraining"]
    monday = _first_monday()

    # -- records ----------------------------------------------------------------------------------
    p = _prs(progressing)
    assert p["1rm"]["value"] == 107.5 and p["e1rm"]["value"] == pytest.approx(125.42)  # 107.5 × 7/6
    assert p["1rm"]["improvement_percent"] == pytest.approx(2.38)  # 107.5 / 105 − 1
    assert p["volume_session"]["value"] == 1612.5  # 3 × 5 × 107.5
    s = _prs(stalled)
    assert s["1rm"]["value"] == 100 and s["1rm"]["previous_pr_id"] is None  # set in the first session
    d = _prs(detraining)
    assert d["1rm"]["value"] == 120 and d["e1rm"]["value"] == 140  # 120 × 7/6, week 0

    # -- plateaus (whole history) -------------------------------------------------------------------
    def plateaus(api: Api) -> list[dict[str, Any]]:
        r = api.http.get("/v1/analytics", params={"range": "all"})
        assert r.status_code == 200, r.text
        return list(r.json()["plateaus"])

    assert plateaus(progressing) == []
    (flat,) = plateaus(stalled)
    assert flat["best_e1rm"] == pytest.approx(116.67) and flat["recent_best_e1rm"] == pytest.approx(116.67)
    last_three = [
        monday + timedelta(weeks=10, days=3),
        monday + timedelta(weeks=11),
        monday + timedelta(weeks=11, days=3),
    ]
    assert [x["date"] for x in flat["sessions"]] == [day.isoformat() for day in last_three]
    (down,) = plateaus(detraining)
    # the last three sessions: week 10 Thursday at 95 kg, week 11 at 92.5: best 95 × 7/6
    assert down["best_e1rm"] == 140 and down["recent_best_e1rm"] == pytest.approx(110.83)

    # -- weekly summaries ---------------------------------------------------------------------------
    weeks = progressing.http.get("/v1/analytics", params={"range": "all"}).json()["weekly_summary"]
    assert [w["week_start"] for w in weeks] == [
        (monday + timedelta(weeks=k)).isoformat() for k in range(WEEKS + 1)
    ]
    for k, week in enumerate(weeks[:WEEKS]):
        assert (week["sets"], week["reps"], week["tonnage"]) == (6, 30, 30 * (80 + 2.5 * k)), k
    assert weeks[-1]["sets"] == 0  # this week: nothing yet
    dweeks = detraining.http.get("/v1/analytics", params={"range": "all"}).json()["weekly_summary"]
    assert (dweeks[0]["sets"], dweeks[0]["reps"], dweeks[0]["tonnage"]) == (6, 27, 27 * 120)

    # -- the adaptive modifier: the CLI judges every week, twice over (idempotent) -------------------
    for _ in range(2):
        for api in lifters.values():
            out = live.cli("analytics", "run", "--user", api.name)  # type: ignore[attr-defined]
            assert out.returncode == 0, out.stderr
    applies = [(monday + timedelta(weeks=k + 1)).isoformat() for k in range(WEEKS)]
    hold, raise_, lower = (0.0, 0, "hold"), (2.5, 0, "raise_two_weeks_at_0.8"), (-2.5, 0, "lower_below_0.5")
    # week 0 has no week before it: 1.0 once is not two weeks running
    assert _modifiers(progressing) == [(a, *m) for a, m in zip(applies, [hold] + [raise_] * 11, strict=True)]
    assert _modifiers(stalled) == [
        (a, *m) for a, m in zip(applies, [hold] + [raise_] * 5 + [lower] * 6, strict=True)
    ]
    assert _modifiers(detraining) == [(a, *hold) for a in applies]  # 0.5 is not below 0.5

    # -- the next set -------------------------------------------------------------------------------
    nxt = _next(progressing)  # 107.5 × 1.025 = 110.19 → 110 (2.5 kg steps on a barbell)
    assert (nxt["weight"], nxt["reps"], nxt["unit"], nxt["modifier_percent"]) == (110, 5, "kg", 2.5)
    assert nxt["evidence"]["modifier"]["judged_week"]["success_rate"] == 1.0
    assert nxt["evidence"]["modifier"]["week_before"]["success_rate"] == 1.0
    nxt = _next(stalled)  # 100 × 0.975
    assert (nxt["weight"], nxt["reps"], nxt["modifier_percent"]) == (97.5, 5, -2.5)
    last_week = (monday + timedelta(weeks=11)).isoformat()
    assert nxt["evidence"]["modifier"]["judged_week"] == {
        "week_start": last_week, "sets": 6, "successes": 0, "success_rate": 0.0
    }  # fmt: skip
    nxt = _next(detraining)
    assert (nxt["weight"], nxt["reps"], nxt["modifier_percent"]) == (92.5, 5, 0.0)
    assert nxt["evidence"]["modifier"]["judged_week"]["success_rate"] == 0.5


def test_next_set_bad_input(api: Api) -> None:
    r = api.http.get("/v1/recommendations/next", params={"exercise_id": "No_Such_Lift"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_exercise"
    assert api.http.get("/v1/recommendations/next").status_code == 400
    empty = api.http.get("/v1/recommendations/next", params={"exercise_id": BENCH}).json()
    assert (empty["weight"], empty["reps"], empty["modifier_percent"]) == (None, None, 0.0)


def test_analytics_run_refuses_unknown_user_and_week(live: LiveServer) -> None:
    out = live.cli("analytics", "run", "--user", f"nobody-{uuid.uuid4().hex[:6]}")
    assert out.returncode == 1 and "no user named" in out.stderr
    out = live.cli("analytics", "run", "--week", "last week")
    assert out.returncode == 2 and "not understood" in out.stderr
