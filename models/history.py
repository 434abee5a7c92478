"""Bodies of the workout history (`GET /v1/workouts`)."""

from __future__ import annotations

import msgspec

__all__ = ["WorkoutPage", "WorkoutSummary"]


class WorkoutSummary(msgspec.Struct, kw_only=True):
    id: str
    name: str | None
    started_at: str
    ended_at: str | None
    source: str
    """where the workout came from: live (voice, typed, the web page), import:<provider>, or sync"""
    set_count: int


class WorkoutPage(msgspec.Struct, kw_only=True):
    workouts: list[WorkoutSummary]
    next_before: str | None
    """pass as `before` for the next (older) page; null on the last page"""
