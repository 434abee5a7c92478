"""Confidence is honest: high when the parse is right, low when it is likely wrong."""

from __future__ import annotations

import random

import pytest

from matcher.confidence import EXERCISE_SURE, EXERCISE_UNSURE, exercise_certainty, grammar_certainty
from matcher.parser import CONFIDENCE_THRESHOLD, LOST_LOAD_NOTE, Parser
from matcher.resolver import ExerciseMatcher


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


def test_exercise_certainty_rises_with_the_score() -> None:
    scores = [0.1, 0.3, EXERCISE_UNSURE, 0.5, 0.55, EXERCISE_SURE, 0.9, 1.0]
    certs = [exercise_certainty(s) for s in scores]
    assert certs == sorted(certs)
    assert exercise_certainty(0.3) < 0.5 <= exercise_certainty(EXERCISE_UNSURE)
    assert exercise_certainty(1.0) == 1.0


def test_a_near_tie_lowers_exercise_certainty() -> None:
    assert exercise_certainty(0.9, runner_up=0.88) < exercise_certainty(0.9, runner_up=0.5)


def test_each_unsettled_thing_costs_grammar_certainty() -> None:
    base = dict(guesses=0, soft_guesses=0, leftover=0, has_count=True, logging=True)
    clean = grammar_certainty(**base)  # type: ignore[arg-type]
    assert clean == 1.0
    for change in (
        {"guesses": 1},
        {"soft_guesses": 1},
        {"leftover": 1},
        {"has_count": False},
        {"unmatched_name": True},
    ):
        assert grammar_certainty(**(base | change)) < clean, change  # type: ignore[arg-type]
    assert grammar_certainty(**(base | {"guesses": 2})) < grammar_certainty(**(base | {"guesses": 1}))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "leg curl 90 for 12",
        "five sets of five back squat at 275 lb",
        "chest supported row, 10 reps, 70, rpe 7",
    ],
)
def test_clear_sentences_are_confident(parser: Parser, text: str) -> None:
    assert parser.parse(text, unit="lb").parsed.confidence >= CONFIDENCE_THRESHOLD


@pytest.mark.parametrize(
    "text",
    [
        "xqzv plorp 90 for 12",  # names nothing we know
        "add ten pounds",  # a change with nothing to change
        "same again",  # a repeat of nothing
        "leg curl",  # no reps, no time
    ],
)
def test_unsure_sentences_fall_below_the_threshold(parser: Parser, text: str) -> None:
    assert parser.parse(text, unit="lb").parsed.confidence < CONFIDENCE_THRESHOLD


def test_guessing_costs_confidence(parser: Parser) -> None:
    sure = parser.parse("leg curl 90 for 12", unit="lb").parsed.confidence
    guessed = parser.parse("leg curl 12", unit="lb").parsed.confidence  # reps? weight?
    leftover = parser.parse("leg curl 90 for 12 purple monkey", unit="lb").parsed.confidence
    assert guessed < sure and leftover < sure


_NAMES = [
    ("seated cable row", {"Seated_Cable_Rows"}),
    ("hammer curl", {"Hammer_Curls"}),
    ("front squat", {"Front_Barbell_Squat"}),
    ("lat pulldown", {"Wide-Grip_Lat_Pulldown", "Close-Grip_Front_Lat_Pulldown"}),
    ("leg extension", {"Leg_Extensions"}),
    ("romanian deadlift", {"Romanian_Deadlift"}),
    ("incline dumbbell press", {"Incline_Dumbbell_Press"}),
    ("skull crusher", {"EZ-Bar_Skullcrusher", "Lying_Triceps_Press"}),
    ("seated calf raise", {"Seated_Calf_Raise"}),
    ("goblet squat", {"Goblet_Squat"}),
    ("face pull", {"Face_Pull"}),
    ("hip thrust", {"Barbell_Hip_Thrust"}),
]


def _garble(name: str, rng: random.Random) -> str:
    chars = list(name)
    for _ in range(rng.choice((1, 2, 3, 5))):
        k = rng.randrange(len(chars))
        chars[k] = rng.choice("abcdefghijklmnopqrstuvwxyz")
    return "".join(chars)


def test_confidence_separates_right_from_wrong_on_garbled_names(parser: Parser) -> None:
    rng = random.Random(2024)
    above: list[bool] = []
    below: list[bool] = []
    for _ in range(160):
        name, ids = rng.choice(_NAMES)
        r = parser.parse(f"{_garble(name, rng)} 80 for 10", unit="lb").parsed
        right = r.exercise is not None and r.exercise.id in ids
        (above if r.confidence >= CONFIDENCE_THRESHOLD else below).append(right)
    assert above and below
    assert sum(above) / len(above) >= 0.9
    assert sum(below) / len(below) <= 0.5


@pytest.mark.parametrize(
    "text", ["lat thing 120 for 10", "that chest machine thing 90 for 12", "leg stuff 200 for 8"]
)
def test_vague_names_are_unsure(parser: Parser, text: str) -> None:
    assert parser.parse(text, unit="lb").parsed.confidence < CONFIDENCE_THRESHOLD


def test_name_coverage_counts_words_the_pick_does_not_explain() -> None:
    from matcher.coverage import NameCoverage

    vocab = {
        "Side_Lateral_Raise": frozenset({"side", "lateral", "raise"}),
        "Calf_Raise": frozenset({"calf", "raise"}),
    }
    cov = NameCoverage(
        vocab, lambda p: tuple(p.split()), lambda toks: "Calf_Raise" if toks == ("cr",) else None
    )
    assert cov.unexplained("lateral raise", "Side_Lateral_Raise") == 0.0
    assert cov.unexplained("latteral raise", "Side_Lateral_Raise") == 0.0  # a misspelling still counts
    assert cov.unexplained("zzzz raise", "Side_Lateral_Raise") == 0.5
    assert cov.unexplained("calf raise", "Side_Lateral_Raise") == 0.5
    assert cov.unexplained("cr", "Calf_Raise") == 0.0  # an alias of the pick explains itself
    assert cov.unexplained("cr", "Side_Lateral_Raise") == 1.0
    # a sound-alike is explained even when spelt far apart (whisper writes "zoom" for "sumo")
    sumo = NameCoverage(
        {"Sumo_Deadlift": frozenset({"sumo", "deadlift"})}, lambda p: tuple(p.split()), lambda t: None
    )
    assert sumo.unexplained("zoom deadlift", "Sumo_Deadlift") == 0.0
    assert sumo.unexplained("zebra deadlift", "Sumo_Deadlift") == 0.5


def test_an_intruding_word_lowers_confidence(parser: Parser) -> None:
    clean = parser.parse("seated calf raise 90 for 15", unit="lb").parsed
    mixed = parser.parse("seated calf raise pulldown 90 for 15", unit="lb").parsed
    assert mixed.confidence < clean.confidence


@pytest.mark.parametrize(
    "text",
    ["lying leg curl kilos 11 reps", "lying leg curl forte I'm kilos 11 reps", "bench press pounds for 8"],
)
def test_a_unit_with_no_load_means_the_load_was_lost(parser: Parser, text: str) -> None:
    result = parser.parse(text, unit="kg")
    assert result.parsed.exercise is not None and result.parsed.weight is None
    assert result.parsed.confidence < CONFIDENCE_THRESHOLD
    assert LOST_LOAD_NOTE in result.trace.notes
    # the unit word is no part of the exercise name
    assert result.trace.exercise_phrase is not None and "kilos" not in result.trace.exercise_phrase.split()


def test_a_unit_with_its_load_is_not_lost(parser: Parser) -> None:
    result = parser.parse("lying leg curl forty five kilos 11 reps", unit="lb")
    assert (result.parsed.weight, result.parsed.unit) == (45.0, "kg")
    assert LOST_LOAD_NOTE not in result.trace.notes
