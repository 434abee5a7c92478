"""Loads written in pieces by speech-to-text, and effort said in words (sentences written for these tests)."""

from __future__ import annotations

import pytest

from matcher.parser import CONFIDENCE_THRESHOLD, Parser
from matcher.resolver import ExerciseMatcher


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


@pytest.mark.parametrize(
    ("text", "reps", "weight"),
    [
        ("leg press 300 and 60 for 12", 12, 360.0),
        ("pendlay row 6 reps at 150 five lbs", 6, 155.0),
        ("hack squat 10 reps with 270 five", 10, 275.0),
        ("split squats 9 reps at seven two point five kilos", 9, 72.5),
        ("front raise nine 2.5 kg x 8", 8, 92.5),
    ],
)
def test_a_load_said_in_pieces_is_one_load(parser: Parser, text: str, reps: int, weight: float) -> None:
    r = parser.parse(text, unit="lb")
    assert (r.parsed.reps, r.parsed.weight) == (reps, weight)
    assert any(n.startswith("split number joined") for n in r.trace.notes)


@pytest.mark.parametrize(
    ("text", "reps", "weight"),
    [
        ("bench 130 five reps", 5, 130.0),  # a count follows: two quantities
        ("squat 225 five", 5, 225.0),  # 225 is no tens-only load to complete
        ("curls 30 and 12", None, None),  # "and" joins only a round hundred
    ],
)
def test_pieces_that_are_two_quantities_stay_apart(
    parser: Parser, text: str, reps: int | None, weight: float | None
) -> None:
    r = parser.parse(text, unit="lb")
    assert not any(n.startswith("split number joined") for n in r.trace.notes)
    if reps is not None:
        assert (r.parsed.reps, r.parsed.weight) == (reps, weight)


@pytest.mark.parametrize(
    ("text", "rpe"),
    [
        ("incline press 70 for 10, effort eight", 8.0),
        ("incline press 70 for 10 nine-ish effort", 9.0),
        ("incline press 70 for 10, I'd rate it a seven", 7.0),
        ("incline press 70 for 10 effort of 8.5", 8.5),
    ],
)
def test_effort_in_words_is_rpe_never_a_load(parser: Parser, text: str, rpe: float) -> None:
    p = parser.parse(text, unit="lb").parsed
    assert (p.reps, p.weight, p.rpe) == (10, 70.0, rpe)


def test_reps_in_reserve_after_a_tens_load_split_off(parser: Parser) -> None:
    p = parser.parse("chest press 8 reps at seventy three in the tank", unit="lb").parsed
    assert (p.reps, p.weight, p.rpe) == (8, 70.0, 7.0)


@pytest.mark.parametrize(
    ("text", "reps", "weight"),
    [
        ("squats 3 15 for 5", 5, 315.0),  # whisper's "three fifteen" in digits, reps after "for"
        ("hack squat 200 five for 4", 4, 205.0),
    ],
)
def test_more_pieces_of_one_load(parser: Parser, text: str, reps: int, weight: float) -> None:
    p = parser.parse(text, unit="lb").parsed
    assert (p.reps, p.weight) == (reps, weight)


def test_a_digit_before_by_is_the_sets_not_the_load(parser: Parser) -> None:
    p = parser.parse("hack squat 250 3 by 6", unit="lb").parsed
    assert (p.weight, p.sets, p.reps) == (250.0, 3, 6)


@pytest.mark.parametrize(
    ("text", "reps", "weight"),
    [
        ("nine at eighty on the chest press", 9, 80.0),  # reps at load, the exercise after
        ("8 times 155 on incline bench", 8, 155.0),  # "times" either way: 155 reps is no set
        ("incline bench 155 times 8", 8, 155.0),
    ],
)
def test_number_roles_from_connectives(parser: Parser, text: str, reps: int, weight: float) -> None:
    p = parser.parse(text, unit="lb").parsed
    assert (p.reps, p.weight) == (reps, weight)


def test_a_verdict_on_the_set_is_not_a_number(parser: Parser) -> None:
    p = parser.parse("good mornings 95 for 10 that one was a struggle", unit="lb").parsed
    assert (p.reps, p.weight, p.rpe) == (10, 95.0, None)


def test_an_implausible_rep_count_on_a_loaded_lift_swaps_the_roles(parser: Parser) -> None:
    r = parser.parse("cable row 10 for 130", unit="lb")
    assert (r.parsed.reps, r.parsed.weight) == (10, 130.0)
    assert any(n.startswith("reps and load swapped") for n in r.trace.notes)
    said = parser.parse("cable row 130 reps at 10", unit="lb").parsed  # a count the lifter named stays
    assert (said.reps, said.weight) == (130, 10.0)


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("incline db press: 16 x 10", (1, 10, 16.0)),  # 16 sets in one breath is no set count
        ("squat 10 x 10 at 135", (10, 10, 135.0)),  # ten sets of ten is a scheme lifters do
    ],
)
def test_how_many_sets_one_breath_can_hold(parser: Parser, text: str, fields: tuple[int, int, float]) -> None:
    p = parser.parse(text, unit="lb").parsed
    assert (p.sets, p.reps, p.weight) == fields


@pytest.mark.parametrize("text", ["push press 7 kilos for 5", "bent over row 1 for 10", "deadlift 30 for 5"])
def test_a_load_below_what_the_equipment_weighs_is_asked_about(parser: Parser, text: str) -> None:
    r = parser.parse(text, unit="lb")
    assert r.parsed.confidence < CONFIDENCE_THRESHOLD
    assert any("below the lightest it can be" in n for n in r.trace.notes)


@pytest.mark.parametrize("text", ["squat 20 kg for 5", "preacher curl 15 kg for 10", "bench 45 for 20"])
def test_the_empty_bar_and_light_isolation_bars_are_plausible(parser: Parser, text: str) -> None:
    assert parser.parse(text, unit="lb").parsed.confidence >= CONFIDENCE_THRESHOLD


@pytest.mark.parametrize(
    ("text", "reps", "weight"),
    [
        ("trap bar deadlift for fifty five for a double", 2, 455.0),  # whisper's "for" for "four"
        ("hack squat for ninety four twelve", 12, 490.0),
        ("leg curls for twenty reps", 20, None),  # the count's own word: "for" stays "for"
        ("pull ups for twelve", 12, None),
    ],
)
def test_for_as_four_opens_a_load_only_when_the_reps_come_later(
    parser: Parser, text: str, reps: int, weight: float | None
) -> None:
    p = parser.parse(text, unit="lb", spoken=True).parsed
    assert (p.reps, p.weight) == (reps, weight)
