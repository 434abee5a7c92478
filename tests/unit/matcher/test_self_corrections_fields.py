"""Self-corrections of whichever field they correct: the last word stands.

The sentences are written for these tests."""

from __future__ import annotations

import pytest

from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("step ups 20 kilos, sorry, pounds, for 10", (1, 10, 20.0, "lb")),
        ("step ups 20 pounds for 10, no wait, kilos", (1, 10, 20.0, "kg")),
        ("cable curl five sets, no, four sets of twelve at 40", (4, 12, 40.0, "lb")),
        ("cable curl 2 sets, actually 3 sets of 12 at 40", (3, 12, 40.0, "lb")),
        ("cable curl 45 for 12, I meant 50", (1, 12, 50.0, "lb")),  # a load corrects the load
        ("front squat 185 for 5, no, 3", (1, 3, 185.0, "lb")),  # a count corrects the count
        ("lateral raise 10 kg for 8, no, 10", (1, 10, 10.0, "kg")),  # near both: the last one said
        ("t bar row 90 for 10 or rather 8", (1, 8, 90.0, "lb")),
    ],
)
def test_the_correction_replaces_the_field_it_corrects(
    parser: Parser, text: str, fields: tuple[int, int, float, str]
) -> None:
    p = parser.parse(text, unit="lb").parsed
    assert (p.sets, p.reps, p.weight, p.unit) == fields


@pytest.mark.parametrize(
    ("text", "reps", "weight"),
    [("bump it fifteen and hit six", 6, 150.0), ("drop that by twenty, eight reps", 8, 115.0)],
)
def test_a_change_of_the_load_on_the_bar_said_with_a_pronoun(
    parser: Parser, text: str, reps: int, weight: float
) -> None:
    previous = parser.parse("pendlay row 135 for 5", unit="lb").parsed
    p = parser.parse(text, unit="lb", previous=previous).parsed
    assert p.exercise == previous.exercise
    assert (p.reps, p.weight) == (reps, weight)
