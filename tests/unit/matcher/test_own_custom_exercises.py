"""A lifter's custom exercises reach the reader as their own phrases (name and aliases), with their names:
matched ahead of the catalog for that lifter, and for no one else."""

from __future__ import annotations

import pytest

from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher

OWN = {"zercher box squat": "custom-1", "zbs": "custom-1", "my funky press": "custom-2"}
NAMES = {"custom-1": "Zercher Box Squat", "custom-2": "My Funky Press"}


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


@pytest.mark.parametrize(
    ("text", "exercise", "reps", "weight"),
    [
        ("zercher box squat 100 kg for 5", "custom-1", 5, 100.0),
        ("zercher box squats, 90 kilos, 6 reps", "custom-1", 6, 90.0),
        ("zbs 100 for 5", "custom-1", 5, 100.0),
        ("3 sets of 8 of my funky press at 50", "custom-2", 8, 50.0),
    ],
)
def test_a_custom_exercise_is_read_by_its_name_or_alias(
    parser: Parser, text: str, exercise: str, reps: int, weight: float
) -> None:
    parsed = parser.parse(text, unit="kg", own=OWN, own_names=NAMES).parsed
    assert parsed.exercise is not None and parsed.exercise.id == exercise
    assert parsed.exercise.name == NAMES[exercise]
    assert (parsed.reps, parsed.weight) == (reps, weight)
    assert parsed.confidence >= 0.9


def test_without_the_lifters_phrases_the_catalog_reads_it(parser: Parser) -> None:
    parsed = parser.parse("my funky press 40 for 12", unit="kg").parsed
    assert parsed.exercise is None or not parsed.exercise.id.startswith("custom-")


def test_a_phrase_of_an_exercise_neither_catalog_nor_names_know_is_ignored(parser: Parser) -> None:
    parsed = parser.parse("zbs 100 for 5", unit="kg", own={"zbs": "custom-9"}, own_names={}).parsed
    assert parsed.exercise is None or parsed.exercise.id != "custom-9"


def test_catalog_names_still_read_as_the_catalog(parser: Parser) -> None:
    parsed = parser.parse("bench press 100 for 5", unit="kg", own=OWN, own_names=NAMES).parsed
    assert parsed.exercise is not None and parsed.exercise.id == "Barbell_Bench_Press_-_Medium_Grip"


@pytest.mark.parametrize("text", ["my funky pres 40 for 12", "my funkey press 40 for 12"])
def test_a_custom_exercise_said_a_little_off_is_matched_by_likeness(parser: Parser, text: str) -> None:
    result = parser.parse(text, unit="kg", own=OWN, own_names=NAMES)
    assert result.parsed.exercise is not None and result.parsed.exercise.id == "custom-2"
    assert (result.parsed.reps, result.parsed.weight) == (12, 40.0)


@pytest.mark.parametrize(
    ("text", "catalog_id"), [("box squat 100 for 5", "Box_Squat"), ("hack squat 100 for 5", "Hack_Squat")]
)
def test_likeness_never_takes_a_catalog_name_the_lifter_said_well(
    parser: Parser, text: str, catalog_id: str
) -> None:
    parsed = parser.parse(text, unit="kg", own=OWN, own_names=NAMES).parsed
    assert parsed.exercise is not None and parsed.exercise.id == catalog_id


def test_likeness_is_only_for_custom_exercises_not_learned_aliases(parser: Parser) -> None:
    # "skull busters" learned for a catalog exercise: a phrase only like it is read by the catalog
    own = {"skull busters": "Lying_Triceps_Press"}
    parsed = parser.parse("skull bursters 60 for 10", unit="kg", own=own, own_names={}).parsed
    assert parsed.exercise is not None and parsed.exercise.id == "EZ-Bar_Skullcrusher"
    # the same phrase, were it a custom exercise's, is matched by likeness
    mine = parser.parse(
        "skull bursters 60 for 10", unit="kg", own=own, own_names={"Lying_Triceps_Press": "x"}
    )
    assert mine.parsed.exercise is not None and mine.parsed.exercise.id == "Lying_Triceps_Press"
