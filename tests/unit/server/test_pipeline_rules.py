"""The pipeline's pure decisions: what a spoken correction changes, what is too odd to log, what to ask."""

from __future__ import annotations

from models.parsed import Alternative, ExerciseRef, ParsedSet
from server.decide import correction_changes as _correction_changes
from server.decide import out_of_bounds as _out_of_bounds
from server.decide import question as _question
from server.store.sets import correction_type

SQUAT = ExerciseRef(id="Barbell_Squat", name="Barbell Squat")
FRONT = ExerciseRef(id="Front_Barbell_Squat", name="Front Barbell Squat")
PREVIOUS = ParsedSet(intent="log_set", exercise=SQUAT, reps=8, weight=185, unit="lb", confidence=1)


def test_stated_fields_are_what_changes() -> None:
    said = ParsedSet(intent="correction", exercise=SQUAT, reps=6, weight=185, unit="lb", confidence=1)
    assert _correction_changes(said, ["reps"], PREVIOUS) == {"reps": 6}


def test_a_new_weight_brings_its_unit() -> None:
    said = ParsedSet(intent="correction", exercise=SQUAT, reps=8, weight=80, unit="kg", confidence=1)
    assert _correction_changes(said, ["weight"], PREVIOUS) == {"weight": 80, "unit": "kg"}


def test_exercise_correction() -> None:
    said = ParsedSet(intent="correction", exercise=FRONT, reps=8, weight=185, unit="lb", confidence=1)
    assert _correction_changes(said, ["exercise"], PREVIOUS) == {"exercise_id": "Front_Barbell_Squat"}


def test_without_stated_fields_the_differences_count() -> None:
    said = ParsedSet(intent="correction", exercise=SQUAT, reps=5, weight=185, unit="lb", rpe=9, confidence=1)
    assert _correction_changes(said, [], PREVIOUS) == {"reps": 5, "rpe": 9}


def test_an_unresolved_exercise_is_never_written() -> None:
    said = ParsedSet(intent="correction", exercise=None, confidence=1)
    assert _correction_changes(said, ["exercise"], PREVIOUS) == {}


def test_bounds() -> None:
    ok = ParsedSet(intent="log_set", exercise=SQUAT, sets=3, reps=5, weight=2000, rpe=9.5, confidence=1)
    assert not _out_of_bounds(ok)
    for bad in (
        ParsedSet(intent="log_set", exercise=SQUAT, reps=0),
        ParsedSet(intent="log_set", exercise=SQUAT, reps=1001),
        ParsedSet(intent="log_set", exercise=SQUAT, weight=2000.5),
        ParsedSet(intent="log_set", exercise=SQUAT, rpe=11),
        ParsedSet(intent="log_set", exercise=SQUAT, rpe=8.25),
        ParsedSet(intent="log_set", exercise=SQUAT, sets=0),
        ParsedSet(intent="log_set", exercise=SQUAT, sets=51),
        ParsedSet(intent="log_set", exercise=SQUAT, duration_s=0),
    ):
        assert _out_of_bounds(bad), bad


def test_questions_name_the_candidates() -> None:
    unsure = ParsedSet(
        intent="log_set",
        exercise=SQUAT,
        alternatives=[Alternative(id=FRONT.id, name=FRONT.name, score=0.7)],
        confidence=0.3,
    )
    q = _question(unsure)
    assert "Barbell Squat" in q and "Front Barbell Squat" in q and q.endswith("?")
    assert "exercise" in _question(ParsedSet(intent="log_set", reps=5, confidence=0.9)).lower()
    assert "numbers" in _question(ParsedSet(intent="log_set", exercise=SQUAT, reps=5000, confidence=1))


def test_correction_type() -> None:
    assert correction_type(["reps"]) == "reps"
    assert correction_type(["exercise_id"]) == "exercise"
    assert correction_type(["weight", "unit"]) == "multiple"
    assert correction_type(["reps"], previous="reps") == "reps"
    assert correction_type(["rpe"], previous="reps") == "multiple"
    assert correction_type([]) is None


def test_text_is_made_storable() -> None:
    from server.pipeline import _clean

    assert _clean("squat\x00 185") == "squat  185"
    assert _clean("squat \ud800 185").encode("utf-8")  # no lone surrogate left to fail the database
    assert _clean("bench 225 for 5") == "bench 225 for 5"
