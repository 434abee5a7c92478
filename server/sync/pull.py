"""What a device pulls: the current state of every workout, set and custom exercise journaled after its
cursor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.db import Exercise, Workout, WorkoutSet
from models.sync import ServerChange
from server.exercises_custom import store as custom
from server.store.workouts import iso
from server.sync import store

__all__ = ["PULL_LIMIT", "entries", "own_exercises", "since"]

PULL_LIMIT = 1000
"""records per answer; `more` says to sync again from the cursor given"""


async def since(session: AsyncSession, user_id: str, cursor: int) -> tuple[list[ServerChange], int, bool]:
    page, more = await store.journal_page(session, user_id, cursor, PULL_LIMIT)
    changes = await entries(session, user_id, page)
    return changes, max([cursor, *(seq for _k, _e, seq in page)]), more


async def own_exercises(session: AsyncSession, user_id: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    rows = await store.rows_by_id(session, Exercise, user_id, ids, owner="owner_id")
    aliases = await custom.aliases_of(session, list(rows))
    return {
        i: {"id": i, "name": r.name, "aliases": aliases[i], "equipment": r.equipment, "category": r.category}
        for i, r in rows.items()
    }


async def entries(
    session: AsyncSession, user_id: str, items: Sequence[tuple[str, str, int]]
) -> list[ServerChange]:
    """One ServerChange per (kind, entity id, seq): an upsert of what is there, or the deletion of a set or
    workout that is not there any more."""
    set_ids = [e for k, e, _ in items if k == "set"]
    sets = await store.rows_by_id(session, WorkoutSet, user_id, set_ids)
    workout_ids = [e for k, e, _ in items if k == "workout"] + [s.workout_id for s in sets.values()]
    workouts = await store.rows_by_id(session, Workout, user_id, workout_ids)
    set_clients = await store.client_ids(session, user_id, "set", set_ids)
    workout_clients = await store.client_ids(session, user_id, "workout", list(set(workout_ids)))
    # a deleted workout's client id, too, so the phone knows which of its workouts went
    names = await store.exercise_names(session, [s.exercise_id for s in sets.values()])
    exercise_ids = [e for k, e, _ in items if k == "exercise"]
    exercises = await own_exercises(session, user_id, exercise_ids)
    exercise_clients = await store.client_ids(session, user_id, "exercise", exercise_ids)
    out: list[ServerChange] = []
    for kind, entity_id, seq in items:
        if kind == "exercise":
            if entity_id in exercises:
                data = exercises[entity_id]
                out.append(
                    ServerChange(
                        seq=seq,
                        op="upsert_exercise",
                        id=entity_id,
                        client_id=exercise_clients.get(entity_id),
                        data=data,
                    )
                )
            continue
        if kind == "workout":
            w = workouts.get(entity_id)
            if w is None:  # the journal is the lifter's own: a workout it names that is gone was deleted
                out.append(
                    ServerChange(
                        seq=seq,
                        op="delete_workout",
                        id=entity_id,
                        client_id=workout_clients.get(entity_id),
                        data={},
                    )
                )
                continue
            out.append(
                ServerChange(
                    seq=seq,
                    op="upsert_workout",
                    id=w.id,
                    client_id=workout_clients.get(w.id),
                    data={
                        "id": w.id,
                        "name": w.name,
                        "started_at": iso(w.started_at),
                        "ended_at": iso(w.ended_at),
                    },
                )
            )
            continue
        s = sets.get(entity_id)
        if s is None:
            out.append(
                ServerChange(
                    seq=seq, op="delete_set", id=entity_id, client_id=set_clients.get(entity_id), data={}
                )
            )
            continue
        out.append(
            ServerChange(
                seq=seq,
                op="upsert_set",
                id=s.id,
                client_id=set_clients.get(s.id),
                data={
                    "id": s.id,
                    "workout_id": s.workout_id,
                    "workout_client_id": workout_clients.get(s.workout_id),
                    "exercise_id": s.exercise_id,
                    "exercise": {"id": s.exercise_id, "name": names.get(s.exercise_id, s.exercise_id)},
                    "set_number": s.set_number,
                    "reps": s.reps,
                    "weight": s.weight,
                    "unit": s.unit,
                    "rpe": s.rpe,
                    "duration_s": s.duration_s,
                    "performed_at": iso(s.created_at),
                    "voice_command_id": s.voice_command_id,
                    "corrected": bool(s.corrected),
                },
            )
        )
    return out
