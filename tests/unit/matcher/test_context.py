"""The previous set as context: repeats, relative changes, continuing, and starting fresh."""

from __future__ import annotations

import pytest

from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher
from models.parsed import ExerciseRef, ParsedSet

ROW = ExerciseRef(id="Bent_Over_Barbell_Row", name="Bent Over Barbell Row")


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


def prev(**kw: object) -> ParsedSet:
    base: dict[str, object] = dict(
        intent="log_set", exercise=ROW, sets=3, reps=8, weight=155.0, unit="lb", rpe=8.5, confidence=0.97
    )
    base.update(kw)
    return ParsedSet(**base)  # type: ignore[arg-type]


def fields(p: ParsedSet) -> tuple[object, ...]:
    return (p.exercise.id if p.exercise else None, p.sets, p.reps, p.weight, p.unit, p.rpe, p.duration_s)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("same again", (ROW.id, 1, 8, 155, "lb", None, None)),
        ("same again at rpe 9", (ROW.id, 1, 8, 155, "lb", 9, None)),
        ("one more", (ROW.id, 1, 8, 155, "lb", None, None)),
        ("another set of ten", (ROW.id, 1, 10, 155, "lb", None, None)),
        ("another set", (ROW.id, 1, 8, 155, "lb", None, None)),
        ("three more sets of six", (ROW.id, 3, 6, 155, "lb", None, None)),
        ("add fifteen pounds, five reps", (ROW.id, 1, 5, 170, "lb", None, None)),
        ("add 5", (ROW.id, 1, 8, 160, "lb", None, None)),
        ("drop to 135 for twelve", (ROW.id, 1, 12, 135, "lb", None, None)),
        ("down to one thirty five for 12", (ROW.id, 1, 12, 135, "lb", None, None)),
        ("drop twenty pounds", (ROW.id, 1, 8, 135, "lb", None, None)),
        ("same weight for 7, two in reserve", (ROW.id, 1, 7, 155, "lb", 8, None)),
        ("9 reps", (ROW.id, 1, 9, 155, "lb", None, None)),
        ("165 for 6", (ROW.id, 1, 6, 165, "lb", None, None)),
    ],
)
def test_follow_ups_resolve_against_the_previous_set(parser: Parser, text: str, expected: tuple) -> None:
    r = parser.parse(text, unit="lb", previous=prev())
    assert r.parsed.intent == "log_set"
    assert fields(r.parsed) == expected
    assert r.parsed.confidence >= 0.6


def test_kilo_sets_keep_their_unit(parser: Parser) -> None:
    r = parser.parse("add 2.5 kilos", unit="lb", previous=prev(weight=60.0, unit="kg"))
    assert (r.parsed.weight, r.parsed.unit) == (62.5, "kg")
    r = parser.parse("drop to 50 for 10", unit="lb", previous=prev(weight=60.0, unit="kg"))
    assert (r.parsed.weight, r.parsed.unit, r.parsed.reps) == (50, "kg", 10)


def test_a_new_exercise_starts_fresh(parser: Parser) -> None:
    r = parser.parse("next, face pulls for 15", unit="kg", previous=prev())
    p = r.parsed
    assert p.exercise is not None and p.exercise.id != ROW.id
    assert (p.sets, p.reps, p.weight, p.unit, p.rpe) == (1, 15, None, None, None)


def test_rpe_is_never_carried_and_sets_reset(parser: Parser) -> None:
    p = parser.parse("10 reps", unit="lb", previous=prev()).parsed
    assert (p.sets, p.rpe) == (1, None)


def test_hold_continues_as_a_hold(parser: Parser) -> None:
    plank = prev(
        exercise=ExerciseRef(id="Plank", name="Plank"),
        sets=1,
        reps=None,
        weight=None,
        unit=None,
        rpe=None,
        duration_s=45,
    )
    p = parser.parse("same again", unit="lb", previous=plank).parsed
    assert (p.exercise.id if p.exercise else None, p.reps, p.duration_s) == ("Plank", None, 45)
    p = parser.parse("another one for 70 seconds", unit="lb", previous=plank).parsed
    assert (p.reps, p.duration_s) == (None, 70)


def test_follow_up_without_a_previous_set_is_unsure(parser: Parser) -> None:
    p = parser.parse("same again", unit="lb", previous=None).parsed
    assert p.exercise is None
    assert p.confidence < 0.6
    p = parser.parse("add ten pounds", unit="lb", previous=None).parsed
    assert p.confidence < 0.6


def test_trace_lists_only_the_stated_fields(parser: Parser) -> None:
    r = parser.parse("another set of ten", unit="lb", previous=prev())
    assert set(r.trace.fields) == {"sets", "reps"}
    assert r.trace.rule.startswith("continue")


def test_new_exercise_with_same_weight_carries_the_load(parser: Parser) -> None:
    p = parser.parse("front squat, same weight for 6", unit="kg", previous=prev()).parsed
    assert p.exercise is not None and p.exercise.id != ROW.id
    assert (p.weight, p.unit, p.reps, p.sets, p.rpe) == (155, "lb", 6, 1, None)


@pytest.mark.parametrize("text", ["same thing", "ditto", "repeat that", "same as before but 9 reps"])
def test_other_ways_to_repeat(parser: Parser, text: str) -> None:
    p = parser.parse(text, unit="lb", previous=prev()).parsed
    assert (p.exercise, p.weight, p.sets, p.rpe) == (ROW, 155, 1, None)
    assert p.reps == (9 if "9" in text else 8)


@pytest.mark.parametrize("text", ["actually that was kilos", "no, kilos", "make that pounds"])
def test_a_unit_alone_corrects_the_unit(parser: Parser, text: str) -> None:
    unit = "lb" if "pounds" in text else "kg"
    before = prev(weight=100.0, unit="kg" if unit == "lb" else "lb", reps=5)
    result = parser.parse(text, unit="lb", previous=before)
    p = result.parsed
    assert p.intent == "correction"
    assert (p.weight, p.unit, p.reps) == (100.0, unit, 5)
    assert p.exercise == before.exercise
    assert result.trace.fields == ["unit"]
    assert p.confidence >= 0.9
