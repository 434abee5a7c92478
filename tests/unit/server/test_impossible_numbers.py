from __future__ import annotations

import pytest

from server.impossible_numbers import impossible_number


@pytest.mark.parametrize(
    "text",
    [
        "bench 1e999 for 5",
        "squat 2.5E2 for 5",
        "deadlift -5 for -3",
        "squat 225 for -5",
        "plank for 1e10 minutes",
        "bench 100 for 5 rpe 9.75",
        "bench 100 for 5 at rpe 11",
        "bench 100 for 5 @rpe 0.5",
        "squat " + "9" * 400 + " for 8",
        "curls 1234567 for 8",
    ],
)
def test_numbers_no_set_holds_are_caught(text: str) -> None:
    question = impossible_number(text)
    assert question is not None and question.endswith("?")


@pytest.mark.parametrize(
    "text",
    [
        "bench 225 for 5 at rpe 8.5",
        "t-bar row 90 for 10",
        "3 sets - 5 reps of squats at 225",
        "lat pulldown 8-10 reps at 120",
        "bench 101.25 kg for 3",
        "plank for 90 seconds",
        "squat 3x5 at 315, rpe 10",
        "deadlift 405 for 1 rpe 1",
        "hold for 86400 seconds",
        "x-men curls 25 for 12",
    ],
)
def test_ordinary_sets_pass(text: str) -> None:
    assert impossible_number(text) is None
