"""`voicelog`: the entry point. Commands live in server/commands/ and in their rooms, all in COMMANDS."""

from __future__ import annotations

import argparse
import sys

# Commands of other rooms: one import line each (the module registers itself with `command`).
import server.training.commands  # noqa: F401  (registers `analytics`)
from server.commands import COMMANDS, command
from server.commands.serve import WEBSOCKET_LIBRARIES, websocket_library
from server.imports import commands as _import_commands  # noqa: F401  (registers `import`)
from server.settings import Settings, SettingsError

__all__ = ["COMMANDS", "WEBSOCKET_LIBRARIES", "build_parser", "command", "main", "websocket_library"]

# -- entry point ---------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="voicelog", description="Voice-first workout logging server")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (register, _run) in COMMANDS.items():
        register(sub.add_parser(name))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"voicelog: {exc}", file=sys.stderr)
        return 2
    _register, run = COMMANDS[args.command]
    try:
        return run(args, settings)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a clear one-line message instead of a traceback for expected failures
        from server.errors import DomainError

        if isinstance(exc, DomainError):
            print(f"voicelog: {exc.message}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    raise SystemExit(main())
