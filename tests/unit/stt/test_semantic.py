"""Semantic endpointing decides on real parser output: complete sets end early, fragments wait."""

from __future__ import annotations

import pytest

from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher
from models.parsed import ExerciseRef, ParsedSet
from server.stream.semantic import reads_complete


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


@pytest.mark.parametrize(
    "text",
    [
        "barbell squat two twenty five for five reps",
        "leg press four hundred for ten",
        "three sets of eight on the lat pulldown",
        "scratch that",
    ],
)
def test_complete_sets_end_early(parser: Parser, text: str) -> None:
    assert reads_complete(parser, text, unit="lb")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "barbell squat",  # the numbers are still coming
        "barbell squat two twenty five for",  # dangling preposition
        "leg press four hundred for ten at",  # an RPE is on its way
        "uh",
        "two twenty five",  # no exercise, no context
    ],
)
def test_fragments_wait_for_the_silence_timeout(parser: Parser, text: str) -> None:
    assert not reads_complete(parser, text, unit="lb")


def test_context_completes_a_follow_up(parser: Parser) -> None:
    previous = ParsedSet(
        intent="log_set",
        exercise=ExerciseRef(id="Leg_Press", name="Leg Press"),
        reps=10,
        weight=400,
        unit="lb",
    )
    assert reads_complete(parser, "same weight for eight reps", unit="lb", previous=previous)


def test_a_parser_without_parse_never_ends_early() -> None:
    assert not reads_complete(object(), "barbell squat two twenty five for five reps", unit="lb")


@pytest.mark.parametrize(
    ("text", "dangling"),
    [
        ("lying leg curl forty five kilos 11 reps at RPE", True),
        ("bench two twenty five for", True),
        ("bench two twenty five for five", False),
        ("hack squat one eighty for eight, no", True),
        ("rows one forty for ten sorry", True),
        ("curls thirty five for twelve, I mean", True),
        ("dips twenty reps, wait", True),
        ("", False),
    ],
)
def test_a_transcript_stopping_on_a_word_that_waits_is_dangling(text: str, dangling: bool) -> None:
    from server.stream.semantic import ends_dangling

    assert ends_dangling(text) is dangling


def test_a_misheard_fragment_reads_complete_only_unsurely(parser: Parser) -> None:
    from server.stream.semantic import completeness
    from server.stream.session import StreamConfig

    sure = StreamConfig().semantic_sure
    # "face pulls, fourteen reps ..." cut at its comma and misheard: loggable, but not sure enough to
    # end the utterance before a longer pause
    assert 0 < completeness(parser, "eight pulls", unit="lb") < sure
    assert completeness(parser, "barbell squat two twenty five for five reps", unit="lb") >= sure
    assert completeness(parser, "face pulls", unit="lb") == 0.0
