"""Bearer tokens: minted once, stored only as a SHA-256, looked up per request."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

import msgspec
from litestar.connection import ASGIConnection
from sqlalchemy import select

from models.db import ApiToken, User

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

__all__ = [
    "CurrentUser",
    "authenticate",
    "hash_token",
    "new_token",
    "token_from_connection",
]

_PREFIX = "vl_"


class CurrentUser(msgspec.Struct, frozen=True):
    id: str
    name: str
    default_unit: str


def new_token() -> str:
    return _PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # Tokens are 256 random bits, so a plain (unsalted, fast) hash is as strong as a slow one here.
    return hashlib.sha256(token.encode()).hexdigest()


def token_from_connection(connection: ASGIConnection, *, allow_query: bool = False) -> str | None:
    """The bearer token of a request; websockets may also pass `?token=` (browsers cannot set headers)."""
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if allow_query:
        token = connection.query_params.get("token")
        if token:
            return token
    return None


async def authenticate(
    sessionmaker: async_sessionmaker[AsyncSession], token: str | None
) -> CurrentUser | None:
    if not token or len(token) > 200:
        return None
    async with sessionmaker() as session:
        row = (
            await session.execute(
                select(User.id, User.name, User.default_unit)
                .join(ApiToken, ApiToken.user_id == User.id)
                .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
            )
        ).first()
    return None if row is None else CurrentUser(id=row.id, name=row.name, default_unit=row.default_unit)
