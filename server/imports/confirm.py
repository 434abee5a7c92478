"""`POST /v1/imports/{id}/confirm`: the lifter names the exercise an unresolved export name meant (a catalog
id, one of their custom exercises, or a new custom exercise made from the name), and the rows kept raw
under that name become sets, in one transaction.

The rows are read again from their raw payloads by the provider's own parser (so they become exactly what
they would have become had the matcher known the name), joining the workouts their file's other rows made.
The name becomes one of the lifter's own aliases, so a later export, and their voice, resolve it by itself.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import Exercise
from models.db_imports import ExternalActivityRecord, ExternalIngestionRun
from server.errors import BadInput, NotFound, UnknownExercise
from server.exercises_custom import store as custom
from server.imports import store
from server.imports.rows import ImportRow
from server.imports.service import PARSERS, Plan
from server.learning.store import learn

__all__ = ["ConfirmIn", "ConfirmName", "confirm_names"]

# Strong's reader takes ';' with decimal commas, and a decimal point as well: either export reads back.
_DELIMITER = {"strong": ";", "hevy": ","}


class ConfirmName(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str
    """an unresolved name of the run, as `unresolved_names` lists it"""
    exercise_id: str | None = None
    create: bool = False
    """make a custom exercise of this name (or take the lifter's own of that name)"""


class ConfirmIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    names: list[ConfirmName]


def _reread(provider: str, raws: Sequence[dict[str, Any]], unit: str) -> list[ImportRow]:
    header = list(dict.fromkeys(k for raw in raws for k in raw))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=_DELIMITER[provider], lineterminator="\n")
    writer.writerow(header)
    for raw in raws:
        writer.writerow([raw.get(k, "") for k in header])
    return PARSERS[provider](out.getvalue(), unit=unit)


async def _target(session: AsyncSession, user_id: str, item: ConfirmName) -> str:
    if (item.exercise_id is None) == (not item.create):
        raise BadInput(f"{item.name!r}: send exactly one of exercise_id and create", code="invalid_input")
    if item.exercise_id is not None:
        if await custom.usable(session, user_id, item.exercise_id) is None:
            raise UnknownExercise(
                f"unknown exercise id {item.exercise_id!r}; GET /v1/exercises?q=... lists ids"
            )
        return item.exercise_id
    mine = (
        await session.execute(
            select(Exercise.id).where(Exercise.owner_id == user_id, Exercise.name == custom.clean(item.name))
        )
    ).scalar_one_or_none()
    if mine is not None:
        return str(mine)
    return (await custom.create(session, user_id, name=item.name)).id


async def confirm_names(
    session: AsyncSession, user_id: str, run_id: str, items: Sequence[ConfirmName], default_unit: str
) -> ExternalIngestionRun:
    if "\x00" in run_id:  # no id holds one (and PostgreSQL refuses it)
        raise NotFound(f"no import {run_id!r}")
    run = (
        await session.execute(
            select(ExternalIngestionRun)
            .where(ExternalIngestionRun.id == run_id, ExternalIngestionRun.user_id == user_id)
            .with_for_update()
        )
    ).scalar_one_or_none()
    if run is None:
        raise NotFound(f"no import {run_id}")
    if run.provider not in _DELIMITER:
        raise BadInput(f"a {run.provider} import has no exercise names to confirm", code="nothing_to_confirm")
    pending = {u["name"]: u for u in run.unresolved or []}
    if not items:
        raise BadInput("send at least one name to confirm", code="invalid_input")
    for item in items:
        if item.name not in pending:
            raise BadInput(
                f"{item.name!r} is not a name this import left unresolved; {sorted(pending)}",
                code="unknown_name",
            )
    targets = {item.name: await _target(session, user_id, item) for item in items}
    records = list(
        (
            await session.execute(
                select(ExternalActivityRecord).where(
                    ExternalActivityRecord.run_id == run.id,
                    ExternalActivityRecord.status == "unresolved",
                    ExternalActivityRecord.exercise_name.in_(list(targets)),
                )
            )
        ).scalars()
    )
    records.sort(key=lambda r: r.line or 0)
    unit = str((run.summary or {}).get("unit") or default_unit)
    rows = _reread(run.provider, [r.raw for r in records], unit)
    by_key = {r.external_id: r for r in records}
    known = await store.known_records(session, user_id, run.provider, [r.workout.key for r in rows])
    plan = Plan(user_id, run.provider, run.id, known)
    plan.numbers.update(
        await store.highest_set_numbers(session, [w for w in known.values() if w is not None])
    )
    for row in rows:
        plan.add(row, targets[row.exercise_name])
    made = [r for r in plan.records if r["status"] == "set"]
    await store.insert_rows(
        session,
        workouts=plan.workouts,
        sets=plan.sets,
        records=[r for r in plan.records if r["status"] != "set"],
    )
    for r in made:
        await session.execute(
            update(ExternalActivityRecord)
            .where(ExternalActivityRecord.id == by_key[r["external_id"]].id)
            .values(status="set", workout_id=r["workout_id"], set_id=r["set_id"])
        )
    for item in items:  # a custom exercise made from the name is found by that name already
        if item.exercise_id is not None:
            await learn(
                session,
                user_id=user_id,
                phrase=item.name,
                exercise_id=item.exercise_id,
                voice_command_id=None,
            )
    summary = dict(run.summary or {})
    confirmed = [
        *summary.get("confirmed", []),
        *({"name": n, "exercise_id": e, "rows": pending[n]["rows"]} for n, e in targets.items()),
    ]
    summary |= {
        "workouts": int(summary.get("workouts", 0)) + len(plan.workouts),
        "sets": int(summary.get("sets", 0)) + len(plan.sets),
        "unresolved": int(summary.get("unresolved", 0)) - len(made),
        "confirmed": confirmed,
    }
    volume = dict(summary.get("volume", {}))
    for u, v in plan.volume.items():
        volume[u] = round(float(volume.get(u, 0.0)) + v, 3)
    summary["volume"] = volume
    run.summary = summary
    run.unresolved = [u for n, u in pending.items() if n not in targets]
    await session.flush()
    return run
