"""The second, focused listen: only for unsure readings, only kept when it reads surely, explained."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher
from server.stt.base import Hypothesis, SttBusy, Transcription
from server.stt.prompt import STYLE
from server.stt.relisten import focus_names, listen_again, merge_readings, needs_second_listen
from server.stt.rescore import pick_reading

AUDIO = np.zeros(16000, dtype=np.float32)


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


class ScriptedEar:
    """A transcriber that answers the second listen with a set transcription and records prompts."""

    def __init__(self, answer: Transcription | Exception, *, saturated: bool = False) -> None:
        self.answer = answer
        self.saturated = saturated  # a transcriber without `can_spare` is judged by this alone
        self.prompts: list[str | None] = []

    async def transcribe(
        self, audio: np.ndarray, *, prompt: str | None = None, final: bool = True
    ) -> Transcription:
        self.prompts.append(prompt)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def _heard(*hyps: tuple[str, float], stt_ms: float = 200.0) -> Transcription:
    return Transcription(
        text=hyps[0][0],
        audio_s=2.0,
        stt_ms=stt_ms,
        avg_logprob=hyps[0][1],
        hypotheses=[Hypothesis(text=t, score=s) for t, s in hyps],
    )


def _listen(ear: ScriptedEar, parser: Parser, first: Transcription) -> Transcription:
    first = pick_reading(parser, first, unit="kg")
    return asyncio.run(listen_again(ear, parser, AUDIO, first, unit="kg"))


def test_a_sure_reading_is_not_listened_to_again(parser: Parser) -> None:
    ear = ScriptedEar(_heard(("anything", -0.1)))
    first = _heard(("lying leg curl forty five kilos eleven reps", -0.3))
    assert _listen(ear, parser, first).text == first.text
    assert ear.prompts == []


def test_no_speech_is_not_listened_to_again(parser: Parser) -> None:
    assert not needs_second_listen(parser, Transcription(text="", audio_s=1.0), unit="kg")


def test_an_unsure_reading_is_replaced_by_a_sure_focused_one(parser: Parser) -> None:
    first = _heard(
        ("lying leg curl forte I'm key low 11 reps at RPE 10", -0.24),
        ("lying leg curl forted I'm key low 11 reps at RPE 10", -0.31),
    )
    ear = ScriptedEar(_heard(("lying leg curl forty five kilos 11 reps at RPE 10.", -0.35), stt_ms=180.0))
    result = _listen(ear, parser, first)
    assert result.text == "lying leg curl forty five kilos 11 reps at RPE 10."
    chosen = result.hypotheses[result.chosen]
    assert chosen.focused and chosen.reading is not None and chosen.reading >= 0.8
    assert [h.focused for h in result.hypotheses] == [False, False, True]
    assert result.stt_ms == pytest.approx(380.0)
    # the focused prompt: the spoken style, then the exercise the first readings resolved to
    (prompt,) = ear.prompts
    assert prompt is not None and prompt.startswith(STYLE) and "lying leg curls" in prompt
    assert "kettlebell" not in prompt  # no catalog word list


def test_an_unsure_focused_reading_does_not_replace_the_first(parser: Parser) -> None:
    first = _heard(("calf rest fifteen reps have two for the hook", -0.12))
    ear = ScriptedEar(_heard(("calf press fifteen reps at two for the hook.", -0.05)))
    result = _listen(ear, parser, first)
    assert result.text == "calf rest fifteen reps have two for the hook"
    assert not result.hypotheses[result.chosen].focused
    # the focused reading is kept for the record, with what it scored
    focused = [h for h in result.hypotheses if h.focused]
    assert len(focused) == 1 and focused[0].reading is not None and focused[0].reading < 0.8


def test_a_busy_model_is_not_asked_twice(parser: Parser) -> None:
    ear = ScriptedEar(_heard(("lying leg curl forty five kilos 11 reps", -0.3)), saturated=True)
    first = _heard(("lying leg curl forte I'm key low 11 reps", -0.24))
    assert _listen(ear, parser, first).text == first.text
    assert ear.prompts == []


def test_a_busy_second_listen_keeps_the_first_reading(parser: Parser) -> None:
    ear = ScriptedEar(SttBusy("full"))
    first = _heard(("lying leg curl forte I'm key low 11 reps", -0.24))
    result = _listen(ear, parser, first)
    assert result.text == first.text and len(ear.prompts) == 1


def test_focus_names_put_the_chosen_reading_first(parser: Parser) -> None:
    first = pick_reading(
        parser,
        _heard(
            ("dead curl crushers thirteen reps twenty five", -0.5), ("did skull crushers thirteen reps", -0.6)
        ),
        unit="kg",
    )
    names = focus_names(parser, first, unit="kg")
    assert names and "Skull" in names[0]
    assert len(names) == len(set(names))


def test_merging_keeps_a_reading_both_passes_gave_once() -> None:
    first = _heard(("bench press 100 for 5", -0.3), ("bench press 100 for five", -0.4))
    second = _heard(("Bench press 100 for 5.", -0.2), ("bench press 110 for 5", -0.5))
    merged = merge_readings(first, second)
    assert [h.text for h in merged.hypotheses] == [
        "bench press 100 for 5",
        "bench press 100 for five",
        "bench press 110 for 5",
    ]
    assert [h.focused for h in merged.hypotheses] == [False, False, True]


def test_a_scheduler_with_no_room_to_spare_is_not_asked_twice(parser: Parser) -> None:
    class BusyEar(ScriptedEar):
        def can_spare(self) -> bool:
            return False

    ear = BusyEar(_heard(("lying leg curl forty five kilos 11 reps", -0.3)))
    first = _heard(("lying leg curl forte I'm key low 11 reps", -0.24))
    assert _listen(ear, parser, first).text == first.text
    assert ear.prompts == []
