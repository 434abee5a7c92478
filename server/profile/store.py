"""The profile row and its ledger in the database. A change writes the new document and its patch in one
transaction; a concurrent change to the same profile loses the race on the ledger's (user, seq) key and is
retried on the state that won, so the ledger always replays to the stored document."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db_profile import ProfileRow, ProfileUpdate
from models.profile import ProfileUpdateOut, UpdateSource
from server.profile.ledger import DEFAULT_PROFILE, apply_patch, diff, patch_path, replay
from server.profile.versions import keep_bodyweight_change
from server.store.workouts import iso

__all__ = ["change_profile", "current_profile", "ledger", "profile_as_of", "replace_profile"]

_RETRIES = 5


async def current_profile(session: AsyncSession, user_id: str) -> tuple[dict[str, Any], int]:
    row = await session.get(ProfileRow, user_id)
    return (dict(row.data), row.revision) if row is not None else (DEFAULT_PROFILE, 0)


async def _commit_change(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: str,
    make_patch: Any,
    *,
    source: UpdateSource,
    reason: str | None,
    transcript: str | None,
    at: datetime | None,
) -> dict[str, Any]:
    for attempt in range(_RETRIES):
        try:
            async with sessionmaker() as session, session.begin():
                old, revision = await current_profile(session, user_id)
                patch, new = make_patch(old)  # raises PatchRefused before anything is written
                if new == old:
                    return new  # a no-op (a `test`, or a PUT of the same profile) is no change to keep
                when = at or datetime.now(UTC)
                row = await session.get(ProfileRow, user_id)
                if row is None:
                    session.add(ProfileRow(user_id=user_id, data=new, revision=1, updated_at=when))
                else:
                    row.data, row.revision, row.updated_at = new, revision + 1, when
                session.add(
                    ProfileUpdate(
                        user_id=user_id,
                        seq=revision + 1,
                        patch=patch,
                        path=patch_path(patch),
                        source=source,
                        reason=reason,
                        transcript=transcript,
                        created_at=when,
                    )
                )
                keep_bodyweight_change(session, user_id, old, new, when)
            return new
        except IntegrityError:
            if attempt == _RETRIES - 1:
                raise
    raise AssertionError("unreachable")


async def change_profile(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: str,
    patch: Any,
    *,
    source: UpdateSource = "user",
    reason: str | None = None,
    transcript: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Applies an RFC 6902 patch; the patch is kept exactly as sent."""
    return await _commit_change(
        sessionmaker,
        user_id,
        lambda old: (patch, apply_patch(old, patch)),
        source=source,
        reason=reason,
        transcript=transcript,
        at=at,
    )


async def replace_profile(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: str,
    document: dict[str, Any],
    *,
    source: UpdateSource = "user",
    reason: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """A whole profile; kept in the ledger as the patch from the old profile to it."""

    def make(old: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        target = apply_patch(old, [{"op": "replace", "path": "", "value": document}])
        return diff(old, target), target

    return await _commit_change(
        sessionmaker, user_id, make, source=source, reason=reason, transcript=None, at=at
    )


async def _rows(session: AsyncSession, user_id: str, before: datetime | None = None) -> list[ProfileUpdate]:
    query = select(ProfileUpdate).where(ProfileUpdate.user_id == user_id)
    if before is not None:
        query = query.where(ProfileUpdate.created_at < before)
    return list((await session.execute(query.order_by(ProfileUpdate.seq))).scalars())


async def profile_as_of(session: AsyncSession, user_id: str, day: date) -> dict[str, Any]:
    """The profile at the end of `day` (UTC), rebuilt from the ledger alone."""
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)
    return replay(r.patch for r in await _rows(session, user_id, end))


async def ledger(session: AsyncSession, user_id: str) -> list[ProfileUpdateOut]:
    return [
        ProfileUpdateOut(
            patch=r.patch,
            path=r.path,
            source=r.source,  # type: ignore[arg-type]
            reason=r.reason,
            created_at=iso(r.created_at) or "",
            transcript=r.transcript,
        )
        for r in await _rows(session, user_id)
    ]
