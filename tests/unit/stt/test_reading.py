"""The speech-reading stage: the ear's doubt, and a second ear that settles it or not, on doubted
readings only or on every utterance."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher
from server.stt.base import Hypothesis, SttBusy, Transcription
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

    def __init__(self, text: str, score: float = -0.2, *, busy: bool = False) -> None:
        self.text, self.score, self.calls, self.busy = text, score, 0, busy

    async def transcribe(
        self, audio: np.ndarray, *, prompt: str | None = None, final: bool = True
    ) -> Transcription:
        self.calls += 1
        if self.busy:
            raise SttBusy("saturated")
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


def both(second: Ear) -> SpeechReader:
    return SpeechReader(
        Ear("unused"), parser(), relisten=False, repair=False, second=second, second_ear="always"
    )


async def test_both_ears_hear_even_a_sure_reading_and_agreement_logs_it() -> None:
    second = Ear("Bench 225 for 5.", score=-0.9)
    result = await both(second).read(AUDIO, heard("bench two twenty five for five", -0.1), unit="lb")
    assert second.calls == 1
    assert result.doubt is None  # same set, and the first ear is sure of it
    assert result.second_text == "Bench 225 for 5."


async def test_a_sure_first_ear_that_the_second_contradicts_is_asked_with_the_second_reading() -> None:
    second = Ear("bench two thirty five for five", score=-0.3)
    result = await both(second).read(AUDIO, heard("bench two twenty five for five", -0.1), unit="lb")
    assert result.doubt is not None and "disagree" in result.doubt
    assert "bench two twenty five for five" in result.doubt  # what the first ear heard is kept
    assert result.text == "bench two thirty five for five"  # the larger model's reading is asked about


async def test_on_disagreement_the_reading_the_grammar_understands_better_is_asked_about() -> None:
    second = Ear("twenty kilos for ninety non steppers", score=-0.3)
    result = await both(second).read(AUDIO, heard("bench two twenty five for five", -0.2), unit="lb")
    assert result.doubt is not None and "disagree" in result.doubt
    assert result.text == "bench two twenty five for five"  # the first ear's reads as a set; the second's not


async def test_agreement_without_a_sure_ear_is_still_doubted() -> None:
    second = Ear("bench 225 for 5", score=EAR_UNSURE_BELOW - 0.2)
    first = heard("bench two twenty five for five", EAR_UNSURE_BELOW - 0.1)
    result = await both(second).read(AUDIO, first, unit="lb")
    assert result.doubt is not None and "neither is sure" in result.doubt


async def test_a_sure_second_ear_agreeing_settles_an_unsure_first() -> None:
    second = Ear("bench 225 for 5", score=-0.2)
    result = await both(second).read(AUDIO, heard("bench two twenty five for five", -1.2), unit="lb")
    assert result.doubt is None


async def test_a_busy_second_ear_leaves_the_first_ears_own_doubt() -> None:
    sure = await both(Ear("x", busy=True)).read(
        AUDIO, heard("bench two twenty five for five", -0.1), unit="lb"
    )
    assert sure.doubt is None and sure.second_text is None
    unsure = await both(Ear("x", busy=True)).read(
        AUDIO, heard("bench two twenty five for five", -1.0), unit="lb"
    )
    assert unsure.doubt is not None and "unsure" in unsure.doubt


async def test_silence_wakes_neither_ear() -> None:
    second = Ear("bench two twenty five for five")
    result = await both(second).read(AUDIO, heard("", -0.1), unit="lb")
    assert result.text == "" and second.calls == 0
