"""Small conversions the sync ops share: wire times, strict data, row comparisons, change outcomes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from server.errors import BadInput
from server.sync import store
from server.sync.merge import FieldMerge, stamp_time

__all__ = ["convert", "differs", "outcome", "parse_time"]


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def convert(data: dict[str, Any], kind: type, index: int) -> Any:
    try:
        return msgspec.convert(data, kind)  # strict: "5" is not 5, as everywhere in the API
    except msgspec.ValidationError as exc:
        raise BadInput(f"changes[{index}].data: {exc}", code="invalid_input") from exc


def differs(old: Any, new: Any) -> bool:
    """SQLite hands datetimes back naive (they are stored as UTC): compare them as UTC instants."""
    if isinstance(old, datetime) and isinstance(new, datetime):
        return stamp_time(old) != stamp_time(new)
    return bool(old != new)


def outcome(record: store.Record, merged: FieldMerge, *, gone: bool = False) -> dict[str, Any]:
    """`gone`: the record is kept but not shown (a set whose workout was deleted)."""
    where = {"kind": record.kind, "entity_id": record.entity_id}
    if merged.pinned:
        return {"reason": "server_correction", "fields": merged.pinned, **where}
    if gone or not record.state.visible():
        return {"reason": "deleted", "fields": [], **where}
    if merged.stale:
        return {"reason": "stale", "fields": merged.stale, **where}
    return where
