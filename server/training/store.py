"""Personal records in the database: detected in the transaction that logs a set, replayed after a change.

`record_new_sets` is the hot path (sets just logged, the newest of their exercise: compared with the
standing records only). `replay_since` re-runs detection over an exercise's sets from a moment on (a
correction, a deletion, a back-dated session): records that still hold keep their rows and ids, records
that no longer do are withdrawn, and the ones they had beaten stand again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Float, Table, bindparam, case, cast, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import WorkoutSet, new_id, utcnow
from models.db_training import PrRecord
from models.db_training_app import TrainingSettings
from models.training import PrOut
from server.store.workouts import iso
from server.training.formulas import KG_PER_LB, to_kg
from server.training.records import Book, Record, SetFact

__all__ = [
    "aware",
    "current_records",
    "formula_of",
    "pr_out",
    "record_new_sets",
    "records_of_sets",
    "replay_since",
]

_EPS = 1e-9


def aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _fact(row: WorkoutSet) -> SetFact:
    return SetFact(
        set_id=row.id,
        workout_id=row.workout_id,
        at=aware(row.created_at),
        weight=row.weight,
        unit=row.unit,
        reps=row.reps,
        duration_s=row.duration_s,
    )


def _record(row: Any, previous_kg: float | None = None) -> Record:
    return Record(
        id=row.id,
        pr_type=row.pr_type,
        key=row.key,
        value=row.value,
        value_kg=row.value_kg,
        weight=row.weight,
        unit=row.unit,
        reps=row.reps,
        estimated_1rm=row.estimated_1rm,
        set_id=row.set_id,
        workout_id=row.workout_id,
        previous_pr_id=row.previous_pr_id,
        previous_value_kg=previous_kg,
        improvement_percent=row.improvement_percent,
        achieved_at=aware(row.achieved_at),
        formula=row.formula,
    )


def _write(row: PrRecord, rec: Record) -> None:
    for field in (
        "pr_type", "key", "value", "value_kg", "weight", "unit", "reps", "estimated_1rm", "set_id",
        "workout_id", "previous_pr_id", "improvement_percent", "achieved_at", "formula",
    ):  # fmt: skip
        setattr(row, field, getattr(rec, field))


def _new_row(user_id: str, exercise_id: str, rec: Record) -> PrRecord:
    row = PrRecord(id=rec.id, user_id=user_id, exercise_id=exercise_id, current=True)
    _write(row, rec)
    return row


def pr_out(exercise_id: str, rec: Record | PrRecord) -> PrOut:
    def r2(v: float | None) -> float | None:
        return None if v is None else round(v, 2)

    return PrOut(
        id=rec.id,
        pr_type=rec.pr_type,
        value=round(rec.value, 2),
        weight=rec.weight,
        reps=rec.reps,
        unit=rec.unit,
        estimated_1rm=r2(rec.estimated_1rm),
        previous_pr_id=rec.previous_pr_id,
        improvement_percent=r2(rec.improvement_percent),
        exercise_id=exercise_id,
        set_id=rec.set_id,
        achieved_at=iso(rec.achieved_at) or "",
    )


async def _previous_kg(session: AsyncSession, ids: Iterable[str | None]) -> dict[str, float]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = await session.execute(select(PrRecord.id, PrRecord.value_kg).where(PrRecord.id.in_(wanted)))
    return {i: v for i, v in rows}


async def current_records(
    session: AsyncSession, user_id: str, exercise_id: str, *, reps_from_kg: float | None = None
) -> list[PrRecord]:
    """The standing records of the exercise. With `reps_from_kg`, of the reps-at-weight records only
    those at that weight or heavier: all a set of that weight can beat or be dominated by (a long
    history has one per weight ever lifted)."""
    query = select(PrRecord).where(
        PrRecord.user_id == user_id, PrRecord.exercise_id == exercise_id, PrRecord.current.is_(True)
    )
    if reps_from_kg is not None:
        query = query.where(
            or_(PrRecord.pr_type != "reps_at_weight", cast(PrRecord.key, Float) >= reps_from_kg - 0.005)
        )
    return list((await session.execute(query)).scalars())


async def records_of_sets(session: AsyncSession, set_ids: Sequence[str]) -> list[PrRecord]:
    """The records these sets hold or held and were not withdrawn (a retried utterance answers them)."""
    if not set_ids:
        return []
    return list(
        (
            await session.execute(
                select(PrRecord)
                .where(PrRecord.set_id.in_(list(set_ids)), PrRecord.withdrawn_at.is_(None))
                .order_by(PrRecord.achieved_at)
            )
        ).scalars()
    )


async def formula_of(session: AsyncSession, user_id: str) -> str:
    """The lifter's 1RM formula (training settings; Epley without)."""
    chosen = await session.scalar(
        select(TrainingSettings.e1rm_formula).where(TrainingSettings.user_id == user_id)
    )
    return chosen or "epley"


async def record_new_sets(
    session: AsyncSession, user_id: str, rows: Sequence[WorkoutSet], formula: str | None = None
) -> list[PrOut]:
    """Detect the records of sets just added (the newest of their exercise) and store them.

    The hot path of logging: one prebuilt statement reads the standing records (as plain rows, not ORM
    objects) with the workout's tonnage, and the few records made are written with Core statements.
    Building the query and loading ORM objects each time had cost more than the round trip itself."""
    made: list[PrOut] = []
    by_exercise: dict[str, list[WorkoutSet]] = defaultdict(list)
    for r in rows:
        by_exercise[r.exercise_id].append(r)
    for exercise_id, sets in by_exercise.items():
        lightest = min((to_kg(s.weight, s.unit) if s.weight and s.weight > 0 else 0.0) for s in sets)
        workouts = {s.workout_id for s in sets}
        standing, tonnage = await _standing_and_tonnage(session, user_id, exercise_id, lightest, sets)
        if formula is None:  # the standing records carry it (a change of formula replays them all)
            formula = standing[0].formula if standing else await formula_of(session, user_id)
        if not standing and await _has_history(session, user_id, exercise_id, [s.id for s in sets]):
            # Sets without records (logged before records existed): build them once, these sets included.
            new_ids = {s.id for s in sets}
            replayed = await replay_since(session, user_id, exercise_id, _EPOCH, formula)
            made.extend(p for p in replayed if p.set_id in new_ids)
            continue
        if tonnage is None:
            tonnage = await _session_kg(session, exercise_id, workouts, [s.id for s in sets])
        book = Book(
            {(s.pr_type, s.key): _record(s, _beaten_kg(s)) for s in standing},
            tonnage,
            formula=formula,
            new_id=new_id,
        )
        records: dict[str, Record] = {}
        for new in sets:
            for rec in book.detect(_fact(new)):
                records[rec.id] = rec
        if not records:
            continue
        held_ids = {held.id for held in standing}
        standing_ids = {rec.id for rec in book.current.values()}
        beaten = [i for i in held_ids if i not in standing_ids]
        if beaten:
            await session.execute(update(_PR).where(_PR.c.id.in_(beaten)).values(current=False))
        inserts = []
        for rec in records.values():
            values = {f: getattr(rec, f) for f in _FIELDS}
            if rec.id in held_ids:  # the workout's volume record, raised in place
                values["current"] = rec.id in standing_ids
                await session.execute(update(_PR).where(_PR.c.id == rec.id).values(**values))
            else:
                inserts.append(
                    {**values, "id": rec.id, "user_id": user_id, "exercise_id": exercise_id,
                     "current": rec.id in standing_ids, "withdrawn_at": None}
                )  # fmt: skip
            made.append(pr_out(exercise_id, rec))
        if inserts:
            await session.execute(insert(_PR), inserts)
    return made


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PR: Table = PrRecord.__table__  # type: ignore[assignment]
_FIELDS = (
    "pr_type", "key", "value", "value_kg", "weight", "unit", "reps", "estimated_1rm", "set_id",
    "workout_id", "previous_pr_id", "improvement_percent", "achieved_at", "formula",
)  # fmt: skip


async def _has_history(session: AsyncSession, user_id: str, exercise_id: str, excluding: list[str]) -> bool:
    found = await session.execute(
        select(WorkoutSet.id)
        .where(
            WorkoutSet.user_id == user_id,
            WorkoutSet.exercise_id == exercise_id,
            WorkoutSet.id.notin_(excluding),
        )
        .limit(1)
    )
    return found.first() is not None


def _beaten_kg(row: Any) -> float | None:
    """The value the record beat, from its improvement (kept unrounded): saves the hot path a read."""
    if row.improvement_percent is None:
        return None
    return float(row.value_kg / (1 + row.improvement_percent / 100))


def _standing_statements() -> tuple[Any, Any]:
    """Built once: (standing records with the workout's tonnage before the new sets, standing records
    alone). Reps-at-weight records only at the lightest new set's weight or heavier: all it can beat or
    be dominated by (a long history has one per weight ever lifted)."""
    kg = case((WorkoutSet.unit == "lb", WorkoutSet.weight * KG_PER_LB), else_=WorkoutSet.weight)
    tonnage = (
        select(func.coalesce(func.sum(kg * WorkoutSet.reps), 0.0))
        .where(
            WorkoutSet.workout_id == bindparam("workout_id"),
            WorkoutSet.exercise_id == bindparam("exercise_id"),
            WorkoutSet.weight > 0,
            WorkoutSet.reps > 0,
            WorkoutSet.id.notin_(bindparam("new_ids", expanding=True)),
        )
        .scalar_subquery()
    )
    where = (
        _PR.c.user_id == bindparam("user_id"),
        _PR.c.exercise_id == bindparam("exercise_id"),
        _PR.c.current.is_(True),
        or_(_PR.c.pr_type != "reps_at_weight", cast(_PR.c.key, Float) >= bindparam("from_kg")),
    )
    return select(*_PR.c, tonnage.label("tonnage")).where(*where), select(*_PR.c).where(*where)


_WITH_TONNAGE, _STANDING = _standing_statements()


async def _standing_and_tonnage(
    session: AsyncSession, user_id: str, exercise_id: str, lightest_kg: float, sets: Sequence[WorkoutSet]
) -> tuple[list[Any], dict[str, float] | None]:
    """The standing records (rows) and, in the same round trip, the workout's tonnage of the exercise
    before these sets (kg). None for the tonnage when it could not come along (no standing record, or
    sets of several workouts): the caller asks for it on its own."""
    params = {"user_id": user_id, "exercise_id": exercise_id, "from_kg": lightest_kg - 0.005}
    workouts = {s.workout_id for s in sets}
    if len(workouts) != 1:
        return list(await session.execute(_STANDING, params)), None
    (workout_id,) = workouts
    rows = list(
        await session.execute(
            _WITH_TONNAGE, {**params, "workout_id": workout_id, "new_ids": [s.id for s in sets]}
        )
    )
    if not rows:
        return [], None
    return rows, {workout_id: float(rows[0].tonnage or 0.0)}


async def _session_kg(
    session: AsyncSession,
    exercise_id: str,
    workout_ids: set[str],
    excluding: Sequence[str],
    before: datetime | None = None,
) -> dict[str, float]:
    """Each workout's tonnage of the exercise (kg) from sets not being replayed."""
    query = select(WorkoutSet.workout_id, WorkoutSet.weight, WorkoutSet.unit, WorkoutSet.reps).where(
        WorkoutSet.workout_id.in_(workout_ids), WorkoutSet.exercise_id == exercise_id
    )
    if excluding:
        query = query.where(WorkoutSet.id.notin_(list(excluding)))
    if before is not None:
        query = query.where(WorkoutSet.created_at < before)
    totals: dict[str, float] = defaultdict(float)
    for workout_id, weight, unit, reps in await session.execute(query):
        if weight and reps and weight > 0 and reps > 0:
            totals[workout_id] += to_kg(weight, unit) * reps
    return dict(totals)


async def replay_since(
    session: AsyncSession, user_id: str, exercise_id: str, since: datetime, formula: str = "epley"
) -> list[PrOut]:
    """Re-detect the exercise's records from `since` on; returns the records that are new."""
    await session.flush()
    since = aware(since)
    rows = list(
        (
            await session.execute(
                select(PrRecord)
                .where(
                    PrRecord.user_id == user_id,
                    PrRecord.exercise_id == exercise_id,
                    PrRecord.withdrawn_at.is_(None),
                )
                .order_by(PrRecord.achieved_at)
            )
        ).scalars()
    )
    kept = [r for r in rows if aware(r.achieved_at) < since]
    replaced = {(r.pr_type, r.key, r.set_id): r for r in rows if aware(r.achieved_at) >= since}
    standing: dict[tuple[str, str], PrRecord] = {}
    for r in kept:  # records only grow: the newest of each key as of `since` is the one standing
        standing[(r.pr_type, r.key)] = r
    previous = await _previous_kg(session, (r.previous_pr_id for r in standing.values()))
    sets = list(
        (
            await session.execute(
                select(WorkoutSet)
                .where(
                    WorkoutSet.user_id == user_id,
                    WorkoutSet.exercise_id == exercise_id,
                    WorkoutSet.created_at >= since,
                )
                .order_by(WorkoutSet.created_at, WorkoutSet.set_number, WorkoutSet.id)
            )
        ).scalars()
    )
    book = Book(
        {k: _record(r, previous.get(r.previous_pr_id or "")) for k, r in standing.items()},
        await _session_kg(session, exercise_id, {s.workout_id for s in sets}, (), before=since),
        formula=formula,
        new_id=new_id,
    )
    emitted: dict[str, Record] = {}
    for s in sets:
        for rec in book.detect(_fact(s)):
            emitted[rec.id] = rec  # a workout's volume record raised in place keeps its first place
    # Records that came out as they were stored keep their row (and id); the rest are new.
    remap: dict[str, str] = {}
    reused: set[str] = set()
    for rec in emitted.values():
        rec.previous_pr_id = remap.get(rec.previous_pr_id or "", rec.previous_pr_id)
        old = replaced.get((rec.pr_type, rec.key, rec.set_id))
        if (
            old is not None
            and old.id not in reused
            and abs(old.value_kg - rec.value_kg) <= _EPS
            and old.previous_pr_id == rec.previous_pr_id
        ):
            remap[rec.id] = old.id
            rec.id = old.id
            reused.add(old.id)
    standing_ids = {remap.get(r.id, r.id) for r in book.current.values()}
    now = utcnow()
    for r in rows:
        if r.id in reused or aware(r.achieved_at) < since:
            r.current = r.id in standing_ids
        else:
            r.current = False
            r.withdrawn_at = now
    by_id = {r.id: r for r in rows}
    made: list[PrOut] = []
    for rec in emitted.values():
        row = by_id.get(rec.id)
        if row is None or row.id not in reused:
            if row is None:
                row = _new_row(user_id, exercise_id, rec)
                session.add(row)
            else:  # a kept workout-volume row raised by the replay
                _write(row, rec)
            made.append(pr_out(exercise_id, rec))
        row.current = rec.id in standing_ids
    await session.flush()
    return made
