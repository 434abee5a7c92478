"""Own aliases: learned when a lifter corrects the exercise of a set, read on every utterance of theirs.

Kept in the database (not in a process's memory), so every instance reads the same aliases and a
restart loses none; one indexed query per utterance.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import Exercise, ExerciseAlias, OwnAlias, utcnow

__all__ = ["MAX_PHRASE", "aliases_of", "forget", "learn", "phrases_of", "reader_phrases"]

MAX_PHRASE = 200  # characters, as the column holds


def _clean(phrase: str) -> str:
    return " ".join(phrase.lower().split())[:MAX_PHRASE]


async def learn(
    session: AsyncSession,
    *,
    user_id: str,
    phrase: str,
    exercise_id: str,
    voice_command_id: str | None,
    needs: int = 1,
) -> OwnAlias | None:
    """The lifter said `phrase` and meant `exercise_id`: remember it; it names the exercise once it was
    corrected so `needs` times (a correction of the same phrase to another exercise starts over).
    Returns the alias, or None when the phrase is empty."""
    said = _clean(phrase)
    if not said:
        return None
    row = (
        await session.execute(select(OwnAlias).where(OwnAlias.user_id == user_id, OwnAlias.phrase == said))
    ).scalar_one_or_none()
    if row is None:
        row = OwnAlias(
            user_id=user_id,
            phrase=said,
            exercise_id=exercise_id,
            voice_command_id=voice_command_id,
            times=1,
            needs=needs,
        )
        session.add(row)
    elif row.exercise_id == exercise_id:
        row.times, row.voice_command_id, row.created_at = row.times + 1, voice_command_id, utcnow()
    else:
        row.exercise_id, row.voice_command_id, row.created_at = exercise_id, voice_command_id, utcnow()
        row.times, row.needs = 1, needs
    return row


async def phrases_of(session: AsyncSession, user_id: str) -> dict[str, str]:
    """phrase -> exercise id of the aliases in force, for the reader."""
    rows = await session.execute(
        select(OwnAlias.phrase, OwnAlias.exercise_id).where(
            OwnAlias.user_id == user_id, OwnAlias.times >= OwnAlias.needs
        )
    )
    return {phrase: exercise_id for phrase, exercise_id in rows}


async def reader_phrases(session: AsyncSession, user_id: str) -> tuple[dict[str, str], dict[str, str]]:
    """What the reader takes from this lifter: (phrase -> exercise id, custom exercise id -> name).

    The name and aliases of each of their custom exercises are their phrases, as learned aliases are, so a
    custom exercise is matched for them (and no one else) the way an own alias is; a learned alias wins over
    a custom exercise's phrase, being the lifter's later word."""
    rows = await session.execute(
        select(Exercise.id, Exercise.name, ExerciseAlias.alias)
        .outerjoin(ExerciseAlias, ExerciseAlias.exercise_id == Exercise.id)
        .where(Exercise.owner_id == user_id)
    )
    phrases: dict[str, str] = {}
    names: dict[str, str] = {}
    for exercise_id, name, alias in rows:
        names[exercise_id] = name
        phrases[_clean(name)] = exercise_id
        if alias:
            phrases[_clean(alias)] = exercise_id
    phrases.update(await phrases_of(session, user_id))
    return phrases, names


async def aliases_of(session: AsyncSession, user_id: str) -> list[tuple[OwnAlias, str]]:
    """(alias, the exercise's name), oldest first; pending ones (not yet corrected often enough) too."""
    rows = await session.execute(
        select(OwnAlias, Exercise.name)
        .join(Exercise, Exercise.id == OwnAlias.exercise_id)
        .where(OwnAlias.user_id == user_id)
        .order_by(OwnAlias.created_at, OwnAlias.id)
    )
    return [(alias, name) for alias, name in rows]


async def forget(session: AsyncSession, user_id: str, alias_id: str) -> bool:
    """Remove one of the lifter's aliases; False when they have none with that id."""
    result = await session.execute(
        delete(OwnAlias).where(OwnAlias.id == alias_id, OwnAlias.user_id == user_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
