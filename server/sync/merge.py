"""The merge rule, pure: per-field last-writer-wins by stamp, deletions as stamps, server corrections pinned.

A stamp is `[time, rank, tiebreak, seq]` and compares as `(time, rank, tiebreak)`: the client's time (the
server's for a correction), rank 1 for a server correction over 0 for a device at the same instant, and the
value's canonical JSON so two writes at the same instant still order the same everywhere. The outcome of a
set of writes is the same whatever order they arrive in and however often: that is what makes replays and
reorderings converge.

- A field takes an incoming write when its stamp is newer than the field's; an older write with another
  value is a conflict (`stale`), reported with the server's state.
- A field a server correction set is pinned at the correction's journal position: a device whose batch
  cursor is before it had not pulled the correction, so its write to that field (and its deletion of the
  record) is refused whatever its stamp, and reported (`server_correction`), never a silent overwrite. A
  device that has pulled the correction writes over it by the rule above.
- A deletion is a stamp of its own: the record is visible while some field's stamp is newer than it (an edit
  older than the deletion stays deleted; one made after it brings the record back, and says so).
- `time` defaults (a workout's `started_at`, a set's `performed_at`, when a change does not send them) are
  the earliest client time of the changes that left them out: a minimum, so order does not matter.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import msgspec

__all__ = [
    "DEVICE",
    "SERVER",
    "FieldMerge",
    "State",
    "canon",
    "is_visible",
    "merge_fields",
    "newer",
    "stamp",
    "stamp_time",
]

DEVICE, SERVER = 0, 1
Stamp = list[Any]


def stamp_time(at: datetime) -> str:
    """Fixed-width UTC text, so stamps compare as strings in any database and any language."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def stamp(at: datetime | str, value: Any, *, rank: int = DEVICE, seq: int = 0) -> Stamp:
    return [at if isinstance(at, str) else stamp_time(at), rank, canon(value), seq]


def _key(s: Stamp | None) -> tuple[str, int, str]:
    return ("", -1, "") if s is None else (str(s[0]), int(s[1]), str(s[2]))


def newer(a: Stamp | None, b: Stamp | None) -> bool:
    return _key(a) > _key(b)


def is_visible(stamps: dict[str, Stamp], deleted: Stamp | None) -> bool:
    if deleted is None:
        return True
    return any(newer(s, deleted) for s in stamps.values())


class FieldMerge(msgspec.Struct, kw_only=True):
    taken: list[str]
    stale: list[str]
    pinned: list[str]
    """fields a server correction the device had not seen keeps"""


class State(msgspec.Struct, kw_only=True):
    """One record's merge state: values, their stamps, server-correction pins, earliest default times."""

    values: dict[str, Any] = msgspec.field(default_factory=dict)
    stamps: dict[str, Stamp] = msgspec.field(default_factory=dict)
    pins: dict[str, int] = msgspec.field(default_factory=dict)
    earliest: dict[str, str] = msgspec.field(default_factory=dict)
    deleted: Stamp | None = None

    def visible(self) -> bool:
        return is_visible(self.stamps, self.deleted)

    def value(self, field: str) -> Any:
        """The value, else the earliest default time recorded for the field, else None."""
        if field in self.stamps or field in self.values:
            return self.values.get(field)
        return self.earliest.get(field)

    def unseen_pins(self, cursor: int) -> list[str]:
        return sorted(f for f, seq in self.pins.items() if seq > cursor)

    def default_time(self, field: str, at: str) -> None:
        if field not in self.earliest or at < self.earliest[field]:
            self.earliest[field] = at

    def merge(self, incoming: dict[str, Any], at: str, *, cursor: int) -> FieldMerge:
        return merge_fields(self, incoming, at, cursor=cursor)

    def delete(self, at: str, *, cursor: int) -> bool:
        """False when a server correction the device had not seen keeps the record."""
        if self.unseen_pins(cursor):
            return False
        s_in = stamp(at, None)
        if newer(s_in, self.deleted):
            self.deleted = s_in
        return True


def merge_fields(state: State, incoming: dict[str, Any], at: str, *, cursor: int) -> FieldMerge:
    """Merge `incoming` (field → value, all written at client time `at`) into the state, in place."""
    out = FieldMerge(taken=[], stale=[], pinned=[])
    for field, value in sorted(incoming.items()):
        same = field in state.values and canon(state.values[field]) == canon(value)
        if state.pins.get(field, 0) > cursor:
            if not same:
                out.pinned.append(field)
            continue
        s_in = stamp(at, value)
        current = state.stamps.get(field)
        if current is not None and not newer(s_in, current):
            if not same:
                out.stale.append(field)
            continue
        state.values[field] = value
        state.stamps[field] = s_in
        out.taken.append(field)
    return out
