"""`GET /v1/exercises?q=` over a lifter's custom exercises: their names and aliases, scored 0..1 as the
catalog's hits are, so the two rank together."""

from __future__ import annotations

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.api import ExerciseHit
from models.db import Exercise, ExerciseAlias

__all__ = ["MIN_SCORE", "search_own"]

MIN_SCORE = 0.5
"""below this a custom exercise is not offered (the catalog's weak hits still are: they are ranked)"""


async def search_own(session: AsyncSession, user_id: str, q: str) -> list[ExerciseHit]:
    rows = await session.execute(
        select(Exercise.id, Exercise.name, ExerciseAlias.alias)
        .outerjoin(ExerciseAlias, ExerciseAlias.exercise_id == Exercise.id)
        .where(Exercise.owner_id == user_id)
    )
    best: dict[str, tuple[str, float]] = {}
    query = q.lower().strip()
    for exercise_id, name, alias in rows:
        for phrase in (name, alias):
            if phrase:
                score = fuzz.token_set_ratio(query, phrase.lower()) / 100.0
                if score > best.get(exercise_id, (name, -1.0))[1]:
                    best[exercise_id] = (name, score)
    return [
        ExerciseHit(id=i, name=name, score=round(score, 4))
        for i, (name, score) in best.items()
        if score >= MIN_SCORE
    ]
