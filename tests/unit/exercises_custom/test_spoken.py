"""Only an explicit command makes a custom exercise by voice; a set said with a number never does."""

from __future__ import annotations

import pytest

from server.exercises_custom.spoken import read_new_exercise


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Create a new exercise called Landmine Jammer Press", "Landmine Jammer Press"),
        ("new exercise: landmine jammer press", "landmine jammer press"),
        ("create exercise 'Sled Drag'.", "Sled Drag"),
        ("please add a custom exercise named Hatfield squat!", "Hatfield squat"),
    ],
)
def test_the_command_gives_the_name(text: str, name: str) -> None:
    assert read_new_exercise(text) == name


@pytest.mark.parametrize(
    "text",
    ["add exercise bench press 100 for 5", "add ten pounds", "make that six", "exercise bike 20 minutes", ""],
)
def test_other_words_are_no_command(text: str) -> None:
    assert read_new_exercise(text) is None
