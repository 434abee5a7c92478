"""Intents: log_set, correction (merged with the previous set), undo, and chatter as unknown."""

from __future__ import annotations

import pytest

from matcher.intents import split_intent
from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher
from models.parsed import ExerciseRef, ParsedSet

OHP = ExerciseRef(id="Standing_Military_Press", name="Standing Military Press")


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


def prev() -> ParsedSet:
    return ParsedSet(
        intent="log_set", exercise=OHP, sets=1, reps=5, weight=115.0, unit="lb", rpe=None, confidence=0.98
    )


@pytest.mark.parametrize(
    "text",
    [
        "scratch that",
        "Scratch that.",
        "undo",
        "undo that",
        "delete that",
        "delete the last set",
        "remove that",
        "never mind",
        "cancel that",
        "uh, scratch that",
    ],
)
def test_undo(parser: Parser, text: str) -> None:
    r = parser.parse(text, unit="lb", previous=prev())
    assert r.parsed.intent == "undo"
    assert r.parsed.confidence >= 0.6


@pytest.mark.parametrize(
    "text",
    [
        "that was brutal",
        "ugh",
        "okay",
        "what's next on the program",
        "my elbow is sore",
        "hold on a second",
        "",
    ],
)
def test_chatter_is_unknown(parser: Parser, text: str) -> None:
    r = parser.parse(text, unit="lb", previous=prev())
    assert r.parsed.intent == "unknown"
    assert r.parsed.exercise is None


def test_correction_of_reps_keeps_the_rest(parser: Parser) -> None:
    r = parser.parse("make that seven reps", unit="lb", previous=prev())
    p = r.parsed
    assert p.intent == "correction"
    assert (p.exercise, p.reps, p.weight, p.unit) == (OHP, 7, 115, "lb")
    assert r.trace.fields == ["reps"]


def test_correction_of_weight(parser: Parser) -> None:
    r = parser.parse("no, it was 125", unit="lb", previous=prev())
    assert (r.parsed.intent, r.parsed.weight, r.parsed.reps) == ("correction", 125, 5)
    assert r.trace.fields == ["weight"]


def test_bare_number_in_a_correction_goes_to_the_nearer_field(parser: Parser) -> None:
    r = parser.parse("actually it was 6", unit="lb", previous=prev())
    assert (r.parsed.reps, r.parsed.weight) == (6, 115)
    r = parser.parse("actually it was 105", unit="lb", previous=prev())
    assert (r.parsed.reps, r.parsed.weight) == (5, 105)


def test_correction_of_the_exercise(parser: Parser) -> None:
    r = parser.parse("no, push press", unit="lb", previous=prev())
    p = r.parsed
    assert p.intent == "correction"
    assert p.exercise is not None and p.exercise.id != OHP.id and "Push_Press" in p.exercise.id
    assert (p.reps, p.weight) == (5, 115)
    assert r.trace.fields == ["exercise"]


def test_correction_of_unit(parser: Parser) -> None:
    r = parser.parse("no, 115 kilos", unit="lb", previous=prev())
    assert (r.parsed.weight, r.parsed.unit) == (115, "kg")
    assert r.trace.fields == ["unit"]


def test_in_utterance_self_correction_is_a_log(parser: Parser) -> None:
    r = parser.parse("push press, scratch that, strict press 115 for 5", unit="lb", previous=None)
    assert r.parsed.intent == "log_set"
    assert (r.parsed.weight, r.parsed.reps) == (115, 5)
    assert r.trace.exercise_phrase == "strict press"


def test_split_intent_strips_the_correction_words() -> None:
    assert split_intent("make it 8 reps") == ("correction", "8 reps")
    assert split_intent("no, incline") == ("correction", "incline")
    assert split_intent("scratch that") == ("undo", "")
    assert split_intent("bench 200 for 3") == ("", "bench 200 for 3")


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("change the weight to 120", "weight", 120),
        ("the reps were 4", "reps", 4),
        ("set the rpe to 9", "rpe", 9),
        ("make the sets 3", "sets", 3),
    ],
)
def test_a_named_field_takes_the_bare_number(parser: Parser, text: str, field: str, value: float) -> None:
    r = parser.parse(text, unit="lb", previous=prev())
    assert r.parsed.intent == "correction"
    assert getattr(r.parsed, field) == value
    assert r.trace.fields == [field]


@pytest.mark.parametrize(
    "text", ["delete last set", "remove the previous one", "don't log that", "take it back"]
)
def test_more_ways_to_undo(parser: Parser, text: str) -> None:
    assert parser.parse(text, unit="lb", previous=prev()).parsed.intent == "undo"


def test_follow_up_verbs_are_not_undo(parser: Parser) -> None:
    r = parser.parse("drop to 95 for 8", unit="lb", previous=prev())
    assert (r.parsed.intent, r.parsed.weight, r.parsed.reps) == ("log_set", 95, 8)


def test_a_correction_with_nothing_to_correct_is_unsure(parser: Parser) -> None:
    with_prev = parser.parse("make that seven reps", unit="lb", previous=prev()).parsed
    without = parser.parse("make that seven reps", unit="lb", previous=None).parsed
    assert without.intent == "correction"
    assert without.confidence < with_prev.confidence
    assert without.confidence < 0.6
