"""Units and loads: spoken unit vs default, plates, per-hand dumbbells, kettlebells, bodyweight."""

from __future__ import annotations

import pytest

from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher
from matcher.units import plates_to_lb, resolve_unit
from models.parsed import ParsedSet


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


def test_plates_are_45s_per_side_on_a_45_bar() -> None:
    assert [plates_to_lb(n) for n in (1, 2, 3, 4)] == [135, 225, 315, 405]


def test_unit_only_with_a_weight_and_spoken_unit_wins() -> None:
    assert resolve_unit(None, "kg", "lb") is None
    assert resolve_unit(100.0, None, "lb") == "lb"
    assert resolve_unit(100.0, "kg", "lb") == "kg"


def _p(parser: Parser, text: str, unit: str = "lb") -> ParsedSet:
    return parser.parse(text, unit=unit).parsed


@pytest.mark.parametrize(
    ("text", "default", "weight", "unit"),
    [
        ("front squat 80 kilograms for 4", "lb", 80, "kg"),
        ("front squat 80 kgs for 4", "lb", 80, "kg"),
        ("front squat 180 lbs for 4", "kg", 180, "lb"),
        ("front squat one eighty pounds for 4", "kg", 180, "lb"),
        ("front squat 180lb for 4", "kg", 180, "lb"),
        ("front squat 80 for 4", "kg", 80, "kg"),
        ("front squat 180 for 4", "lb", 180, "lb"),
    ],
)
def test_spoken_unit_wins_else_default(
    parser: Parser, text: str, default: str, weight: float, unit: str
) -> None:
    p = _p(parser, text, default)
    assert (p.weight, p.unit, p.reps) == (weight, unit, 4)


def test_no_weight_means_no_unit(parser: Parser) -> None:
    p = _p(parser, "twelve chin ups", "kg")
    assert (p.weight, p.unit, p.reps) == (None, None, 12)


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("incline press with the sixty fives for 9", 65),
        ("incline press with the 65s for 9", 65),
        ("incline press with the 65's for 9", 65),
        ("incline press with the forties for 9", 40),
        ("incline press 9 reps with 65 pound dumbbells", 65),
    ],
)
def test_dumbbells_are_per_hand(parser: Parser, text: str, weight: float) -> None:
    p = _p(parser, text)
    assert (p.weight, p.unit, p.reps) == (weight, "lb", 9)
    assert p.exercise is not None and "Dumbbell" in p.exercise.id


@pytest.mark.parametrize(
    "text",
    [
        "goblet squat with the 32 kilo for 6",
        "goblet squat 32 kg kettlebell for 6",
        "goblet squat with the 32 kg for 6",
    ],
)
def test_kettlebell_weight_is_the_bell(parser: Parser, text: str) -> None:
    p = _p(parser, text)
    assert (p.weight, p.unit, p.reps) == (32, "kg", 6)


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("squat a plate for 8", 135),
        ("squat one plate for 8", 135),
        ("squat two plates for 8", 225),
        ("squat three plates for 8", 315),
        ("squat four plates for 8", 405),
    ],
)
def test_plates_on_a_barbell_are_pounds(parser: Parser, text: str, weight: float) -> None:
    p = _p(parser, text, "kg")  # plates are counted in pounds whatever the default
    assert (p.weight, p.unit, p.reps) == (weight, "lb", 8)


@pytest.mark.parametrize(
    ("text", "weight", "reps"),
    [
        ("chin ups plus thirty five for 6", 35, 6),
        ("chin ups with a 45 pound plate for 6", 45, 6),
        ("6 chin ups with a 45 pound plate", 45, 6),
        ("7 chin ups", None, 7),
    ],
)
def test_bodyweight_and_added_load(parser: Parser, text: str, weight: float | None, reps: int) -> None:
    p = _p(parser, text)
    assert (p.weight, p.reps) == (weight, reps)
    assert p.unit == ("lb" if weight is not None else None)


@pytest.mark.parametrize(
    ("text", "weight", "unit"),
    [
        ("squat one thirty k g for five", 130, "kg"),
        ("deadlift one ninety kay gee for two", 190, "kg"),
        ("bench two oh five l b s for five", 205, "lb"),
        ("bench ninety kilo grams for five", 90, "kg"),
    ],
)
def test_units_spelled_out_by_speech_to_text(parser: Parser, text: str, weight: float, unit: str) -> None:
    p = parser.parse(text, unit="lb" if unit == "kg" else "kg").parsed
    assert p.exercise is not None and (p.weight, p.unit) == (weight, unit)


def test_whispers_drawn_out_kilos_is_a_unit(parser: Parser) -> None:
    parsed = parser.parse("lying leg curl sixty keelos for ten", unit="lb").parsed
    assert (parsed.weight, parsed.unit, parsed.reps) == (60.0, "kg", 10)
