"""Speech-to-text: the `Transcriber` protocol, the faster-whisper engine, priming prompts, scheduling."""

from __future__ import annotations

from server.stt.base import SttBusy, SttSkipped, Transcriber, Transcription
from server.stt.prompt import build_prompt
from server.stt.scheduler import SttScheduler

__all__ = ["SttBusy", "SttScheduler", "SttSkipped", "Transcriber", "Transcription", "build_prompt"]
