"""One import, start to end: parse the whole file, resolve its exercise names, write it in one transaction.

A malformed file raises before anything is written (its run is kept as `failed`, with the line). Every row
read is kept raw in external_activity_records under a content key, so importing the same file again, or a
later export that repeats it, adds only what is new.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db import new_id
from server.imports import store
from server.imports.hevy import parse_hevy
from server.imports.resolve import resolve_names
from server.imports.rows import ImportFormatError, ImportRow
from server.imports.strong import parse_strong
from server.learning.store import reader_phrases

__all__ = ["PARSERS", "ImportResult", "ImportService", "Plan"]

Parser = Callable[..., list[ImportRow]]
PARSERS: dict[str, Parser] = {"strong": parse_strong, "hevy": parse_hevy}
Progress = Callable[[int], None]


class ImportResult(msgspec.Struct, kw_only=True):
    run_id: str
    provider: str
    rows: int
    workouts: int
    sets: int
    unresolved: int
    """rows not imported because the matcher was not sure of their exercise name"""
    skipped: int
    """rows kept raw that became no set: empty sets, rest timers, repeats, rows imported before"""
    already_imported: int
    unresolved_names: list[dict[str, Any]]
    volume: dict[str, float]
    """sum of weight x reps of the sets imported, per unit"""
    activities: int = 0
    biometrics: int = 0
    skipped_types: dict[str, int] = msgspec.field(default_factory=dict)
    """streamed exports: how many elements of each type nothing is kept of"""
    unit: str | None = None
    """the unit the export's weights were read in (confirming names later reads them so again)"""
    dry_run: bool = False
    """a preview: nothing was written, `run_id` is empty"""

    def counts(self) -> dict[str, int]:
        """The four numbers the CLI's last line is (the contract)."""
        return {
            "workouts": self.workouts,
            "sets": self.sets,
            "unresolved": self.unresolved,
            "skipped": self.skipped,
        }


class ImportService:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], matcher: Any, *, threshold: float
    ) -> None:
        self.sessionmaker = sessionmaker
        self.matcher = matcher
        self.threshold = threshold

    async def import_bytes(
        self,
        user_id: str,
        provider: str,
        data: bytes,
        *,
        unit: str,
        filename: str | None = None,
        progress: Progress | None = None,
        dry_run: bool = False,
    ) -> ImportResult:
        """`dry_run`: read, resolve and count as an import would, and write nothing (no run either)."""
        parse = PARSERS.get(provider)
        if parse is None:
            raise ImportFormatError(None, f"unknown provider {provider!r}; one of {sorted(PARSERS)}")
        if dry_run:
            rows = await asyncio.to_thread(parse, _text(data), unit=unit)
            return await self._write(user_id, provider, "", rows, progress, unit=unit, dry_run=True)
        digest = hashlib.sha256(data).hexdigest()
        run_id = await store.start_run(
            self.sessionmaker, user_id=user_id, provider=provider, filename=filename, content_sha256=digest
        )
        try:
            rows = await asyncio.to_thread(parse, _text(data), unit=unit)  # CPU work off the event loop
            return await self._write(user_id, provider, run_id, rows, progress, unit=unit)
        except BaseException as exc:
            await store.mark_failed(self.sessionmaker, run_id, getattr(exc, "message", None) or repr(exc))
            raise

    async def _write(
        self,
        user_id: str,
        provider: str,
        run_id: str,
        rows: Sequence[ImportRow],
        progress: Progress | None,
        *,
        unit: str,
        dry_run: bool = False,
    ) -> ImportResult:
        async with self.sessionmaker() as session:
            own, custom = await reader_phrases(session, user_id)
        wanted = {r.exercise_name for r in rows if r.skip is None}
        names = resolve_names(self.matcher, wanted, self.threshold, own, custom)
        async with self.sessionmaker() as session, session.begin():
            keys = [r.key for r in rows] + [r.workout.key for r in rows]
            known = await store.known_records(session, user_id, provider, keys)
            plan = Plan(user_id, provider, run_id, known)
            numbers = await store.highest_set_numbers(session, [w for w in known.values() if w is not None])
            plan.numbers.update(numbers)
            for i, row in enumerate(rows):
                plan.add(row, names[row.exercise_name].exercise_id if row.skip is None else None)
                if progress is not None and (i + 1) % 250 == 0:
                    progress(250)
            if progress is not None:
                progress(len(rows) % 250)
            unresolved = [
                {"name": n, "rows": c, "score": names[n].score, "guesses": names[n].guesses}
                for n, c in sorted(plan.unresolved_rows.items())
            ]
            result = ImportResult(
                run_id=run_id,
                provider=provider,
                rows=len(rows),
                workouts=len(plan.workouts),
                sets=len(plan.sets),
                unresolved=sum(plan.unresolved_rows.values()),
                skipped=plan.skipped,
                already_imported=plan.already,
                unresolved_names=unresolved,
                volume={u: round(v, 3) for u, v in sorted(plan.volume.items())},
                unit=unit,
                dry_run=dry_run,
            )
            if dry_run:
                return result
            await store.insert_rows(session, workouts=plan.workouts, sets=plan.sets, records=plan.records)
            await store.finish_run(
                session,
                run_id,
                summary=msgspec.to_builtins(result),
                unresolved=unresolved,
                cursor=str(rows[-1].line) if rows else None,
            )
        return result


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFormatError(line, "the file is not UTF-8 text") from None


class Plan:
    """The rows to insert, decided in file order: which workouts are new, each set's number, what is kept."""

    def __init__(self, user_id: str, provider: str, run_id: str, known: dict[str, str | None]) -> None:
        self.user_id, self.provider, self.run_id, self.known = user_id, provider, run_id, known
        self.workouts: list[dict[str, Any]] = []
        self.sets: list[dict[str, Any]] = []
        self.records: list[dict[str, Any]] = []
        self.numbers: dict[tuple[str, str], int] = {}
        self.per_workout: dict[str, int] = {}
        self.unresolved_rows: dict[str, int] = {}
        self.volume: dict[str, float] = {}
        self.skipped = 0
        self.already = 0

    def _record(self, row: ImportRow, status: str, workout_id: str | None, set_id: str | None) -> None:
        self.records.append(
            {
                "id": new_id(),
                "user_id": self.user_id,
                "run_id": self.run_id,
                "provider": self.provider,
                "external_id": row.key,
                "line": row.line,
                "status": status,
                "raw": row.raw,
                "exercise_name": row.exercise_name[:200],
                "workout_id": workout_id,
                "set_id": set_id,
            }
        )
        self.known[row.key] = workout_id

    def _workout_id(self, row: ImportRow) -> str:
        w = row.workout
        if w.key in self.known and self.known[w.key] is not None:
            return self.known[w.key]  # type: ignore[return-value]
        workout_id = new_id()
        self.workouts.append(
            {
                "id": workout_id,
                "user_id": self.user_id,
                "name": (w.name or "")[:200] or None,
                "started_at": w.started_at,
                "ended_at": w.ended_at,
            }
        )
        if w.key in self.known:  # imported before, its workout since deleted: a new one, the record stays
            return workout_id
        self.records.append(
            {
                "id": new_id(),
                "user_id": self.user_id,
                "run_id": self.run_id,
                "provider": self.provider,
                "external_id": w.key,
                "line": row.line,
                "status": "workout",
                "raw": w.raw,
                "exercise_name": None,
                "workout_id": workout_id,
                "set_id": None,
            }
        )
        self.known[w.key] = workout_id
        return workout_id

    def add(self, row: ImportRow, exercise_id: str | None) -> None:
        if row.key in self.known:
            self.already += 1
            self.skipped += 1
            return
        if row.skip is not None:
            self.skipped += 1
            self._record(row, "skipped", None, None)
            return
        if exercise_id is None:
            self.unresolved_rows[row.exercise_name] = self.unresolved_rows.get(row.exercise_name, 0) + 1
            self._record(row, "unresolved", None, None)
            return
        workout_id = self._workout_id(row)
        number = self.numbers.get((workout_id, exercise_id), 0) + 1
        self.numbers[(workout_id, exercise_id)] = number
        position = self.per_workout.get(workout_id, 0)
        self.per_workout[workout_id] = position + 1
        set_id = new_id()
        self.sets.append(
            {
                "id": set_id,
                "workout_id": workout_id,
                "user_id": self.user_id,
                "exercise_id": exercise_id,
                "set_number": number,
                "reps": row.reps,
                "weight": row.weight,
                "unit": row.unit,
                "rpe": row.rpe,
                "duration_s": row.duration_s,
                "voice_command_id": None,
                "client_id": None,
                "corrected": False,
                # Exports give the workout's start only: sets keep their order a second apart.
                "created_at": row.workout.started_at + timedelta(seconds=position),
                "updated_at": None,
            }
        )
        if row.weight and row.reps and row.unit:
            self.volume[row.unit] = self.volume.get(row.unit, 0.0) + row.weight * row.reps
        self._record(row, "set", workout_id, set_id)
