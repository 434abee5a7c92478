"""The AI context's prose against a hand-written example, and its facts: active constraints only."""

from __future__ import annotations

from datetime import date

from server.profile.context import build_context
from server.profile.ledger import canonical
from server.profile.prs import LoggedPr

PROFILE = canonical(
    {
        "goals": {"primaryGoal": "strength", "objective": "squat 180 kg", "eventDate": "2027-03-01"},
        "training": {"currentActivity": "lifting 4x a week", "program": "5/3/1", "weeksDone": 6},
        "availability": {"daysPerWeek": 4, "minutesPerSession": 60, "preferredTimes": ["morning"]},
        "equipment": {"access": "commercial gym", "items": ["barbell", "rack"]},
        "preferences": {"coachingTone": "tough-love", "enjoyedExercises": ["front squat"]},
        "metrics": {
            "heightCm": 180,
            "bodyweight": {"value": 82.5, "unit": "kg"},
            "prLifts": [
                {"exercise": "Deadlift", "weight": 200, "unit": "kg", "reps": 1, "date": "2026-10-01"}
            ],
        },
        "constraints": [
            {
                "id": "sh1",
                "type": "injury",
                "label": "left shoulder impingement",
                "severity": "moderate",
                "affectedAreas": ["left shoulder"],
                "modifications": ["no overhead pressing"],
                "startDate": "2026-11-20",
            },
            {"id": "k1", "type": "injury", "label": "right knee tweak", "status": "resolved"},
        ],
    }
)
LOGGED = [
    LoggedPr(
        exercise_id="Barbell_Squat",
        exercise="Barbell Squat",
        weight=150.0,
        unit="kg",
        reps=3,
        date="2026-11-02",
    )
]

EXPECTED = """\
USER PROFILE (as of 2026-12-03)
- GOAL: strength; squat 180 kg; event 2027-03-01
- TRAINING: lifting 4x a week; program 5/3/1; 6 weeks done
- AVAILABILITY: 4 days/week; 60 min/session; preferred times: morning
- EQUIPMENT: commercial gym; items: barbell, rack
- CONSTRAINTS: left shoulder impingement (injury; moderate; areas: left shoulder; \
modifications: no overhead pressing; since 2026-11-20)
- PREFERENCES: coaching tone tough-love; enjoys: front squat
- METRICS: bodyweight 82.5 kg; height 180 cm; PRs: Deadlift 200 kg × 1 (2026-10-01), \
Barbell Squat 150 kg × 3 (2026-11-02, logged)"""


def test_prose_matches_the_hand_written_example() -> None:
    context = build_context(PROFILE, LOGGED, date(2026, 12, 3))
    assert context.prose == EXPECTED


def test_prose_is_byte_identical_across_runs_and_key_orders() -> None:
    shuffled = {k: PROFILE[k] for k in reversed(list(PROFILE))}
    runs = {
        build_context(p, LOGGED, date(2026, 12, 3)).prose for p in (PROFILE, shuffled, canonical(PROFILE))
    }
    assert runs == {EXPECTED}


def test_facts_keep_active_constraints_only_and_the_logged_prs() -> None:
    facts = build_context(PROFILE, LOGGED, date(2026, 12, 3)).facts
    assert [c["id"] for c in facts["constraints"]] == ["sh1"]
    assert facts["asOf"] == "2026-12-03"
    assert facts["loggedPrs"][0]["exerciseId"] == "Barbell_Squat"
    assert facts["metrics"]["bodyweight"] == {"value": 82.5, "unit": "kg"}


def test_an_empty_profile_says_what_is_not_set() -> None:
    prose = build_context(canonical({}), [], date(2026, 1, 2)).prose
    assert prose.splitlines() == [
        "USER PROFILE (as of 2026-01-02)",
        "- GOAL: not set",
        "- TRAINING: not set",
        "- AVAILABILITY: not set",
        "- EQUIPMENT: not set",
        "- CONSTRAINTS: none active",
        "- PREFERENCES: coaching tone friendly",
        "- METRICS: not set",
    ]
