"""`voicelog`: serve, users, fine-tune export, schema upgrade. Subcommands register in COMMANDS."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Callable
from pathlib import Path

from server.settings import Settings, SettingsError

__all__ = ["COMMANDS", "build_parser", "main", "websocket_library"]

# name -> (register arguments on its subparser, run it and return the exit code).
Command = tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace, Settings], int]]
COMMANDS: dict[str, Command] = {}


def command(name: str, register: Callable[[argparse.ArgumentParser], None]) -> Callable:
    def decorate(run: Callable[[argparse.Namespace, Settings], int]) -> Callable:
        COMMANDS[name] = (register, run)
        return run

    return decorate


# -- serve ---------------------------------------------------------------------------------------------


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", help="address to bind (default VOICELOG_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default VOICELOG_PORT or 8000)")


# uvicorn speaks websockets only through one of these; without either it answers every /v1/stream
# upgrade with 405 and logs a warning nobody reads, so serve refuses to start instead.
WEBSOCKET_LIBRARIES = ("websockets", "wsproto")


def websocket_library() -> str | None:
    """The websocket library uvicorn would use, or None when none is importable."""
    for name in WEBSOCKET_LIBRARIES:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        return name
    return None


@command("serve", _serve_args)
def _serve(args: argparse.Namespace, settings: Settings) -> int:
    if websocket_library() is None:
        print(
            "voicelog: cannot serve websockets (/v1/stream, the web page's microphone): no websocket "
            "library is installed. Install one with: pip install websockets",
            file=sys.stderr,
        )
        return 2

    import uvicorn

    from server.app import create_app
    from server.serve_protocols import ContractH11Protocol, contract_websockets_protocol

    app = create_app(settings)
    uvicorn.run(
        app,
        host=args.host or settings.host,
        port=args.port or settings.port,
        log_level="info",
        # uvicorn's own 400s (unparseable HTTP, a refused websocket handshake) in the contract's body
        http=ContractH11Protocol,
        ws=contract_websockets_protocol() if websocket_library() == "websockets" else "auto",
    )
    return 0


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


# -- export --------------------------------------------------------------------------------------------


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("sft", "dpo", "md"), default="sft")
    p.add_argument("--user", required=True, help="user name whose utterances (or workouts, for md) to export")
    p.add_argument(
        "-o", "--output", required=True, type=Path, help="JSONL file ('-' for stdout); for md, a folder"
    )


def _write_folder(folder: Path, files: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files:
        (folder / name).write_text(text, encoding="utf-8")


@command("export", _export_args)
def _export(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from server.export import count_examples, export_lines
    from server.services import open_database
    from server.store.users import get_user_by_name

    async def run() -> int:
        engine, sessions = await open_database(settings)
        try:
            user = await get_user_by_name(sessions, args.user)
            if user is None:
                print(f"no user named {args.user!r}", file=sys.stderr)
                return 1
            if args.format == "md":
                from server.workout_md.export import markdown_files

                files = await markdown_files(sessions, user.id)
                _write_folder(args.output, files)
                print(f"wrote {len(files)} workouts as markdown to {args.output}", file=sys.stderr)
                return 0
            total = await count_examples(sessions, user.id, args.format)
            to_stdout = str(args.output) == "-"
            out = sys.stdout.buffer if to_stdout else args.output.open("wb")
            written = 0
            try:
                with tqdm(total=total, unit="ex", desc=f"{args.format} export", file=sys.stderr) as bar:
                    async for line in export_lines(sessions, user.id, args.format):
                        out.write(line)
                        written += 1
                        bar.update(1)
            finally:
                if not to_stdout:
                    out.close()
            print(f"wrote {written} {args.format} examples to {args.output}", file=sys.stderr)
            return 0
        finally:
            await engine.dispose()

    return asyncio.run(run())


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


import server.backends.commands  # noqa: E402  (engineer E: registers `search` and `llm`)
import server.training.commands  # noqa: E402, F401  (registers `analytics`)
from server.imports import commands as _import_commands  # noqa: E402, F401  (registers `import`)

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
