"""What the logging pipeline calls, inside its own transaction, so records never lag the sets behind them.

The pipeline (and only it) imports this module; nothing here imports the pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import User, WorkoutSet
from models.training import PrOut
from server.store.lifter_lock import is_held, mark_held
from server.training.store import aware, formula_of, record_new_sets, replay_since

__all__ = ["Touched", "records_after_change", "records_of_new_sets", "touched"]

Touched = list[tuple[str, datetime]]
"""(exercise id, the set's time) of sets about to change: their records are replayed from there."""


def touched(rows: Sequence[WorkoutSet]) -> Touched:
    return [(r.exercise_id, aware(r.created_at)) for r in rows]


async def _one_writer(session: AsyncSession, user_id: str) -> None:
    """Two of a lifter's sets logged at once (two devices, two workouts) must not both replace the same
    standing record: on PostgreSQL their record work queues on the lifter's row. SQLite has one writer."""
    if session.get_bind().dialect.name != "sqlite" and not is_held(session.sync_session, user_id):
        # NO KEY UPDATE: the transaction's own inserts already hold KEY SHARE on the row (foreign keys);
        # a plain FOR UPDATE would wait on the other writer's KEY SHARE and deadlock with it. The sync
        # journal's flush has usually taken it already (server.store.lifter_lock).
        await session.execute(select(User.id).where(User.id == user_id).with_for_update(key_share=True))
        mark_held(session.sync_session, user_id)


async def records_of_new_sets(session: AsyncSession, user_id: str, rows: Sequence[WorkoutSet]) -> list[PrOut]:
    """The records the just-added sets make (the pipeline's `logged` carries them)."""
    await session.flush()
    await _one_writer(session, user_id)
    return await record_new_sets(session, user_id, rows)


async def records_after_change(
    session: AsyncSession, user_id: str, before: Touched, after: Sequence[WorkoutSet] = ()
) -> list[PrOut]:
    """Replay every exercise the change touched (before and after it) from the earliest changed set:
    a record whose set was corrected down or deleted is withdrawn and the one it beat stands again.
    Returns the records that are new, i.e. made by the corrected sets."""
    since: dict[str, datetime] = {}
    for exercise_id, at in [*before, *touched(after)]:
        since[exercise_id] = min(at, since.get(exercise_id, at))
    await _one_writer(session, user_id)
    made: list[PrOut] = []
    formula = await formula_of(session, user_id) if since else "epley"
    for exercise_id, at in since.items():
        made.extend(await replay_since(session, user_id, exercise_id, at, formula))
    return made
