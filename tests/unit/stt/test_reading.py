"""The speech-reading stage: the ear's doubt, and a second ear that settles it or not."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher
from server.stt.base import Hypothesis, Transcription
from server.stt.reading import EAR_UNSURE_BELOW, SpeechReader, ear_score

AUDIO = np.zeros(16000, dtype=np.float32)


@lru_cache(maxsize=1)
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


def heard(text: str, score: float) -> Transcription:
    return Transcription(
        text=text, audio_s=1.0, avg_logprob=score, hypotheses=[Hypothesis(text=text, score=score)]
    )


class Ear:
    """A transcriber that always hears the same words (and counts how often it was asked)."""

    def __init__(self, text: str, score: float = -0.2) -> None:
        self.text, self.score, self.calls = text, score, 0

    async def transcribe(
        self, audio: np.ndarray, *, prompt: str | None = None, final: bool = True
    ) -> Transcription:
        self.calls += 1
        return heard(self.text, self.score)


def reader(second: Ear | None = None) -> SpeechReader:
    return SpeechReader(Ear("unused"), parser(), relisten=False, repair=False, second=second)


async def test_a_reading_whisper_was_sure_of_carries_no_doubt() -> None:
    result = await reader().read(AUDIO, heard("bench two twenty five for five", -0.2), unit="lb")
    assert result.doubt is None
    assert ear_score(result) == -0.2


async def test_a_reading_whisper_was_unsure_of_is_doubted_with_its_score() -> None:
    score = EAR_UNSURE_BELOW - 0.3
    result = await reader().read(AUDIO, heard("bench two twenty five for five", score), unit="lb")
    assert result.text == "bench two twenty five for five"  # the best reading stays, to be asked about
    assert result.doubt is not None and f"{score:.2f}" in result.doubt


async def test_the_doubt_can_be_turned_off() -> None:
    off = SpeechReader(Ear("unused"), parser(), relisten=False, repair=False, unsure_below=None)
    result = await off.read(AUDIO, heard("bench two twenty five for five", -3.0), unit="lb")
    assert result.doubt is None


async def test_a_second_ear_reading_the_same_set_settles_the_doubt() -> None:
    second = Ear("Bench 225 for 5.")
    result = await reader(second).read(AUDIO, heard("bench two twenty five for five", -0.9), unit="lb")
    assert second.calls == 1
    assert result.doubt is None
    assert result.second_text == "Bench 225 for 5."


async def test_a_second_ear_hearing_other_numbers_keeps_the_doubt() -> None:
    second = Ear("bench two twenty five for nine")
    result = await reader(second).read(AUDIO, heard("bench two twenty five for five", -0.9), unit="lb")
    assert result.doubt is not None and "bench two twenty five for nine" in result.doubt


async def test_a_sure_reading_never_wakes_the_second_ear() -> None:
    second = Ear("bench two twenty five for five")
    await reader(second).read(AUDIO, heard("bench two twenty five for five", -0.1), unit="lb")
    assert second.calls == 0
