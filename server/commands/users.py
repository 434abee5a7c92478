"""`voicelog user create|token`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from server.commands.registry import command
from server.settings import Settings

__all__: list[str] = []


# -- user ----------------------------------------------------------------------------------------------


def _user_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="user_command", required=True)
    create = sub.add_parser("create", help="create a user and print its API token (last line)")
    create.add_argument("name")
    create.add_argument("--unit", choices=("lb", "kg"), help="the user's default unit")
    token = sub.add_parser("token", help="mint another API token for an existing user")
    token.add_argument("name")


@command("user", _user_args)
def _user(args: argparse.Namespace, settings: Settings) -> int:
    from server.services import open_database
    from server.store.users import create_token, create_user, get_user_by_name

    async def run() -> int:
        engine, sessions = await open_database(settings)
        try:
            if args.user_command == "create":
                user, token = await create_user(
                    sessions, args.name, default_unit=args.unit or settings.default_unit
                )
                print(f"created user {user.name} ({user.id}), default unit {user.default_unit}")
                print("API token (shown once, send it as 'Authorization: Bearer <token>'):")
                print(token)
                return 0
            found = await get_user_by_name(sessions, args.name)
            if found is None:
                print(f"no user named {args.name!r}", file=sys.stderr)
                return 1
            print(await create_token(sessions, found.id))
            return 0
        finally:
            await engine.dispose()

    return asyncio.run(run())
