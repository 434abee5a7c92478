"""What happened to a set, and what the server kept about an utterance: the record behind the numbers."""

from __future__ import annotations

import msgspec
from litestar import get
from sqlalchemy import select

from models.api import CorrectionOut, VoiceCommandOut
from models.db import SetCorrection, VoiceCommand
from models.parsed import Alternative, ParsedSet
from server.auth import CurrentUser
from server.errors import NotFound, shown_id
from server.services import Services
from server.store.sets import require_set
from server.store.workouts import iso

__all__ = ["set_history", "voice_command"]


@get("/v1/sets/{set_id:str}/history", tags=["sets"], summary="Every correction of a set, oldest first")
async def set_history(set_id: str, user: CurrentUser, services: Services) -> list[CorrectionOut]:
    async with services.sessionmaker() as session:
        await require_set(session, user.id, set_id)
        rows = (
            await session.execute(
                select(SetCorrection)
                .where(SetCorrection.set_id == set_id, SetCorrection.user_id == user.id)
                .order_by(SetCorrection.at, SetCorrection.field)
            )
        ).scalars()
        return [
            CorrectionOut(
                id=r.id,
                set_id=r.set_id,
                field=r.field,
                old=r.old_value,
                new=r.new_value,
                source=r.source,
                voice_command_id=r.voice_command_id,
                at=iso(r.at) or "",
            )
            for r in rows
        ]


@get("/v1/voice-commands/{command_id:str}", tags=["sets"], summary="The full record of one utterance")
async def voice_command(command_id: str, user: CurrentUser, services: Services) -> VoiceCommandOut:
    async with services.sessionmaker() as session:
        c = (
            await session.execute(
                select(VoiceCommand).where(VoiceCommand.id == command_id, VoiceCommand.user_id == user.id)
            )
        ).scalar_one_or_none()
    if c is None:
        raise NotFound(f"no voice command {shown_id(command_id)}")
    return VoiceCommandOut(
        id=c.id,
        workout_id=c.workout_id,
        source=c.source,
        transcript=c.raw_transcript,
        normalized_text=c.normalized_text,
        intent=c.intent,
        action=c.action,
        parsed=msgspec.convert(c.parsed, ParsedSet),
        confidence=c.confidence,
        model_used=c.model_used,
        candidates=msgspec.convert(c.candidates or [], list[Alternative]),
        latency_ms=dict(c.latency_ms or {}),
        clarify_question=c.clarify_question,
        was_corrected=c.was_corrected,
        corrected_output=msgspec.convert(c.corrected_output, ParsedSet) if c.corrected_output else None,
        correction_type=c.correction_type,
        set_ids=list(c.result_set_ids or []),
        created_at=iso(c.created_at) or "",
        understand_path=[str(p) for p in c.understand_path or []],
        trace=dict(c.trace or {}),
        audio_duration_s=c.audio_duration_s,
        stt_ms=c.stt_ms,
        stt_model=c.stt_model,
    )
