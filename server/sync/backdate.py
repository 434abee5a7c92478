"""Work done offline is logged when it was done: an utterance's sets and record take the time it was said."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db import VoiceCommand, WorkoutSet

__all__ = ["backdate"]


async def backdate(
    sessionmaker: async_sessionmaker[AsyncSession],
    set_ids: Sequence[str],
    voice_command_id: str,
    at: datetime,
) -> None:
    async with sessionmaker() as session, session.begin():
        if set_ids:
            await session.execute(
                update(WorkoutSet).where(WorkoutSet.id.in_(list(set_ids))).values(created_at=at)
            )
        await session.execute(
            update(VoiceCommand).where(VoiceCommand.id == voice_command_id).values(created_at=at)
        )
