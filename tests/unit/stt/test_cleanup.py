"""Whisper's written-English habits are undone before the grammar reads the transcript."""

from __future__ import annotations

import pytest

from server.stt.cleanup import tidy_transcript


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("Deadlift £315 for 3", "Deadlift 315 pounds for 3"),
        # pounds was said once: later signs are stray
        ("Rows £70 for £12", "Rows 70 pounds for 12"),
        ("£8 reps at £135", "8 reps at 135 pounds"),
        ("Press £95 pounds for 6", "Press 95 pounds for 6"),
        ("Squat £1,100 once", "Squat 1100 pounds once"),
        ("Curls £ for ten", "Curls for ten"),
        ("Hold it £", "Hold it"),
        ("Lunges win the twenties", "Lunges with the twenties"),
        ("Win the kettlebell, 15", "With the kettlebell, 15"),
        ("pallof press wind 70 pounds", "pallof press with 70 pounds"),
        ("walk wind the fifties", "walk with the fifties"),
        ("pallof press wind seventy pounds", "pallof press with seventy pounds"),
        ("neck set three sets of one sumo", "next set three sets of one sumo"),
        ("Neck set, 225 for 5", "Next set, 225 for 5"),
    ],
)
def test_whisper_spelling_is_undone(heard: str, meant: str) -> None:
    assert tidy_transcript(heard) == meant


@pytest.mark.parametrize(
    "text",
    [
        "bench 225 for 5",
        "winter squat",
        "Go win the set",
        "leg press four hundred for ten at RPE 8",
        "wind sprints for 30 seconds",
        "neck bridge for 30 seconds",
    ],
)
def test_ordinary_transcripts_pass_unchanged_except_win_the(text: str) -> None:
    expected = text.replace("win the", "with the")
    assert tidy_transcript(text) == expected
