from __future__ import annotations

import pytest

from matcher.resolver import ExerciseMatcher
from matcher.split_words import rejoin_split_words


@pytest.fixture(scope="module")
def matcher() -> ExerciseMatcher:
    return ExerciseMatcher.from_fixtures()


def _rejoin(m: ExerciseMatcher, *tokens: str) -> tuple[str, ...]:
    return rejoin_split_words(tokens, m._fuzzy.known, m._phonetic.sound_alikes)


def test_a_split_sound_alike_is_joined_back(matcher: ExerciseMatcher) -> None:
    assert _rejoin(matcher, "pel", "off", "press") == ("pallof", "press")
    assert _rejoin(matcher, "zot", "man", "curl") == ("zottman", "curl")


def test_a_split_catalog_word_is_joined_back(matcher: ExerciseMatcher) -> None:
    assert _rejoin(matcher, "zott", "man", "curl") == ("zottman", "curl")


def test_two_known_words_are_a_phrase_not_a_split(matcher: ExerciseMatcher) -> None:
    assert _rejoin(matcher, "bent", "over", "row") == ("bent", "over", "row")
    assert _rejoin(matcher, "cable", "row") == ("cable", "row")


def test_nothing_close_leaves_the_words_alone(matcher: ExerciseMatcher) -> None:
    assert _rejoin(matcher, "event", "works") == ("event", "works")
    assert _rejoin(matcher, "135", "pounds") == ("135", "pounds")


def test_the_matcher_reads_a_split_name(matcher: ExerciseMatcher) -> None:
    hit = matcher.match("pel off press")
    assert hit.exercise is not None and hit.exercise.id == "Pallof_Press"
    assert hit.score >= 0.9


def test_an_unknown_word_sounding_like_an_alias_reads_as_it_less_surely(matcher: ExerciseMatcher) -> None:
    heard = matcher.match("zoom")  # whisper's "zoom" for "sumo"
    assert heard.exercise is not None and heard.exercise.id == "Sumo_Deadlift"
    said = matcher.match("sumo")
    assert said.exercise is not None and said.exercise.id == "Sumo_Deadlift"
    assert 0.6 <= heard.score < said.score


def test_known_words_are_never_swapped_for_sound_alikes(matcher: ExerciseMatcher) -> None:
    # every word is a catalog word, so nothing is "heard as" another: the spelling evidence decides
    hit = matcher.match("squat")
    assert hit.exercise is not None and "Sumo" not in hit.exercise.id
