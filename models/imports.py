"""Bodies of the import routes (`POST /v1/imports/{provider}`, `GET /v1/imports/{id}`)."""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = ["ImportRunOut"]


class ImportRunOut(msgspec.Struct, kw_only=True):
    id: str
    provider: str
    filename: str | None
    status: str
    """running | finished | failed"""
    error: str | None
    started_at: str
    finished_at: str | None
    workouts: int
    sets: int
    unresolved: int
    skipped: int
    unresolved_names: list[dict[str, Any]]
    """exercise names the matcher was not sure of, for the lifter to confirm: name, rows, best guesses"""
    summary: dict[str, Any]
