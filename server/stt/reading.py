"""The one speech-reading stage: a final's readings in, the transcript the server acts on out.

Both the websocket session and the upload route run it, so a clip reads the same whichever way it
came: the decoder's n-best rescored by the set grammar (`server.stt.rescore`), a second, focused listen
when that reading is unsure (`server.stt.relisten`), repairs of commonly misheard numbers weighed
against the audio (`server.stt.repair`), and last the ear's own doubt.

The ear's doubt: whisper's mean token log-probability of the reading it settled on. A reading the
grammar understands perfectly can still be a confident mishearing of the numbers ("one eighty" heard
as "eighty", "thirteen" as "thirty"), and nothing in the words shows it. Measured on the many-voice
clips (`benchmarks/voices.py`, tuned on the dev audio and the espeak-ng family only), the sets logged
wrong cluster below a mean log-probability of about -0.45 and the right ones above it; a reading below
it is asked about (`clarify`, with the reading), not logged.

A second speech model (`VOICELOG_STT_SECOND_MODEL`, e.g. whisper base from its PyPI packages) works in one
of two ways (`VOICELOG_STT_SECOND_EAR`):
- `doubted`: only a doubted reading is heard once more, and a second ear that reads the same set settles
  the doubt;
- `always`: every utterance is heard by both ears at once, and a set is logged only when the two read the
  same set and at least one of them is sure of it. Two different models rarely mishear a number the same
  way, so agreement is evidence that a single model's confidence is not. On disagreement the reading the
  grammar understands better is the one asked about (the second, larger model's on a tie). When the second
  ear is busy or hears nothing, the first ear's own doubt decides, as without a second model.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Literal, Protocol

import msgspec
import numpy as np

from models.parsed import ParsedSet
from server.stt.base import SttBusy, Transcriber, Transcription
from server.stt.relisten import listen_again
from server.stt.repair import repair_reading
from server.stt.rescore import pick_reading

__all__ = ["EAR_UNSURE_BELOW", "Reader", "SecondEar", "SpeechReader", "ear_score"]

# Mean token log-probability below which a reading's numbers may have been misheard (see above).
EAR_UNSURE_BELOW = -0.45

SecondEar = Literal["doubted", "always"]


class Reader(Protocol):
    """What the stage needs of the set grammar (`matcher.parser.Parser`)."""

    def parse(self, text: str, *, unit: str, previous: ParsedSet | None = ..., spoken: bool = ...) -> Any: ...


def ear_score(result: Transcription) -> float:
    """Whisper's mean token log-probability of the reading `result.text` holds."""
    if result.hypotheses and 0 <= result.chosen < len(result.hypotheses):
        return float(result.hypotheses[result.chosen].score)
    return float(result.avg_logprob)


class SpeechReader:
    def __init__(
        self,
        transcriber: Transcriber,
        parser: Reader,
        *,
        relisten: bool = True,
        repair: bool = True,
        unsure_below: float | None = EAR_UNSURE_BELOW,
        second: Transcriber | None = None,
        second_ear: SecondEar = "doubted",
    ) -> None:
        self.transcriber = transcriber
        self.parser = parser
        self.relisten = relisten
        self.repair = repair
        self.unsure_below = unsure_below
        self.second = second
        self.second_ear = second_ear

    def best(self, result: Transcription, *, unit: str, previous: ParsedSet | None) -> Transcription:
        """The n-best reading the grammar reads best (cheap: also run on speculative finals)."""
        return pick_reading(self.parser, result, unit=unit, previous=previous)

    async def read(
        self,
        audio: np.ndarray | None,
        first: Transcription,
        *,
        unit: str,
        previous: ParsedSet | None = None,
        prompt_for_second: Callable[[], str | None] | None = None,
        second_heard: asyncio.Future[Transcription | None] | None = None,
    ) -> Transcription:
        """`first` (a final of `audio`) read through the whole stage; `doubt` says why it should be asked.
        `second_heard`: the second ear's decode, when the caller started it with the first's
        (`listen_second`)."""
        result = self.best(first, unit=unit, previous=previous)
        if not result.text:
            if second_heard is not None:
                second_heard.cancel()
            return result
        heard = second_heard
        if heard is None and audio is not None:
            # started now, it decodes while the first ear's second listen and repairs run
            heard = self.listen_second(audio, prompt_for_second)
        try:
            result = await self._first_ear(audio, result, unit=unit, previous=previous)
        except BaseException:
            if heard is not None:
                heard.cancel()
            raise
        if heard is not None:
            return self._agree(result, await heard, unit=unit, previous=previous)
        return await self._doubt(audio, result, unit=unit, previous=previous, prompt=prompt_for_second)

    async def _first_ear(
        self, audio: np.ndarray | None, result: Transcription, *, unit: str, previous: ParsedSet | None
    ) -> Transcription:
        if audio is not None and self.relisten:
            result = await listen_again(
                self.transcriber, self.parser, audio, result, unit=unit, previous=previous
            )
        if audio is not None and self.repair:
            result = await repair_reading(
                self.transcriber, self.parser, audio, result, unit=unit, previous=previous
            )
        return result

    def listen_second(
        self, audio: np.ndarray, prompt: Callable[[], str | None] | None = None
    ) -> asyncio.Future[Transcription | None] | None:
        """The second ear's decode of `audio`, started now, when both ears hear every utterance; else None.
        The stream starts it with the first ear's final so the two decode side by side."""
        if self.second is None or self.second_ear != "always":
            return None
        return asyncio.ensure_future(self._second_reading(audio, prompt))

    async def _second_reading(
        self, audio: np.ndarray, prompt: Callable[[], str | None] | None
    ) -> Transcription | None:
        assert self.second is not None
        try:
            return await self.second.transcribe(audio, prompt=prompt() if prompt else None, final=True)
        except SttBusy:  # the larger model is saturated: the first ear's own doubt decides
            return None

    def _agree(
        self, result: Transcription, other: Transcription | None, *, unit: str, previous: ParsedSet | None
    ) -> Transcription:
        """Both ears heard the utterance: logged when they read the same set and one of them is sure."""
        if other is None or not other.text:
            return self._own_doubt(result)
        other = self.best(other, unit=unit, previous=previous)
        mine, theirs = ear_score(result), ear_score(other)
        limit = self.unsure_below if self.unsure_below is not None else float("-inf")
        first_set, second_set = (
            self._parsed(result.text, unit, previous),
            self._parsed(other.text, unit, previous),
        )
        if _same(first_set, second_set):
            if max(mine, theirs) >= limit:
                return msgspec.structs.replace(result, second_text=other.text)
            doubt = f"both ears read this set, neither is sure: mean log-probability {max(mine, theirs):.2f}"
            return msgspec.structs.replace(result, second_text=other.text, doubt=doubt)
        doubt = f"the two ears disagree: the first heard {result.text!r}, the second {other.text!r}"
        if _understood(first_set) > _understood(second_set):
            # the first ear's reading (after its second listen and repairs) reads better: ask about it
            return msgspec.structs.replace(result, second_text=other.text, doubt=doubt)
        return msgspec.structs.replace(
            result,
            text=other.text,
            hypotheses=other.hypotheses,
            chosen=other.chosen,
            avg_logprob=other.avg_logprob,
            second_text=other.text,
            doubt=doubt,
        )

    def _parsed(self, text: str, unit: str, previous: ParsedSet | None) -> ParsedSet:
        parsed: ParsedSet = self.parser.parse(text, unit=unit, previous=previous, spoken=True).parsed
        return parsed

    def _own_doubt(self, result: Transcription) -> Transcription:
        score = ear_score(result)
        if self.unsure_below is None or score >= self.unsure_below:
            return result
        doubt = f"the ear is unsure: mean log-probability {score:.2f} < {self.unsure_below:.2f}"
        return msgspec.structs.replace(result, doubt=doubt)

    async def _doubt(
        self,
        audio: np.ndarray | None,
        result: Transcription,
        *,
        unit: str,
        previous: ParsedSet | None,
        prompt: Callable[[], str | None] | None,
    ) -> Transcription:
        doubt = self._own_doubt(result).doubt
        if doubt is None:
            return result
        if self.second is not None and audio is not None:
            try:
                other = await self.second.transcribe(audio, prompt=prompt() if prompt else None, final=True)
            except SttBusy:
                other = None
            if other is not None and other.text:
                other = self.best(other, unit=unit, previous=previous)
                if _same(self._parsed(result.text, unit, previous), self._parsed(other.text, unit, previous)):
                    return msgspec.structs.replace(result, second_text=other.text)
                doubt += f"; a second listen heard {other.text!r}"
                result = msgspec.structs.replace(result, second_text=other.text)
        return msgspec.structs.replace(result, doubt=doubt)


def _same(pa: ParsedSet, pb: ParsedSet) -> bool:
    """The two readings are the same set: exercise, intent and every number."""
    if pa.exercise is None or pb.exercise is None or pa.intent != pb.intent:
        return False
    fields = ("sets", "reps", "weight", "unit", "rpe", "duration_s")
    return pa.exercise.id == pb.exercise.id and all(getattr(pa, f) == getattr(pb, f) for f in fields)


def _understood(parsed: ParsedSet) -> float:
    """How well the set grammar reads a reading (its confidence; 0 when it names no exercise)."""
    return float(parsed.confidence) if parsed.exercise is not None else 0.0
