"""Users and their API tokens."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db import ApiToken, User
from server.auth import CurrentUser, hash_token, new_token
from server.errors import BadInput

__all__ = ["create_token", "create_user", "get_user_by_name"]


async def create_user(
    sessionmaker: async_sessionmaker[AsyncSession], name: str, *, default_unit: str = "lb"
) -> tuple[CurrentUser, str]:
    """A new user and its first token (the only time the token is visible)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise BadInput("a user name is 1 to 100 characters", code="invalid_name")
    token = new_token()
    try:
        async with sessionmaker() as session, session.begin():
            user = User(name=name, default_unit=default_unit)
            session.add(user)
            await session.flush()
            session.add(ApiToken(user_id=user.id, token_hash=hash_token(token)))
    except IntegrityError as exc:
        raise BadInput(f"user {name!r} already exists", code="user_exists") from exc
    return CurrentUser(id=user.id, name=user.name, default_unit=user.default_unit), token


async def get_user_by_name(sessionmaker: async_sessionmaker[AsyncSession], name: str) -> CurrentUser | None:
    async with sessionmaker() as session:
        user = (await session.execute(select(User).where(User.name == name))).scalar_one_or_none()
    return None if user is None else CurrentUser(id=user.id, name=user.name, default_unit=user.default_unit)


async def create_token(sessionmaker: async_sessionmaker[AsyncSession], user_id: str) -> str:
    token = new_token()
    async with sessionmaker() as session, session.begin():
        session.add(ApiToken(user_id=user_id, token_hash=hash_token(token)))
    return token
