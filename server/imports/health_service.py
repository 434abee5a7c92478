"""An Apple Health export into activities and the biometrics history, streamed in one transaction.

Items arrive from the parser 500 at a time (parsed in a worker thread, so a server's event loop keeps
serving); each chunk is checked against what was imported before and inserted, all inside one transaction:
a malformed element anywhere rolls everything back, and memory stays that of one chunk.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, cast

import msgspec
from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db import new_id
from models.db_imports import Activity, Biometric, ExternalActivityRecord
from server.imports import store
from server.imports.apple_health import HealthItem, open_export, read_health
from server.imports.service import ImportResult

__all__ = ["PROVIDER", "STREAMED", "import_file", "import_health", "import_stream"]

PROVIDER = "apple-health"
_CHUNK = 500


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _take(items: Iterator[HealthItem]) -> list[HealthItem]:
    return list(itertools.islice(items, _CHUNK))


Reader = Callable[[Path], AbstractContextManager[Iterator[HealthItem]]]


@contextmanager
def _health_items(path: Path) -> Iterator[Iterator[HealthItem]]:
    with open_export(path) as stream:
        yield read_health(stream)


async def import_health(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: str,
    path: Path,
    *,
    filename: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    return await import_stream(
        sessionmaker,
        user_id,
        path,
        provider=PROVIDER,
        read=_health_items,
        filename=filename,
        progress=progress,
    )


def _readers() -> dict[str, Reader]:
    from server.imports.fit import read_fit
    from server.imports.tracks import read_gpx, read_tcx

    return {PROVIDER: _health_items, "gpx": read_gpx, "tcx": read_tcx, "fit": read_fit}


STREAMED = ("apple-health", "gpx", "tcx", "fit")
"""providers read from a file as a stream (the CSV ones are read whole, then written)"""


async def import_file(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: str,
    provider: str,
    path: Path,
    *,
    filename: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    return await import_stream(
        sessionmaker,
        user_id,
        path,
        provider=provider,
        read=_readers()[provider],
        filename=filename,
        progress=progress,
    )


async def import_stream(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: str,
    path: Path,
    *,
    provider: str,
    read: Reader,
    filename: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Any reader of activity / biometric items (Apple Health, GPX, TCX) into one transaction."""
    digest = await asyncio.to_thread(_digest, path)
    run_id = await store.start_run(
        sessionmaker,
        user_id=user_id,
        provider=provider,
        filename=filename or path.name,
        content_sha256=digest,
    )
    try:
        return await _stream(sessionmaker, user_id, run_id, path, provider, read, progress)
    except BaseException as exc:
        await store.mark_failed(sessionmaker, run_id, getattr(exc, "message", None) or repr(exc))
        raise


async def _stream(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: str,
    run_id: str,
    path: Path,
    provider: str,
    read: Reader,
    progress: Callable[[int], None] | None,
) -> ImportResult:
    counts = {"rows": 0, "activities": 0, "biometrics": 0, "skipped": 0, "already": 0}
    skipped_types: dict[str, int] = {}
    seen: set[str] = set()  # keys of this file: one per activity and weigh-in, never per skipped record
    last_line = None
    with read(path) as items:
        async with sessionmaker() as session, session.begin():
            while chunk := await asyncio.to_thread(_take, items):
                counts["rows"] += len(chunk)
                last_line = chunk[-1].line
                kept = [i for i in chunk if i.kind != "skipped"]
                for i in chunk:
                    if i.kind == "skipped":
                        counts["skipped"] += 1
                        t = i.skipped_type or "?"
                        skipped_types[t] = skipped_types.get(t, 0) + 1
                known = await store.known_records(session, user_id, provider, [i.key for i in kept])
                activities: list[dict[str, Any]] = []
                biometrics: list[dict[str, Any]] = []
                records: list[dict[str, Any]] = []
                for item in kept:
                    if item.key in known or item.key in seen:
                        counts["already"] += 1
                        counts["skipped"] += 1
                        continue
                    seen.add(item.key)
                    row_id = new_id()
                    if item.kind == "activity":
                        activities.append({"id": row_id, "user_id": user_id, **item.values})
                    else:
                        biometrics.append({"id": row_id, "user_id": user_id, **item.values})
                    records.append(
                        {
                            "id": new_id(),
                            "user_id": user_id,
                            "run_id": run_id,
                            "provider": provider,
                            "external_id": item.key,
                            "line": item.line,
                            "status": item.kind,
                            "raw": item.raw,
                            "exercise_name": None,
                            "workout_id": None,
                            "set_id": None,
                            "activity_id": row_id if item.kind == "activity" else None,
                            "biometric_id": row_id if item.kind == "biometric" else None,
                        }
                    )
                for model, rows in (
                    (Activity, activities),
                    (Biometric, biometrics),
                    (ExternalActivityRecord, records),
                ):
                    if rows:  # Core executemany: one driver call per chunk
                        await session.execute(insert(cast(Table, model.__table__)), rows)
                counts["activities"] += len(activities)
                counts["biometrics"] += len(biometrics)
                if progress is not None:
                    progress(len(chunk))
            result = ImportResult(
                run_id=run_id,
                provider=provider,
                rows=counts["rows"],
                workouts=counts["activities"],
                sets=0,
                unresolved=0,
                skipped=counts["skipped"],
                already_imported=counts["already"],
                unresolved_names=[],
                volume={},
                activities=counts["activities"],
                biometrics=counts["biometrics"],
                skipped_types=dict(sorted(skipped_types.items())),
            )
            await store.finish_run(
                session,
                run_id,
                summary=msgspec.to_builtins(result),
                unresolved=[],
                cursor=str(last_line) if last_line is not None else None,
            )
    return result
