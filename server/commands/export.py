"""`voicelog export --format sft|dpo|md`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from server.commands.registry import command
from server.settings import Settings

__all__: list[str] = []


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
