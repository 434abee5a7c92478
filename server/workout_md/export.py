"""`voicelog export --format md`: one markdown file a workout, oldest first, named by day and id."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db import Workout
from server.workout_md.render import render_markdown
from server.workout_md.service import workout_doc

__all__ = ["markdown_files"]


async def markdown_files(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: str
) -> list[tuple[str, str]]:
    """(file name, markdown) for every workout of the user; the caller writes them (no file I/O here)."""
    files = []
    async with sessionmaker() as session:
        ids = (
            await session.execute(
                select(Workout.id).where(Workout.user_id == user_id).order_by(Workout.started_at, Workout.id)
            )
        ).scalars()
        for workout_id in list(ids):
            doc = await workout_doc(session, user_id, workout_id)
            files.append((f"{doc.started_at[:10]}-{workout_id}.md", render_markdown(doc)))
    return files
