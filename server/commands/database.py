"""`voicelog db upgrade`: the schema up to date (once, under a lock, however many instances start)."""

from __future__ import annotations

import argparse
import asyncio

from server.commands.registry import command
from server.settings import Settings

__all__: list[str] = []


# -- db ------------------------------------------------------------------------------------------------


def _db_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="db_command", required=True)
    sub.add_parser("upgrade", help="bring the database schema up to date (Alembic) and load the catalog")


@command("db", _db_args)
def _db(args: argparse.Namespace, settings: Settings) -> int:
    from server.services import open_database

    async def run() -> int:
        engine, _ = await open_database(settings)
        await engine.dispose()
        print(f"database is up to date: {_redact(settings.database_url)}")
        return 0

    return asyncio.run(run())


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
