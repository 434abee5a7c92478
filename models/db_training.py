"""Training-intelligence tables: personal records, app sessions with their recommendations, modifiers.

A session the app sends is a `workouts` row too (one history with the workouts logged by voice); what the
app adds beyond a set (recommended vs actual, intensity, done) lives in `session_sets`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, WorkoutSet, new_id, utcnow

__all__ = ["AdaptiveModifier", "PrRecord", "SessionSet", "TrainingSession"]


class PrRecord(Base):
    """One personal record as it was set. `current` marks the record still standing for its key; a record
    whose set was corrected below it (or deleted) is kept, `withdrawn_at` set, and its predecessor stands
    again."""

    __tablename__ = "pr_history"
    __table_args__ = (
        Index("ix_pr_history_user_exercise_current", "user_id", "exercise_id", "current"),
        Index("ix_pr_history_set_id", "set_id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"))
    # 1rm | 3rm | 5rm | e1rm | volume_set | volume_session | reps_at_weight | duration
    pr_type: Mapped[str] = mapped_column(String(20))
    # what the record is "for": the weight in kg (2 decimals) for reps_at_weight, "" otherwise
    key: Mapped[str] = mapped_column(String(20), default="")
    value: Mapped[float] = mapped_column(Float)
    # the value in kg (reps and seconds as they are): records in lb and kg compare on this
    value_kg: Mapped[float] = mapped_column(Float)
    weight: Mapped[float | None] = mapped_column(Float, default=None)
    unit: Mapped[str | None] = mapped_column(String(2), default=None)
    reps: Mapped[int | None] = mapped_column(Integer, default=None)
    estimated_1rm: Mapped[float | None] = mapped_column(Float, default=None)
    formula: Mapped[str] = mapped_column(String(20), default="epley")
    set_id: Mapped[str | None] = mapped_column(
        ForeignKey("workout_sets.id", ondelete="SET NULL"), default=None
    )
    workout_id: Mapped[str | None] = mapped_column(String(36), default=None)
    previous_pr_id: Mapped[str | None] = mapped_column(String(36), default=None)
    improvement_percent: Mapped[float | None] = mapped_column(Float, default=None)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    achieved_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)


class TrainingSession(Base):
    """What the app said about a session beyond its sets; `id` is the session's workout id."""

    __tablename__ = "training_sessions"
    id: Mapped[str] = mapped_column(ForeignKey("workouts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    session_date: Mapped[date] = mapped_column("date", Date)
    day_type: Mapped[str | None] = mapped_column(String(60), default=None)
    finished: Mapped[bool] = mapped_column(Boolean, default=True)
    calories: Mapped[float | None] = mapped_column(Float, default=None)
    unit: Mapped[str] = mapped_column(String(2))
    rec_meta: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SessionSet(Base):
    """One set of an app session: the recommendation served beside what was done."""

    __tablename__ = "session_sets"
    __table_args__ = (Index("ix_session_sets_user_performed", "user_id", "performed_on"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"))
    # the logged set it became (done sets with actual numbers); null for a set not done
    set_id: Mapped[str | None] = mapped_column(
        ForeignKey("workout_sets.id", ondelete="SET NULL"), default=None
    )
    set_number: Mapped[int] = mapped_column(Integer)
    rec_weight: Mapped[float | None] = mapped_column(Float, default=None)
    rec_reps: Mapped[int | None] = mapped_column(Integer, default=None)
    actual_weight: Mapped[float | None] = mapped_column(Float, default=None)
    actual_reps: Mapped[int | None] = mapped_column(Integer, default=None)
    intensity: Mapped[float | None] = mapped_column(Float, default=None)
    done: Mapped[bool] = mapped_column(Boolean, default=True)
    unit: Mapped[str] = mapped_column(String(2))
    performed_on: Mapped[date] = mapped_column(Date)


class AdaptiveModifier(Base):
    """The modifier for one exercise's week (`week_start`, a Monday), with the evidence behind it."""

    __tablename__ = "adaptive_modifiers"
    __table_args__ = (UniqueConstraint("user_id", "exercise_id", "week_start"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"))
    week_start: Mapped[date] = mapped_column(Date)
    modifier_percent: Mapped[float] = mapped_column(Float)
    rep_change: Mapped[int] = mapped_column(Integer, default=0)
    rule: Mapped[str] = mapped_column(String(40))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


# A lifter's sets of one exercise in time order: PR replays after a correction and analytics read this
# range instead of the lifter's whole history.
# It also covers what analytics sum (weight, reps, unit, workout), so those reads never touch the table.
Index(
    "ix_workout_sets_user_exercise_created",
    WorkoutSet.user_id,
    WorkoutSet.exercise_id,
    WorkoutSet.created_at,
    WorkoutSet.weight,
    WorkoutSet.reps,
    WorkoutSet.unit,
    WorkoutSet.workout_id,
)
