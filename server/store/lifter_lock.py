"""The lifter's row lock, taken once per transaction.

Writers that must not interleave per lifter (journal positions, standing records) hold the lifter's
`users` row (PostgreSQL FOR NO KEY UPDATE) until commit. Each used to take it again at every flush and
once more for the records, one round trip each; the row stays held to the end of the transaction, so a
transaction that holds it already need not ask again. Kept per transaction (a savepoint's apart), so a
session that commits and begins again asks anew.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

__all__ = ["is_held", "mark_held"]

_HELD = "voicelog.lifter_rows_held"


def _transaction(session: Session) -> object | None:
    # a savepoint rolled back releases the locks taken inside it: a mark made there is its own
    return session.get_nested_transaction() or session.get_transaction()


def _current(session: Session) -> set[str] | None:
    entry = session.info.get(_HELD)
    transaction = _transaction(session)
    if entry is None or transaction is None or entry[0] is not transaction:
        return None
    return entry[1]  # type: ignore[no-any-return]


def is_held(session: Session, user_id: str) -> bool:
    held = _current(session)
    return held is not None and user_id in held


def mark_held(session: Session, user_id: str) -> None:
    held = _current(session)
    if held is None:
        held = set()
        session.info[_HELD] = (_transaction(session), held)
    held.add(user_id)
