"""The lifter's row lock is asked for once per transaction, never carried into the next one."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from server.store.lifter_lock import is_held, mark_held


def test_a_mark_lasts_as_long_as_its_transaction(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with Session(engine) as session:
        with session.begin():
            assert not is_held(session, "u1")
            mark_held(session, "u1")
            assert is_held(session, "u1") and not is_held(session, "u2")
            with session.begin_nested():  # a savepoint: what it takes, its rollback releases
                assert not is_held(session, "u1")
                mark_held(session, "u2")
                assert is_held(session, "u2")
            assert not is_held(session, "u2")
        with session.begin():  # committed: the row was released, so it is asked for again
            assert not is_held(session, "u1")
    engine.dispose()
