"""Websocket messages of `/v1/stream`, both directions, as tagged msgspec unions (docs/protocol.md).

Client text frames decode through the one `CLIENT_DECODER`; server events encode through `ENCODER`.
Binary frames (audio) never pass through here.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

import msgspec

from models.parsed import ParsedSet, Unit

__all__ = [
    "CLIENT_DECODER",
    "ENCODER",
    "Answer",
    "Clarify",
    "ClientMessage",
    "Correct",
    "Corrected",
    "EndUtterance",
    "ErrorEvent",
    "Logged",
    "Partial",
    "Ready",
    "Reconnect",
    "ServerEvent",
    "Start",
    "Stop",
    "Text",
    "TimingMs",
    "Transcript",
    "decode_client",
]


class _Client(msgspec.Struct, tag_field="type", forbid_unknown_fields=False):
    pass


class Start(_Client, tag="start", kw_only=True):
    sample_rate: int
    encoding: Literal["pcm_s16le"] = "pcm_s16le"
    unit: Unit | None = None
    # beyond the contract: pick the endpointing of this connection (benchmarks compare both)
    endpointing: Literal["semantic", "silence"] | None = None


class EndUtterance(_Client, tag="end_utterance", kw_only=True):
    client_id: uuid.UUID | None = None
    """names the utterance this release ends: sent again (after a reconnect) it answers the first result"""


class Text(_Client, tag="text", kw_only=True):
    text: str
    client_id: uuid.UUID | None = None
    """as REST's: a retry with the same id answers the first result and logs nothing new"""


class Correct(_Client, tag="correct"):
    set_id: str
    fields: dict[str, Any]


class Stop(_Client, tag="stop"):
    pass


ClientMessage = Start | EndUtterance | Text | Correct | Stop

CLIENT_DECODER = msgspec.json.Decoder(ClientMessage)


def decode_client(data: str | bytes) -> ClientMessage:
    """Decode one client text frame; raises `msgspec.ValidationError`/`DecodeError` on anything else."""
    return CLIENT_DECODER.decode(data)


class _Event(msgspec.Struct, tag_field="type", kw_only=True):
    pass


class Ready(_Event, tag="ready"):
    session_id: str
    workout_id: str


class Partial(_Event, tag="partial"):
    utterance_id: str
    text: str


class Transcript(_Event, tag="transcript"):
    utterance_id: str
    text: str
    # what ended the utterance: "meaning" (the words read as a complete set), "silence" (the pause
    # timeout), "push_to_talk" (`end_utterance`/`stop`) or "too_long"
    ended_by: str | None = None


class TimingMs(msgspec.Struct, kw_only=True):
    """Milliseconds per stage; `total` runs from the end of speech to the event being sent."""

    stt: float = 0.0
    parse: float = 0.0
    match: float = 0.0
    persist: float = 0.0
    total: float = 0.0


class Logged(_Event, tag="logged"):
    utterance_id: str
    voice_command_id: str
    parsed: ParsedSet
    # LoggedSet structs belong to the REST models (models/api.py); any msgspec-encodable value goes.
    sets: list[Any]
    timing_ms: TimingMs
    # beyond the contract: what the utterance did (logged | corrected | undone), as REST's `action`
    action: str = "logged"
    # the personal records the set made (`models.training.PrOut`), [] when none
    prs: list[Any] = msgspec.field(default_factory=list)


class Clarify(_Event, tag="clarify"):
    utterance_id: str
    parsed: ParsedSet
    question: str


class Answer(_Event, tag="answer"):
    """An utterance that was no set (issue 16): the coach's answer, or what a spoken profile update noted."""

    utterance_id: str
    voice_command_id: str
    action: Literal["answered", "profile_updated", "exercise_created"]
    text: str


class Corrected(_Event, tag="corrected"):
    set: Any


class ErrorEvent(_Event, tag="error", omit_defaults=True):
    code: str
    message: str
    utterance_id: str | None = None


class Reconnect(_Event, tag="reconnect"):
    """The instance is shutting down: everything already said was answered; reconnect (with `session_id`
    to keep the session's context) and the load balancer picks a live instance. Close code 1012 follows."""

    reason: str
    session_id: str


ServerEvent = Ready | Partial | Transcript | Logged | Clarify | Answer | Corrected | ErrorEvent | Reconnect

ENCODER = msgspec.json.Encoder()
