"""N-best rescoring picks the hypothesis the real set grammar reads best, and says why."""

from __future__ import annotations

import pytest

from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher
from server.stt.base import Hypothesis, Transcription
from server.stt.rescore import grammar_reading, pick_reading


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


def _heard(*hyps: tuple[str, float]) -> Transcription:
    return Transcription(
        text=hyps[0][0],
        audio_s=2.0,
        avg_logprob=hyps[0][1],
        hypotheses=[Hypothesis(text=t, score=s) for t, s in hyps],
    )


def test_a_readable_set_beats_a_slightly_likelier_garble(parser: Parser) -> None:
    heard = _heard(
        ("Lake rest for 400 for 10", -0.41),
        ("Leg press 400 for 10", -0.48),
    )
    picked = pick_reading(parser, heard, unit="lb")
    assert picked.text == "Leg press 400 for 10"
    assert picked.chosen == 1
    garble, good = picked.hypotheses
    assert good.reading is not None and garble.reading is not None and good.reading > garble.reading
    assert good.total == pytest.approx(good.score + good.reading, abs=1e-3)


def test_a_much_likelier_reading_keeps_its_place_at_a_small_weight(parser: Parser) -> None:
    heard = _heard(
        ("Lake rest for 400 for 10", -0.2),
        ("Leg press 400 for 10", -0.9),
    )
    picked = pick_reading(parser, heard, unit="lb", weight=0.1)
    assert picked.text == "Lake rest for 400 for 10"
    assert picked.chosen == 0
    # but at the default weight the grammar's confidence outweighs the gap
    assert grammar_reading(parser, "Leg press 400 for 10", unit="lb") > 0.7


def test_when_nothing_reads_as_a_set_whisper_order_stands(parser: Parser) -> None:
    heard = _heard(("Thanks for watching.", -0.3), ("Thanks for watching", -0.35), ("Bang for washing", -0.9))
    picked = pick_reading(parser, heard, unit="lb")
    assert picked.text == "Thanks for watching."
    assert picked.chosen == 0
    assert all(h.reading == 0.0 for h in picked.hypotheses)


def test_equal_readings_keep_the_likelier_one(parser: Parser) -> None:
    heard = _heard(("Barbell squat 225 for 5", -0.3), ("Barbell squat 225 for 5 reps", -0.5))
    picked = pick_reading(parser, heard, unit="lb")
    assert picked.text == "Barbell squat 225 for 5"


def test_the_previous_set_lets_a_follow_up_read(parser: Parser) -> None:
    previous = parser.parse("barbell bench press 185 for 8", unit="lb").parsed
    heard = _heard(("Same a game for six", -0.3), ("Same again for six", -0.4))
    with_context = pick_reading(parser, heard, unit="lb", previous=previous)
    assert with_context.text == "Same again for six"
    # with no set to follow, neither names an exercise: whisper's order stands
    alone = pick_reading(parser, heard, unit="lb")
    assert alone.text == "Same a game for six"
    assert [h.reading for h in alone.hypotheses] == [0.0, 0.0]


def test_nothing_to_choose_is_left_alone(parser: Parser) -> None:
    single = _heard(("Lake rest for 400 for 10", -0.4))
    assert pick_reading(parser, single, unit="lb") is single
    silent = Transcription(text="", audio_s=1.0)
    assert pick_reading(parser, silent, unit="lb") is silent
