"""What the lifter hears back about one utterance: the event for a pipeline outcome, and what speech-to-text
contributed, as the voice command keeps it."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from models.protocol import Answer, Clarify, Logged, ServerEvent, TimingMs
from server.stt.base import Transcription

if TYPE_CHECKING:
    from server.pipeline import SttInfo, UtteranceOutcome

__all__ = ["outcome_event", "stt_info"]

_ANSWERED = ("answered", "profile_updated", "exercise_created")


def outcome_event(
    utterance_id: str, ended_at: float, outcome: UtteranceOutcome, stt_ms: float
) -> ServerEvent:
    """`answer`, `clarify` or `logged` for a handled (or replayed) utterance; `logged`'s total runs from
    `ended_at` (the end of speech) to now."""
    if outcome.action in _ANSWERED:
        return Answer(
            utterance_id=utterance_id,
            voice_command_id=outcome.voice_command_id,
            action=outcome.action,  # type: ignore[arg-type]  # one of _ANSWERED
            text=outcome.clarify_question or "",
        )
    if outcome.action in ("clarify", "ignored"):
        return Clarify(
            utterance_id=utterance_id, parsed=outcome.parsed, question=outcome.clarify_question or ""
        )
    timing = outcome.timing_ms
    event = Logged(
        utterance_id=utterance_id,
        voice_command_id=outcome.voice_command_id,
        parsed=outcome.parsed,
        sets=list(outcome.sets),
        timing_ms=TimingMs(
            stt=round(stt_ms, 1),
            parse=round(timing.get("parse", 0.0), 1),
            match=round(timing.get("match", 0.0), 1),
            persist=round(timing.get("persist", 0.0), 1),
            total=0.0,
        ),
        action=outcome.action,
        prs=list(outcome.prs),
    )
    event.timing_ms.total = round((time.perf_counter() - ended_at) * 1000, 1)
    return event


def stt_info(result: Transcription, transcriber: Any, audio_path: str | None) -> SttInfo:
    """The reading `result` holds (`server.stt.reading`), as the pipeline keeps it on the voice command."""
    from server.pipeline import SttInfo

    return SttInfo(
        transcript=result.text,
        duration_s=round(result.audio_s, 3),
        stt_ms=round(result.stt_ms, 3),
        model=getattr(getattr(transcriber, "engine", None), "model_dir", None),
        hypotheses=list(result.hypotheses),
        focused_prompt=result.focused_prompt,
        doubt=result.doubt,
        second_text=result.second_text,
        audio_path=audio_path,
    )
