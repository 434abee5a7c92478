"""What every exporter's rows become before anything is written: one shape for Strong, Hevy and the rest."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import msgspec

__all__ = ["ImportFormatError", "ImportRow", "ImportedWorkout", "content_key"]


class ImportFormatError(Exception):
    """The file is not what it claims to be: names the line, and nothing of the file is imported."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = f"line {line}: {message}" if line is not None else message
        super().__init__(self.message)


def content_key(provider: str, *parts: object) -> str:
    """A stable id for a row from its own content: the same row in a later export hashes the same."""
    text = "\x1f".join("" if p is None else str(p) for p in (provider, *parts))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ImportedWorkout(msgspec.Struct, kw_only=True):
    key: str
    name: str | None
    started_at: datetime
    ended_at: datetime | None
    notes: str | None
    raw: dict[str, Any]


class ImportRow(msgspec.Struct, kw_only=True):
    """One set-row of an export. `skip` says why the row is kept raw but becomes no set."""

    line: int
    key: str
    workout: ImportedWorkout
    exercise_name: str
    order: int
    kind: str  # normal | warmup | drop | failure
    reps: int | None
    weight: float | None
    unit: str | None
    rpe: float | None
    duration_s: int | None
    distance: float | None
    notes: str | None
    raw: dict[str, Any]
    skip: str | None = None
