"""Custom exercises: rows of `exercises` with an owner, their aliases in `exercise_aliases`.

The reader finds them through the lifter's own phrases (`server/learning/store.reader_phrases`): the name
and every alias of each custom exercise is one of the lifter's phrases, as a learned alias is.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import Exercise, ExerciseAlias, User, utcnow
from models.db_sync import SyncJournal
from server.errors import BadInput, DomainError
from server.sync.journal import journal_rows

__all__ = [
    "CUSTOM_PREFIX",
    "ExerciseExists",
    "aliases_of",
    "clean",
    "create",
    "ensure_free",
    "journal",
    "list_own",
    "new_custom_id",
    "owned",
    "rename",
    "replace_aliases",
    "usable",
    "visible_to",
]

CUSTOM_PREFIX = "custom-"
"""custom ids never collide with catalog ids (free-exercise-db ids have no such prefix)"""


def new_custom_id() -> str:
    """`custom-` and 29 hex digits of a UUID4: 36 characters, as every id column of sync holds."""
    return f"{CUSTOM_PREFIX}{uuid.uuid4().hex[:29]}"


class ExerciseExists(DomainError):
    status = 409
    code = "exercise_exists"


def clean(text: str) -> str:
    if "\x00" in text:  # PostgreSQL refuses NUL in text: a clear 400, never a 500
        raise BadInput("a name or alias may not hold a NUL character", code="invalid_input")
    return " ".join(text.split())


def _key(text: str) -> str:
    return clean(text).lower()


async def owned(session: AsyncSession, user_id: str, exercise_id: str) -> Exercise | None:
    if "\x00" in exercise_id:  # no id holds one (and PostgreSQL refuses it)
        return None
    row = await session.get(Exercise, exercise_id)
    return row if row is not None and row.owner_id == user_id else None


async def usable(session: AsyncSession, user_id: str, exercise_id: str) -> Exercise | None:
    """The catalog's exercise or one of the lifter's own; None for an unknown id or another lifter's."""
    if "\x00" in exercise_id:
        return None
    row = await session.get(Exercise, exercise_id)
    if row is None or row.owner_id not in (None, user_id):
        return None
    return row


async def ensure_free(session: AsyncSession, user_id: str, name: str, skip: str | None) -> None:
    """A custom exercise may not take a catalog name (log that one by its id) nor another of the lifter's."""
    query = select(Exercise.id, Exercise.owner_id).where(
        visible_to(user_id), func.lower(Exercise.name) == _key(name)
    )
    if skip is not None:
        query = query.where(Exercise.id != skip)
    found = (await session.execute(query)).first()
    if found is not None:
        whose = "a catalog exercise" if found.owner_id is None else "your custom exercise"
        raise ExerciseExists(f"{clean(name)!r} is {whose} already: {found.id}")


async def journal(session: AsyncSession, user_id: str, exercise_id: str) -> None:
    """A pull's next page holds the exercise (its aliases change by Core writes, which the ORM hook does not
    see); the lifter is held as every journal writer holds them, so positions commit in order."""
    await session.execute(select(User.id).where(User.id == user_id).with_for_update(key_share=True))
    await session.execute(insert(SyncJournal), journal_rows(user_id, "exercise", [exercise_id]))


async def create(
    session: AsyncSession,
    user_id: str,
    *,
    name: str,
    aliases: Sequence[str] = (),
    equipment: str | None = None,
    category: str | None = None,
) -> Exercise:
    if not clean(name):
        raise BadInput("a custom exercise needs a name", code="invalid_input")
    await ensure_free(session, user_id, name, None)
    row = Exercise(
        id=new_custom_id(),
        name=clean(name),
        equipment=equipment,
        category=category,
        owner_id=user_id,
        created_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    await replace_aliases(session, row.id, aliases)
    await journal(session, user_id, row.id)
    return row


async def rename(session: AsyncSession, row: Exercise, name: str) -> None:
    assert row.owner_id is not None
    if not clean(name):
        raise BadInput("a custom exercise needs a name", code="invalid_input")
    await ensure_free(session, row.owner_id, name, row.id)
    row.name = clean(name)


async def replace_aliases(session: AsyncSession, exercise_id: str, aliases: Sequence[str]) -> list[str]:
    kept: dict[str, str] = {}
    for alias in aliases:
        if clean(alias):
            kept.setdefault(_key(alias), clean(alias).lower())
    await session.execute(delete(ExerciseAlias).where(ExerciseAlias.exercise_id == exercise_id))
    if kept:
        await session.execute(
            insert(ExerciseAlias), [{"exercise_id": exercise_id, "alias": a} for a in sorted(kept.values())]
        )
    return sorted(kept.values())


async def aliases_of(session: AsyncSession, ids: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = await session.execute(
        select(ExerciseAlias.exercise_id, ExerciseAlias.alias)
        .where(ExerciseAlias.exercise_id.in_(list(ids)))
        .order_by(ExerciseAlias.alias)
    )
    for exercise_id, alias in rows:
        out[exercise_id].append(alias)
    return out


async def list_own(session: AsyncSession, user_id: str) -> list[tuple[Exercise, list[str]]]:
    rows = list(
        (
            await session.execute(
                select(Exercise)
                .where(Exercise.owner_id == user_id)
                .order_by(Exercise.created_at, Exercise.id)
            )
        ).scalars()
    )
    aliases = await aliases_of(session, [r.id for r in rows])
    return [(r, aliases[r.id]) for r in rows]


def visible_to(user_id: str) -> ColumnElement[bool]:
    """A WHERE clause: the catalog's exercises and this lifter's own."""
    return or_(Exercise.owner_id.is_(None), Exercise.owner_id == user_id)
