"""The benchmark's rewrites keep the graded answer true: each says the same set another way."""

from __future__ import annotations

from benchmarks.common import Expected, Session, Turn
from benchmarks.rephrase import rephrase


def _session(text: str, variant: str | None = None, **expected: object) -> Session:
    fields = {"sets": 1, "reps": None, "weight": None, "unit": None, "rpe": None, "duration_s": None}
    fields.update(expected)
    turn = Turn(text=text, expected=Expected(exercise_ids=["X"], **fields), tags={"variant": variant})  # type: ignore[arg-type]
    return Session(id="t", default_unit="lb", turns=[turn])


def _said(kind: str, session: Session) -> str | None:
    changed = rephrase([session])[kind]
    return changed[0].turns[0].text if changed else None


def test_a_lift_becomes_its_verb_keeping_its_modifier() -> None:
    said = _said("lift_verb", _session("front squat 185 for 5", "front squat", reps=5, weight=185))
    assert said is not None and said.startswith("I front squatt") and said.endswith("185 for 5")
    assert _said("lift_verb", _session("leg curls 90 for 12", "leg curls", reps=12, weight=90)) is None


def test_minutes_and_seconds_say_the_same_hold() -> None:
    said = _said("mixed_duration", _session("plank for ninety seconds", "plank", duration_s=90))
    assert said is not None and said.startswith("plank for ") and "minute" in said and "thirty" in said
    assert _said("mixed_duration", _session("plank for forty seconds", "plank", duration_s=40)) is None


def test_rep_words_only_for_one_to_three_reps() -> None:
    assert _said("rep_word", _session("deadlift 405 for 2", "deadlift", reps=2, weight=405)) == (
        "deadlift 405 for a double"
    )
    assert _said("rep_word", _session("deadlift 405 for 5", "deadlift", reps=5, weight=405)) is None


def test_relative_loads_in_other_words() -> None:
    said = _said("relative_load", _session("add 10 pounds, 6 reps", None, reps=6))
    assert said is not None and "add" not in said and said.endswith("10 pounds, 6 reps")
