"""The adaptive modifiers recomputed on a schedule inside `serve` (what `voicelog analytics run` does)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db import User
from server.training.app_data import prune_instrument_events
from server.training.modifiers import run_modifiers

__all__ = ["run_all", "start_schedule"]

log = logging.getLogger("voicelog.training")


async def run_all(sessions: async_sessionmaker[AsyncSession], retention_days: int = 0) -> int:
    """Every lifter's modifiers, one transaction per lifter, then instrument events past the retention
    deleted (0 keeps them); returns how many lifters were judged."""
    async with sessions() as session:
        user_ids = list((await session.execute(select(User.id))).scalars())
    for user_id in user_ids:
        try:
            async with sessions() as session, session.begin():
                await run_modifiers(session, user_id)
        except IntegrityError:
            # another instance wrote the same (idempotent) rows at the same moment: theirs stand
            log.info("adaptive modifiers of %s were written concurrently; kept the other run's", user_id)
    if retention_days > 0:
        async with sessions() as session, session.begin():
            pruned = await prune_instrument_events(session, retention_days)
        if pruned:
            log.info("deleted %d instrument event(s) older than %d days", pruned, retention_days)
    return len(user_ids)


def start_schedule(
    sessions: async_sessionmaker[AsyncSession],
    interval_s: float,
    on_run: Callable[[int], None] | None = None,
    retention_days: int = 0,
) -> Callable[[], Awaitable[None]]:
    """Run `run_all` every `interval_s` seconds (the first run one interval after start), telling
    `on_run` how many lifters each run judged; returns the coroutine function that stops it. An
    interval of 0 schedules nothing."""
    if interval_s <= 0:

        async def nothing() -> None:
            return None

        return nothing

    async def loop() -> None:
        while True:
            await asyncio.sleep(interval_s)
            try:
                judged = await run_all(sessions, retention_days)
                log.info("adaptive modifiers recomputed for %d lifter(s)", judged)
                if on_run is not None:
                    on_run(judged)
            except Exception:  # a failed run must not end the schedule (or the server)
                log.exception("adaptive modifier run failed; trying again in %.0f s", interval_s)

    task = asyncio.create_task(loop(), name="adaptive-modifiers")

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return stop
