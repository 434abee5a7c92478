"""CLI: `voicelog analytics run [--user U] [--week W]` (registered into server.commands.registry)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from server.commands.registry import command
from server.settings import Settings

__all__: list[str] = []


def _analytics_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="analytics_command", required=True)
    run = sub.add_parser("run", help="compute the adaptive modifiers (idempotent)")
    run.add_argument("--user", help="user name (default: every user)")
    run.add_argument("--week", help="judge only this week: 2026-W48 or a date in it (default: every week)")


@command("analytics", _analytics_args)
def _analytics(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy import select
    from tqdm import tqdm

    from models.db import User
    from server.services import open_database
    from server.training.modifiers import parse_week, run_modifiers

    try:
        week = parse_week(args.week) if args.week else None
    except ValueError as exc:
        print(f"voicelog: {exc}", file=sys.stderr)
        return 2

    async def run() -> int:
        engine, sessions = await open_database(settings)
        try:
            async with sessions() as session:
                query = select(User.id, User.name).order_by(User.name)
                if args.user:
                    query = query.where(User.name == args.user)
                users = list(await session.execute(query))
            if args.user and not users:
                print(f"no user named {args.user!r}", file=sys.stderr)
                return 1
            changed = 0
            with tqdm(total=0, unit="week", desc="adaptive modifiers", file=sys.stderr) as bar:

                def grow(n: int) -> None:
                    bar.total = (bar.total or 0) + n
                    bar.refresh()

                for user_id, _name in users:
                    async with sessions() as session, session.begin():
                        rows = await run_modifiers(
                            session, user_id, week=week, progress=bar.update, total=grow
                        )
                        changed += sum(1 for r in rows if r.modifier_percent or r.rep_change)
            print(f"computed modifiers for {len(users)} user(s); {changed} change a target", file=sys.stderr)
            if settings.instrument_retention_days > 0:
                from server.training.app_data import prune_instrument_events

                async with sessions() as session, session.begin():
                    pruned = await prune_instrument_events(session, settings.instrument_retention_days)
                print(
                    f"deleted {pruned} instrument event(s) older than "
                    f"{settings.instrument_retention_days} days",
                    file=sys.stderr,
                )
            return 0
        finally:
            await engine.dispose()

    return asyncio.run(run())
