"""Repairs of misheard numbers: proposed by the grammar only where a reading is in doubt, decided by
the audio's scores, and kept on the transcription either way."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher
from server.stt.base import Hypothesis, SttSkipped, Transcription
from server.stt.repair import REPS_PRIOR_PER_REP, UNSURE_MARGIN, repair_candidates, repair_reading

AUDIO = np.zeros(16000, dtype=np.float32)


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


class ScoringEar:
    """Scores readings from a table (the heard reading 0 unless listed); records what it was asked."""

    def __init__(self, scores: dict[str, float], *, refuse: bool = False) -> None:
        self.scores = scores
        self.refuse = refuse
        self.asked: list[list[str]] = []

    async def transcribe(self, audio: np.ndarray, *, prompt: str | None = None, final: bool = True):
        raise AssertionError("a repair never decodes again")

    async def score(self, audio: np.ndarray, texts: list[str]) -> list[float]:
        self.asked.append(texts)
        if self.refuse:
            raise SttSkipped("finals are waiting")
        return [self.scores.get(t, -50.0) for t in texts]


def _heard(text: str) -> Transcription:
    return Transcription(
        text=text, audio_s=2.0, avg_logprob=-0.3, hypotheses=[Hypothesis(text=text, score=-0.3)]
    )


def _repair(ear: ScoringEar, parser: Parser, text: str, unit: str = "kg") -> Transcription:
    return asyncio.run(repair_reading(ear, parser, AUDIO, _heard(text), unit=unit))


def _texts(parser: Parser, text: str, unit: str = "kg") -> dict[str, str]:
    return {c.text: c.rule for c in repair_candidates(parser, text, unit=unit)}


# what the grammar proposes


def test_a_sure_reading_gets_no_candidates(parser: Parser) -> None:
    assert _texts(parser, "bench press two twenty five for five", "lb") == {}
    assert _texts(parser, "lateral raises with the fifteen pound dumbbells for twelve", "lb") == {}


def test_sound_alike_words_beside_a_unit_are_tried_as_numbers(parser: Parser) -> None:
    texts = _texts(parser, "lying leg curl forte I'm kilos 11 reps")
    assert texts.get("lying leg curl forty five kilos 11 reps") == "unsure"
    assert texts.get("lying leg curl forty nine kilos 11 reps") == "unsure"
    # "I" away from any number or unit is a word, not a misheard number
    assert not any(t.startswith("five") for t in _texts(parser, "I did lying leg curls forte kilos"))


def test_a_bare_singular_after_with_the_is_left_as_heard(parser: Parser) -> None:
    # tiny.en scores "fifties" above "fifteens" whichever was said (benchmarks/number_repair.py)
    assert _texts(parser, "farmers walk with the fifteen for forty five seconds.", "lb") == {}


def test_an_implausible_loaded_rep_count_is_tried_as_its_teen(parser: Parser) -> None:
    texts = _texts(parser, "twenty five kilos for sixty-one rear lunges")
    assert texts == {"twenty five kilos for sixteen on rear lunges": "reps"}
    texts = _texts(parser, "twenty five kilos for sixty one rear lunges")
    assert "twenty five kilos for sixteen on rear lunges" in texts


def test_a_ty_count_in_digits_is_tried_as_its_teen_too(parser: Parser) -> None:
    assert _texts(parser, "leg extension 135 for 40", "lb") == {"leg extension 135 for 14": "reps"}
    assert _texts(parser, "hack squat 90 kilos for 70.") == {"hack squat 90 kilos for 17.": "reps"}
    # the load in digits is never the count: only the reps move
    assert all(" 135 " in t for t in _texts(parser, "leg press 135 for 50", "lb"))


def test_bodyweight_and_plausible_counts_are_left_alone(parser: Parser) -> None:
    assert _texts(parser, "fifty push ups") == {}
    assert _texts(parser, "sixty pounds for thirty on cable crossovers", "lb") == {}


# what the audio decides


def test_a_sure_repair_the_audio_backs_wins_and_is_explained(parser: Parser) -> None:
    heard = "lying leg curl forte I'm kilos 11 reps"
    fixed = "lying leg curl forty five kilos 11 reps"
    ear = ScoringEar({heard: -10.0, fixed: -8.0, "lying leg curl forty nine kilos 11 reps": -13.0})
    result = _repair(ear, parser, heard)
    assert result.text == fixed
    chosen = result.hypotheses[result.chosen]
    assert chosen.text == fixed and chosen.repair == "unsure" and chosen.acoustic == pytest.approx(2.0)
    assert ear.asked[0][0] == heard  # the heard reading is scored beside its repairs
    assert parser.parse(result.text, unit="kg").parsed.weight == 45


def test_a_repair_the_audio_rejects_leaves_the_reading_and_keeps_the_candidates(parser: Parser) -> None:
    heard = "lying leg curl forte I'm kilos 11 reps"
    fixed = "lying leg curl forty five kilos 11 reps"
    ear = ScoringEar({heard: -10.0, fixed: -10.0 - UNSURE_MARGIN - 0.5})
    result = _repair(ear, parser, heard)
    assert result.text == heard and result.chosen == 0
    assert any(h.text == fixed and h.acoustic is not None and h.acoustic < 0 for h in result.hypotheses)


def test_the_reps_prior_weighs_against_the_audio(parser: Parser) -> None:
    heard = "twenty five kilos for sixty-one rear lunges"
    fixed = "twenty five kilos for sixteen on rear lunges"
    gain = REPS_PRIOR_PER_REP * (61 - 30)
    backed = _repair(ScoringEar({heard: -5.0, fixed: -5.0 - gain + 0.5}), parser, heard)
    assert parser.parse(backed.text, unit="kg").parsed.reps == 16
    rejected = _repair(ScoringEar({heard: -5.0, fixed: -5.0 - gain - 0.5}), parser, heard)
    assert rejected.text == heard


def test_no_scoring_means_no_repair(parser: Parser) -> None:
    heard = "twenty five kilos for sixty-one rear lunges"
    assert _repair(ScoringEar({}, refuse=True), parser, heard).text == heard

    class Deaf:
        async def transcribe(self, audio, *, prompt=None, final=True):
            raise AssertionError

    result = asyncio.run(repair_reading(Deaf(), parser, AUDIO, _heard(heard), unit="kg"))  # type: ignore[arg-type]
    assert result.text == heard and len(result.hypotheses) == 1


def test_a_sure_reading_is_not_scored(parser: Parser) -> None:
    ear = ScoringEar({})
    text = "bench press two twenty five for five"
    assert _repair(ear, parser, text, "lb").text == text
    assert ear.asked == []
