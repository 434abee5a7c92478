"""A word nobody could read among a transcript's numbers: a number that may not have been heard."""

from __future__ import annotations

from functools import lru_cache

from matcher.hearing import MISHEARD, beside_numbers, unheard_load
from matcher.parser import CONFIDENCE_THRESHOLD, UNHEARD_LOAD_NOTE, Parser
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


def test_words_standing_where_a_load_is_said_that_nothing_reads_are_the_load_unheard() -> None:
    name = {"walking", "lunges", "rope", "curls", "bar"}.__contains__
    assert unheard_load("walking lunges with the fog is", name) == ["fog", "is"]
    assert unheard_load("lunges holding a forwarding", name) == ["forwarding"]
    assert unheard_load("curls with the rope", name) == []  # the name's own word
    assert unheard_load("curls with the 30s", name) == []  # a number: read as the load elsewhere
    assert unheard_load("walking lunges", name) == []
    assert unheard_load("walking lunges with the", name) == []


def test_in_a_transcript_the_set_is_asked_about_for_its_weight() -> None:
    text = "walking lunges with the fog is for twelve"
    spoken = parser().parse(text, unit="lb", spoken=True)
    assert spoken.parsed.reps == 12 and spoken.parsed.weight is None
    assert spoken.parsed.confidence < CONFIDENCE_THRESHOLD
    assert any(n.startswith(UNHEARD_LOAD_NOTE) for n in spoken.trace.notes)
    said = parser().parse("hammer curls with the thirties for seven", unit="lb", spoken=True)
    assert (said.parsed.weight, said.parsed.reps) == (30, 7)
    assert not any(n.startswith(UNHEARD_LOAD_NOTE) for n in said.trace.notes)
    typed = parser().parse(text, unit="lb")
    assert not any(n.startswith(UNHEARD_LOAD_NOTE) for n in typed.trace.notes)
