"""A word nobody could read among a transcript's numbers: a number that may not have been heard."""

from __future__ import annotations

from functools import lru_cache

from matcher.hearing import MISHEARD, beside_numbers
from matcher.parser import CONFIDENCE_THRESHOLD, Parser
from matcher.resolver import ExerciseMatcher


@lru_cache(maxsize=1)
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


def test_words_beside_numbers_units_or_by_are_found() -> None:
    assert beside_numbers("bench two thirty high for four", ["high"]) == ["high"]
    assert beside_numbers("squat 200 pounds high by ten", ["high"]) == ["high"]
    assert beside_numbers("squat 200 lb blah by ten", ["blah"]) == ["blah"]


def test_talk_after_a_pause_or_away_from_numbers_is_not() -> None:
    assert beside_numbers("row 130 for ten, queen at the top", ["queen", "top"]) == []
    assert beside_numbers("great set of squats 225 for 5", ["great"]) == []
    assert beside_numbers("bench 225 for 5", []) == []


def test_in_a_transcript_such_a_word_is_asked_about() -> None:
    spoken = parser().parse("bench two thirty high for four", unit="lb", spoken=True)
    assert spoken.parsed.confidence < CONFIDENCE_THRESHOLD
    assert any(n.startswith(MISHEARD) for n in spoken.trace.notes)


def test_typed_the_same_words_are_not_treated_as_the_ear() -> None:
    typed = parser().parse("bench two thirty high for four", unit="lb")
    assert not any(n.startswith(MISHEARD) for n in typed.trace.notes)
