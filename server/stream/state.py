"""What a stream session holds between messages: its settings, the utterance being spoken, the ended
utterances waiting for the ordered finisher."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, Literal

import msgspec
import numpy as np

from server.audio.endpoint import EndpointConfig
from server.stt.base import Transcription
from server.stt.reading import EAR_UNSURE_BELOW, SecondEar

__all__ = ["Job", "Mode", "StreamConfig", "Utterance", "decode_error_code"]

Mode = Literal["semantic", "silence"]


class StreamConfig(msgspec.Struct, kw_only=True, frozen=True):
    mode: Mode = "semantic"
    endpoint: EndpointConfig = EndpointConfig()
    # silence before the speculative final starts (semantic mode)
    speculate_after_ms: float = 96.0
    # a complete reading this sure ends the utterance at once; a less sure one (still loggable) ends it
    # only once the pause has lasted `unsure_silence_ms`: longer than the mid-sentence pauses measured in
    # the dev audio (at most 288 ms, "face pulls, fourteen reps ..."), shorter than the silence timeout
    semantic_sure: float = 0.8
    unsure_silence_ms: float = 400.0
    # partials: at most one per interval, only once this much new speech has arrived
    partial_interval_s: float = 0.7
    partial_min_new_s: float = 0.4
    max_text_chars: int = 2000
    # an unsure final is decoded once more with a focused prompt (server.stt.relisten)
    relisten: bool = True
    # a reading in doubt has its commonly misheard numbers weighed against the audio (server.stt.repair)
    repair: bool = True
    # a reading whisper itself was this unsure of is asked about, not logged (server.stt.reading)
    unsure_below: float | None = EAR_UNSURE_BELOW
    # with a second speech model: does it hear every utterance or only the doubted ones
    second_ear: SecondEar = "always"


class Utterance:
    def __init__(self) -> None:
        self.id = uuid.uuid4().hex[:12]
        self.spec_end: int | None = None  # speech_end window the speculation covers
        self.spec: asyncio.Task[Transcription] | None = None
        # the second ear's decode of the same audio, when both ears hear every utterance
        self.spec_second: asyncio.Future[Transcription | None] | None = None
        self.spec_audio: np.ndarray | None = None
        # the speculation stopped on a word waiting for another ("... at RPE"): the next word may be in
        # the quiet tail the VAD did not call speech, which the speculation had not heard yet
        self.spec_dangling = False
        self.spec_unsure = False  # it read complete, not surely: it ends the utterance after a longer pause
        self.partial_at = 0.0
        self.partial_samples = 0
        # the turn the meaning ended just before this speech began, which it may finish (stream.breath)
        self.continues: str | None = None


class Job(msgspec.Struct):
    """One finished utterance waiting for the ordered finisher."""

    utterance_id: str
    kind: Literal["speech", "text"]
    ended_at: float
    text: str = ""
    stt: Any = None  # asyncio.Task[Transcription] for speech
    audio: Any = None  # np.ndarray, kept only when the settings say so
    speech: Any = None  # np.ndarray the final was transcribed from, for a second listen
    second: Any = None  # asyncio.Future of the second ear's reading, when both ears hear every utterance
    push_to_talk: bool = False
    client_id: str | None = None
    ended_by: str | None = None
    continues: str | None = None  # Utterance.continues
    # its voice command once handled; a client_id that came after the job was sealed is adopted by it
    voice_command_id: str | None = None
    late_client_id: str | None = None
    # set when the utterance reaches the pipeline: until then a late end_utterance's client_id joins it
    sealed: bool = False


def decode_error_code(data: str | bytes) -> str:
    try:
        raw = msgspec.json.decode(data)
    except msgspec.DecodeError:
        return "malformed_json"
    if isinstance(raw, dict) and isinstance(raw.get("type"), str):
        known = {"start", "end_utterance", "text", "correct", "stop"}
        return "invalid_message" if raw["type"] in known else "unknown_type"
    return "invalid_message"
