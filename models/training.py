"""Wire bodies of the training routes (PRs, sessions, analytics, recommendations), as msgspec structs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

__all__ = [
    "FeedbackIn",
    "Formula",
    "InstrumentEventIn",
    "InstrumentIn",
    "NextSetOut",
    "PrOut",
    "ProfileVersionIn",
    "RecommendationIn",
    "SessionIn",
    "SessionOut",
    "SessionSetIn",
    "TrainingSettingsIn",
    "TrainingSettingsOut",
]

Unit = Literal["lb", "kg"]
_Weight = Annotated[float, msgspec.Meta(ge=0, le=2000)]
_Reps = Annotated[int, msgspec.Meta(ge=0, le=1000)]


class PrOut(msgspec.Struct, kw_only=True):
    """A personal record. `value` is the weight (1rm/3rm/5rm), the estimated 1RM (e1rm), weight × reps
    (volume_set, volume_session), reps (reps_at_weight) or seconds (duration), in `unit` where a weight."""

    id: str
    pr_type: str
    value: float
    weight: float | None
    reps: int | None
    unit: str | None
    estimated_1rm: float | None
    previous_pr_id: str | None
    improvement_percent: float | None
    exercise_id: str
    set_id: str | None
    achieved_at: str


class SessionSetIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    exercise: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    """a name, resolved by the matcher (or give `exercise_id`)"""
    exercise_id: Annotated[str, msgspec.Meta(min_length=1, max_length=120)] | None = None
    set_number: Annotated[int, msgspec.Meta(ge=1, le=1000)] | None = None
    rec_weight: _Weight | None = None
    rec_reps: _Reps | None = None
    actual_weight: _Weight | None = None
    actual_reps: _Reps | None = None
    intensity: Annotated[float, msgspec.Meta(ge=0, le=10)] | None = None
    done: bool = True


class SessionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    date: Annotated[str, msgspec.Meta(min_length=10, max_length=32)]
    """YYYY-MM-DD (or an ISO 8601 date-time, of which the date is taken)"""
    sets: Annotated[list[SessionSetIn], msgspec.Meta(max_length=500)]
    day_type: Annotated[str, msgspec.Meta(max_length=60)] | None = None
    finished: bool = True
    calories: Annotated[float, msgspec.Meta(ge=0, le=100_000)] | None = None
    rec_meta: dict[str, Any] | None = None
    unit: Unit | None = None


class SessionOut(msgspec.Struct, kw_only=True):
    session_id: str
    prs: list[PrOut] = msgspec.field(default_factory=list)


class NextSetOut(msgspec.Struct, kw_only=True):
    weight: float | None
    reps: int | None
    unit: str
    modifier_percent: float
    evidence: dict[str, Any]


_Id = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Formula = Literal["epley", "brzycki", "lombardi", "oconner"]


class RecommendationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A recommendation the app served: what it said (`payload`, kept as sent) and its target."""

    exercise: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    exercise_id: _Id | None = None
    session_id: _Id | None = None
    weight: _Weight | None = None
    reps: _Reps | None = None
    unit: Unit | None = None
    payload: dict[str, Any] | None = None


class FeedbackIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    helpful: bool
    notes: Annotated[str, msgspec.Meta(max_length=4000)] | None = None
    recommendation_id: _Id | None = None
    session_id: _Id | None = None


class InstrumentEventIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    type: Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"^[a-z][a-z0-9_.:-]*$")]
    at: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    """ISO 8601; default the time it arrives"""
    data: dict[str, Any] | None = None


class InstrumentIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One event (`type`, `at`, `data`) or several (`events`)."""

    type: (
        Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"^[a-z][a-z0-9_.:-]*$")] | None
    ) = None
    at: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    data: dict[str, Any] | None = None
    events: Annotated[list[InstrumentEventIn], msgspec.Meta(max_length=500)] | None = None


class ProfileVersionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    snapshot: dict[str, Any]
    effective_date: Annotated[str, msgspec.Meta(min_length=10, max_length=32)] | None = None
    """YYYY-MM-DD; default today (UTC)"""
    source: Literal["user", "auto"] = "user"


class TrainingSettingsIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    e1rm_formula: Formula | None = None
    analytics_opt_in: bool | None = None


class TrainingSettingsOut(msgspec.Struct, kw_only=True):
    e1rm_formula: str
    analytics_opt_in: bool
    formulas: dict[str, int | None]
    """every formula and the most reps it gives an estimate for (null: every rep count)"""
