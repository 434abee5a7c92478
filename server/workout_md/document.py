"""The markdown view of a workout as plain data: what the renderer writes and the parser reads back."""

from __future__ import annotations

import msgspec

__all__ = ["ExerciseBlock", "SetLine", "WorkoutDoc"]


class SetLine(msgspec.Struct, kw_only=True, frozen=True):
    """One set: `- 225 lb × 5 @ RPE 8`. No weight is a bodyweight set; `pr` marks a heaviest-yet load."""

    weight: float | None = None
    unit: str | None = None
    reps: int | None = None
    duration_s: int | None = None
    rpe: float | None = None
    pr: bool = False


class ExerciseBlock(msgspec.Struct, kw_only=True, frozen=True):
    """Consecutive sets of one exercise; the same exercise later in the session opens a new block."""

    exercise_id: str
    name: str
    sets: tuple[SetLine, ...] = ()


class WorkoutDoc(msgspec.Struct, kw_only=True, frozen=True):
    id: str
    title: str
    started_at: str
    ended_at: str | None = None
    blocks: tuple[ExerciseBlock, ...] = ()
    notes: tuple[str, ...] = ()
