"""What every transcriber offers the server, and what it answers."""

from __future__ import annotations

from typing import Protocol

import msgspec
import numpy as np

__all__ = ["Hypothesis", "SpeechEngine", "SttBusy", "SttSkipped", "Transcriber", "Transcription"]


class Hypothesis(msgspec.Struct, kw_only=True):
    """One of the decoder's n-best readings. `score` is its mean token log-probability; `reading` is
    how well the set grammar read it (0..1, filled in by `server.stt.rescore`), `total` the sum the
    choice was made on. `focused` marks a reading of the second, focused-prompt pass
    (`server.stt.relisten`). `repair` names the rule that proposed a repaired reading
    (`server.stt.repair`) and `acoustic` how much likelier the audio found it than the heard one, in
    nats (negative: less likely)."""

    text: str
    score: float
    reading: float | None = None
    total: float | None = None
    focused: bool = False
    repair: str | None = None
    acoustic: float | None = None


class Transcription(msgspec.Struct, kw_only=True):
    """`text` is empty when the engine judged the audio to hold no speech. `hypotheses` (finals of an
    n-best engine only) keeps every reading the decoder offered, best-scored first; `chosen` is the
    index of the one `text` holds. `focused_prompt` is the prompt of a second listen, when one ran
    (`server.stt.relisten`)."""

    text: str
    audio_s: float
    stt_ms: float = 0.0
    queued_ms: float = 0.0
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0
    hypotheses: list[Hypothesis] = msgspec.field(default_factory=list)
    chosen: int = 0
    focused_prompt: str | None = None
    doubt: str | None = None
    """why the reading should be asked about rather than logged (`server.stt.reading`), if it should"""
    second_text: str | None = None
    """what a second speech model heard, when one was asked (`server.stt.reading`)"""


class SttBusy(Exception):
    """The shared model is saturated: the caller answers `busy` rather than queueing without bound."""


class SttSkipped(Exception):
    """A partial was not run because finals (or other partials) were waiting; partials are optional."""


class Transcriber(Protocol):
    """The server's speech-to-text backend. `final=False` marks a partial: lower priority, droppable.

    A transcriber may also offer `score(audio, texts) -> list[float]` (the engine's log-probability of
    each reading of the audio, raising `SttSkipped` when busy); misheard numbers are then repaired
    (`server.stt.repair`)."""

    async def transcribe(
        self, audio: np.ndarray, *, prompt: str | None = None, final: bool = True
    ) -> Transcription: ...


class SpeechEngine(Protocol):
    """A blocking engine (one model in memory); the scheduler runs it off the event loop.

    An engine may also offer `transcribe_batch(audios, prompts) -> list[Transcription]`; the
    scheduler then runs finals that queued up together as one batch. `final=False` (a partial)
    asks for the cheap single-best decode. It may offer `score_readings(audio, prompt, texts)` too.
    """

    def transcribe_sync(
        self, audio: np.ndarray, prompt: str | None, *, final: bool = True
    ) -> Transcription: ...
