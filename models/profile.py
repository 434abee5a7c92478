"""The lifter's fitness profile (issue 16): one typed document, camelCase on the wire, stored as JSON.

Every struct forbids unknown fields, so a PUT or a JSON-Patch that invents a field is refused whole.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

__all__ = [
    "Availability",
    "Bodyweight",
    "CoachingTone",
    "Constraint",
    "ConstraintStatus",
    "ConstraintType",
    "Equipment",
    "Goals",
    "Metrics",
    "PrLift",
    "Preferences",
    "Profile",
    "ProfileUpdateOut",
    "SpokenUpdateIn",
    "SpokenUpdateOut",
    "Training",
    "UpdateSource",
]

Short = Annotated[str, msgspec.Meta(max_length=200)]
Long = Annotated[str, msgspec.Meta(max_length=2000)]
Date = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$")]
"""A day, YYYY-MM-DD (a full ISO 8601 time is kept as sent)."""
Items = Annotated[list[Short], msgspec.Meta(max_length=100)]
CoachingTone = Literal["friendly", "tough-love", "clinical", "cheerleader"]
ConstraintType = Literal["injury", "equipment", "schedule", "mobility", "preference", "other"]
ConstraintStatus = Literal["active", "resolved"]
UpdateSource = Literal["user", "voice", "auto", "import"]


class _Part(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    pass


class Goals(_Part):
    primary_goal: Short | None = None
    """e.g. strength, hypertrophy, fat loss, endurance, general fitness, an event."""
    objective: Long | None = None
    event_date: Date | None = None
    timeline: Short | None = None


class Training(_Part):
    current_activity: Long | None = None
    program: Short | None = None
    weeks_done: Annotated[int, msgspec.Meta(ge=0, le=5200)] | None = None


class Availability(_Part):
    days_per_week: Annotated[int, msgspec.Meta(ge=0, le=7)] | None = None
    minutes_per_session: Annotated[int, msgspec.Meta(ge=0, le=1440)] | None = None
    preferred_times: Items = msgspec.field(default_factory=list)


class Equipment(_Part):
    access: Short | None = None
    """e.g. commercial gym, home gym, none."""
    items: Items = msgspec.field(default_factory=list)
    constraints: Items = msgspec.field(default_factory=list)


class Preferences(_Part):
    style: Short | None = None
    enjoyed_exercises: Items = msgspec.field(default_factory=list)
    disliked_exercises: Items = msgspec.field(default_factory=list)
    coaching_tone: CoachingTone = "friendly"


class Bodyweight(_Part):
    value: Annotated[float, msgspec.Meta(gt=0, le=1000)]
    unit: Literal["kg", "lb"]


class PrLift(_Part):
    exercise: Short
    weight: Annotated[float, msgspec.Meta(ge=0, le=2000)]
    unit: Literal["kg", "lb"]
    reps: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 1
    date: Date | None = None


class Metrics(_Part):
    height_cm: Annotated[float, msgspec.Meta(gt=0, le=300)] | None = None
    bodyweight: Bodyweight | None = None
    body_fat_percent: Annotated[float, msgspec.Meta(ge=0, le=100)] | None = None
    pr_lifts: Annotated[list[PrLift], msgspec.Meta(max_length=200)] = msgspec.field(default_factory=list)


class Constraint(_Part):
    id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    type: ConstraintType
    label: Short
    severity: Short | Annotated[float, msgspec.Meta(ge=0, le=10)] | None = None
    """words (mild | moderate | severe) or a number 0-10."""
    affected_areas: Items = msgspec.field(default_factory=list)
    modifications: Items = msgspec.field(default_factory=list)
    start_date: Date | None = None
    end_date: Date | None = None
    status: ConstraintStatus = "active"


class Profile(_Part):
    version: Annotated[int, msgspec.Meta(ge=1)] = 1
    """The profile schema's version; 1 today."""
    goals: Goals = msgspec.field(default_factory=Goals)
    training: Training = msgspec.field(default_factory=Training)
    availability: Availability = msgspec.field(default_factory=Availability)
    equipment: Equipment = msgspec.field(default_factory=Equipment)
    preferences: Preferences = msgspec.field(default_factory=Preferences)
    metrics: Metrics = msgspec.field(default_factory=Metrics)
    constraints: Annotated[list[Constraint], msgspec.Meta(max_length=100)] = msgspec.field(
        default_factory=list
    )


class ProfileUpdateOut(msgspec.Struct, kw_only=True):
    """One ledger row (`GET /v1/profile/history`)."""

    patch: list[dict[str, object]]
    path: str
    source: UpdateSource
    reason: str | None
    created_at: str
    transcript: str | None = None


class SpokenUpdateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What the lifter said (`POST /v1/profile/utterances`)."""

    text: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class SpokenUpdateOut(msgspec.Struct, kw_only=True):
    patch: list[dict[str, object]]
    reason: str
    profile: Profile
