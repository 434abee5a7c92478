"""Speech-to-text: the `Transcriber` protocol, the faster-whisper engine, priming prompts, scheduling,
and n-best rescoring by the set grammar (`server.stt.rescore`)."""

from __future__ import annotations

from server.stt.base import Hypothesis, SttBusy, SttSkipped, Transcriber, Transcription
from server.stt.prompt import build_prompt
from server.stt.scheduler import SttScheduler

__all__ = [
    "Hypothesis",
    "SttBusy",
    "SttScheduler",
    "SttSkipped",
    "Transcriber",
    "Transcription",
    "build_prompt",
]
