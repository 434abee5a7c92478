"""Which spoken questions are about the lifter's own training numbers, and the exercise words left."""

from __future__ import annotations

import pytest

from server.training.voice import training_intent


@pytest.mark.parametrize(
    ("text", "intent", "phrase"),
    [
        ("what's my bench PR", "pr", "bench"),
        ("What is my personal record on barbell squat?", "pr", "barbell squat"),
        ("what did I do last time on squats", "last_time", "squats"),
        ("what should I hit next", "next", ""),
        ("what should I do next on the incline bench?", "next", "incline bench"),
        ("whats my deadlift max", "pr", "deadlift"),
    ],
)
def test_training_questions(text: str, intent: str, phrase: str) -> None:
    assert training_intent(text) == (intent, phrase)


@pytest.mark.parametrize(
    "text", ["bench 225 for 5", "how do I stop my knees caving on squats?", "same again", "next set 5 reps"]
)
def test_not_training_questions(text: str) -> None:
    assert training_intent(text) is None
