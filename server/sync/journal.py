"""The change journal: every workout and set written through the ORM, by any room, gets a journal row in
the same transaction (a cursor is a journal position). Server corrections and deletions also update the
set's merge state, so a device that had not seen them cannot silently undo them.

Installed once per process by `install()` (from `open_database`); bulk writes that bypass the ORM
(imports) journal themselves with `journal_rows`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from models.db import SetCorrection, User, Workout, WorkoutSet, utcnow
from models.db_sync import SyncJournal, SyncRecord
from server.store.lifter_lock import is_held, mark_held
from server.sync.merge import SERVER, State, stamp, stamp_time

__all__ = [
    "SYNC_WRITER",
    "install",
    "journal_rows",
    "load_state",
    "save_state",
    "set_values",
    "state_columns",
    "to_state",
]

SYNC_WRITER = "voicelog_sync_writer"
"""`session.info` key the sync service sets: it keeps merge state itself, the journal only journals."""


def set_values(row: WorkoutSet) -> dict[str, Any]:
    """A set row as merge-state values (the load is one field: weight and unit change together)."""
    return {
        "workout_id": row.workout_id,
        "exercise_id": row.exercise_id,
        "reps": row.reps,
        "load": [row.weight, row.unit] if row.weight is not None else None,
        "rpe": row.rpe,
        "duration_s": row.duration_s,
        "performed_at": stamp_time(row.created_at) if row.created_at else None,
    }


_FIELD = {"weight": "load", "unit": "load"}


def journal_rows(user_id: str, kind: str, ids: Iterable[str]) -> list[dict[str, Any]]:
    now = utcnow()
    return [{"user_id": user_id, "kind": kind, "entity_id": i, "at": now} for i in ids]


def load_state(
    conn: Connection | Session, user_id: str, kind: str, entity_id: str
) -> tuple[str | None, State]:
    row = conn.execute(
        select(SyncRecord.id, SyncRecord.values, SyncRecord.stamps, SyncRecord.deleted).where(
            SyncRecord.user_id == user_id, SyncRecord.kind == kind, SyncRecord.entity_id == entity_id
        )
    ).one_or_none()
    if row is None:
        return None, State()
    return row.id, to_state(row.values, row.stamps, row.deleted)


def to_state(values: dict[str, Any], stamps: dict[str, Any], deleted: list[Any] | None) -> State:
    return State(
        values=dict(values or {}),
        stamps=dict((stamps or {}).get("fields", {})),
        pins=dict((stamps or {}).get("pins", {})),
        earliest=dict((stamps or {}).get("earliest", {})),
        deleted=deleted,
    )


def state_columns(state: State) -> dict[str, Any]:
    return {
        "values": state.values,
        "stamps": {"fields": state.stamps, "pins": state.pins, "earliest": state.earliest},
        "deleted": state.deleted,
    }


def save_state(
    conn: Connection | Session,
    record_id: str | None,
    *,
    user_id: str,
    kind: str,
    entity_id: str,
    state: State,
    client_id: str | None = None,
) -> None:
    if record_id is None:
        conn.execute(
            insert(SyncRecord).values(
                user_id=user_id, kind=kind, entity_id=entity_id, client_id=client_id, **state_columns(state)
            )
        )
    else:
        conn.execute(update(SyncRecord).where(SyncRecord.id == record_id).values(**state_columns(state)))


def _server_state(conn: Connection, row: WorkoutSet) -> tuple[str | None, State]:
    """The set's merge state; a set never synced starts from its row, stamped when it was logged."""
    record_id, state = load_state(conn, row.user_id, "set", row.id)
    if record_id is None:
        logged = stamp_time(row.created_at or utcnow())
        state.values = set_values(row)
        state.stamps = {f: stamp(logged, v, rank=SERVER) for f, v in state.values.items()}
    return record_id, state


def _after_flush(session: Session, _context: Any) -> None:
    touched: dict[tuple[str, str, str], None] = {}
    dirty = (o for o in session.dirty if session.is_modified(o))
    for obj in itertools.chain(session.new, dirty, session.deleted):
        if isinstance(obj, Workout):
            touched[(obj.user_id, "workout", obj.id)] = None
        elif isinstance(obj, WorkoutSet):
            touched[(obj.user_id, "set", obj.id)] = None
    if not touched:
        return
    conn = session.connection()
    # Journal positions must commit in order per lifter, or a pull could pass a position whose
    # transaction commits later and miss it. Holding the lifter's row (FOR NO KEY UPDATE, so the foreign
    # keys' KEY SHARE locks never deadlock with it) from here to commit orders them; SQLite has one writer.
    for user_id in sorted({u for u, _k, _i in touched}):
        if not is_held(session, user_id):
            conn.execute(select(User.id).where(User.id == user_id).with_for_update(key_share=True))
            mark_held(session, user_id)
    now = utcnow()
    conn.execute(
        insert(SyncJournal), [{"user_id": u, "kind": k, "entity_id": i, "at": now} for u, k, i in touched]
    )
    if session.info.get(SYNC_WRITER):
        return
    corrections = [o for o in session.new if isinstance(o, SetCorrection)]
    deleted = [o for o in session.deleted if isinstance(o, WorkoutSet)]
    gone_workouts = [o for o in session.deleted if isinstance(o, Workout)]
    if not corrections and not deleted and not gone_workouts:
        return
    seq = int(conn.execute(select(func.max(SyncJournal.seq))).scalar() or 0)
    at = stamp_time(now)
    by_set: dict[str, list[SetCorrection]] = {}
    for c in corrections:
        by_set.setdefault(c.set_id, []).append(c)
    for set_id, changes in by_set.items():
        row = session.identity_map.get(identity_key(WorkoutSet, set_id))
        if not isinstance(row, WorkoutSet) or row in session.deleted:
            continue
        record_id, state = _server_state(conn, row)
        current = set_values(row)
        for field in {_FIELD.get(c.field, c.field) for c in changes}:
            state.values[field] = current.get(field)
            state.stamps[field] = stamp(at, current.get(field), rank=SERVER, seq=seq)
            state.pins[field] = seq
        save_state(conn, record_id, user_id=row.user_id, kind="set", entity_id=row.id, state=state)
    for row in deleted:
        record_id, state = _server_state(conn, row)
        state.deleted = stamp(at, None, rank=SERVER, seq=seq)
        save_state(conn, record_id, user_id=row.user_id, kind="set", entity_id=row.id, state=state)
    for workout in gone_workouts:  # a tombstone, so a device's older edit does not bring it back
        record_id, state = load_state(conn, workout.user_id, "workout", workout.id)
        if record_id is None:
            state.values = {"name": workout.name, "started_at": stamp_time(workout.started_at)}
            state.stamps = {
                f: stamp(stamp_time(workout.started_at), v, rank=SERVER) for f, v in state.values.items()
            }
        state.deleted = stamp(at, None, rank=SERVER, seq=seq)
        save_state(
            conn, record_id, user_id=workout.user_id, kind="workout", entity_id=workout.id, state=state
        )


def install() -> None:
    """Idempotent: one listener on every ORM session of the process."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
