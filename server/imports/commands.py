"""`voicelog import strong|hevy|apple-health|gpx|tcx|fit FILE --user NAME`: an export into a history.

The last line printed is the contract's JSON: {"workouts", "sets", "unresolved", "skipped"}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from server.commands.registry import command
from server.imports.health_service import STREAMED
from server.settings import Settings

__all__: list[str] = []


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "provider",
        choices=("strong", "hevy", "apple-health", "gpx", "tcx", "fit"),
        help="the app the export comes from",
    )
    p.add_argument("file", type=Path, help="the exported CSV file")
    p.add_argument("--user", required=True, help="user name whose history it is")
    p.add_argument("--unit", choices=("lb", "kg"), help="the weight unit of the export (default: the user's)")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="read and count as an import would; write nothing (CSV exports)",
    )


@command("import", _import_args)
def _import(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from matcher.parser import CONFIDENCE_THRESHOLD
    from matcher.resolver import ExerciseMatcher
    from server.imports.health_service import import_file
    from server.imports.rows import ImportFormatError
    from server.imports.service import ImportService
    from server.services import open_database
    from server.store.users import get_user_by_name

    if args.dry_run and args.provider in STREAMED:
        print(
            f"voicelog: --dry-run previews CSV exports (strong, hevy), not {args.provider}", file=sys.stderr
        )
        return 2
    if args.provider in STREAMED:
        if not args.file.is_file():
            print(f"voicelog: cannot read {args.file}", file=sys.stderr)
            return 2
        data = b""  # streamed from the file, never read whole
    else:
        try:
            data = args.file.read_bytes()
        except OSError as exc:
            print(f"voicelog: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return 2

    async def run() -> int:
        engine, sessions = await open_database(settings)
        try:
            user = await get_user_by_name(sessions, args.user)
            if user is None:
                print(f"no user named {args.user!r}", file=sys.stderr)
                return 1
            total = max(data.count(b"\n") - 1, 0) if data else None
            with tqdm(total=total, unit="row", desc=f"{args.provider} import", file=sys.stderr) as bar:
                try:
                    if args.provider in STREAMED:
                        result = await import_file(
                            sessions, user.id, args.provider, args.file, progress=bar.update
                        )
                    else:
                        service = ImportService(
                            sessions, ExerciseMatcher.from_fixtures(), threshold=CONFIDENCE_THRESHOLD
                        )
                        result = await service.import_bytes(
                            user.id,
                            args.provider,
                            data,
                            unit=args.unit or user.default_unit,
                            filename=args.file.name,
                            progress=bar.update,
                            dry_run=args.dry_run,
                        )
                except ImportFormatError as exc:
                    bar.close()
                    print(f"voicelog: {args.file}: {exc.message}; nothing was imported", file=sys.stderr)
                    return 1
            if result.dry_run:
                print(f"preview (nothing was written): {result.rows} rows read from {args.file.name}")
            else:
                print(f"import {result.run_id}: {result.rows} rows read from {args.file.name}")
            if args.provider in STREAMED:
                print(f"  {result.activities} activities and {result.biometrics} body-mass readings imported")
            else:
                print(f"  {result.workouts} workouts and {result.sets} sets imported")
            print(f"  {result.skipped} rows skipped ({result.already_imported} imported before)")
            if result.unresolved_names:
                print(f"  {result.unresolved} rows not imported: exercise names to confirm:")
                for item in result.unresolved_names:
                    guess = item["guesses"][0]["name"] if item["guesses"] else "no guess"
                    print(f"    {item['name']!r} ({item['rows']} rows; closest: {guess})")
            for unit, volume in result.volume.items():
                print(f"  volume {volume:g} {unit}")
            print(json.dumps(result.counts()))
            return 0
        finally:
            await engine.dispose()

    return asyncio.run(run())
