"""What other rooms ask of the profile: its AI context for a day, read from the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from server.imports.biometrics import latest_body_mass
from server.profile.context import ProfileContext, build_context
from server.profile.prs import logged_prs
from server.profile.store import current_profile, profile_as_of

__all__ = ["load_context"]


async def load_context(session: AsyncSession, user_id: str, as_of: date | None = None) -> ProfileContext:
    """The context as of the end of `as_of` (UTC); today's when None."""
    today = datetime.now(UTC).date()
    day = as_of or today
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)
    if day >= today:
        profile = (await current_profile(session, user_id))[0]
    else:
        profile = await profile_as_of(session, user_id, day)
    measured = await latest_body_mass(session, user_id, before=end)
    return build_context(profile, await logged_prs(session, user_id, before=end), day, measured=measured)
