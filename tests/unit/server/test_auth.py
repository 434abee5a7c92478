from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from models.db import ApiToken, utcnow
from server.auth import authenticate, hash_token, new_token
from server.db import create_engine, create_sessionmaker, upgrade
from server.errors import BadInput
from server.store.users import create_token, create_user


def test_tokens_are_long_random_and_hashed() -> None:
    a, b = new_token(), new_token()
    assert a != b and len(a) > 40 and a.startswith("vl_")
    assert hash_token(a) == hash_token(a) != hash_token(b)
    assert len(hash_token(a)) == 64 and a not in hash_token(a)


async def test_authenticate(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    try:
        await upgrade(engine)
        sessions = create_sessionmaker(engine)
        user, token = await create_user(sessions, "ann", default_unit="kg")
        found = await authenticate(sessions, token)
        assert found is not None and (found.id, found.name, found.default_unit) == (user.id, "ann", "kg")
        for bad in (None, "", token + "x", token[:-1], "x" * 500):
            assert await authenticate(sessions, bad) is None
        second = await create_token(sessions, user.id)
        assert (await authenticate(sessions, second)) == found
        async with sessions() as s, s.begin():
            await s.execute(
                update(ApiToken).where(ApiToken.token_hash == hash_token(token)).values(revoked_at=utcnow())
            )
        assert await authenticate(sessions, token) is None
        assert await authenticate(sessions, second) == found
        with pytest.raises(BadInput):
            await create_user(sessions, "ann")
        with pytest.raises(BadInput):
            await create_user(sessions, "   ")
    finally:
        await engine.dispose()
