"""What every transcriber offers the server, and what it answers."""

from __future__ import annotations

from typing import Protocol

import msgspec
import numpy as np

__all__ = ["SpeechEngine", "SttBusy", "SttSkipped", "Transcriber", "Transcription"]


class Transcription(msgspec.Struct, kw_only=True):
    """`text` is empty when the engine judged the audio to hold no speech."""

    text: str
    audio_s: float
    stt_ms: float = 0.0
    queued_ms: float = 0.0
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0


class SttBusy(Exception):
    """The shared model is saturated: the caller answers `busy` rather than queueing without bound."""


class SttSkipped(Exception):
    """A partial was not run because finals (or other partials) were waiting; partials are optional."""


class Transcriber(Protocol):
    """The server's speech-to-text backend. `final=False` marks a partial: lower priority, droppable."""

    async def transcribe(
        self, audio: np.ndarray, *, prompt: str | None = None, final: bool = True
    ) -> Transcription: ...


class SpeechEngine(Protocol):
    """A blocking engine (one model in memory); the scheduler runs it off the event loop.

    An engine may also offer `transcribe_batch(audios, prompts) -> list[Transcription]`; the
    scheduler then runs finals that queued up together as one batch.
    """

    def transcribe_sync(self, audio: np.ndarray, prompt: str | None) -> Transcription: ...
