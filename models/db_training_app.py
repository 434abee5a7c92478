"""Training tables for what the app says beyond sets: recommendations served, feedback, instrument events,
profile versions and each lifter's training settings (1RM formula, analytics opt-in).

Also the indexes that let analytics read a long history without sorting it (migration 0005_training).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, WorkoutSet, new_id, utcnow
from models.db_training import SessionSet

__all__ = ["Feedback", "InstrumentEvent", "ProfileVersion", "Recommendation", "TrainingSettings"]


class TrainingSettings(Base):
    """A lifter's choices for the training room; a lifter without a row has the defaults."""

    __tablename__ = "training_settings"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # epley | brzycki | lombardi | oconner (server.training.formulas.FORMULAS)
    e1rm_formula: Mapped[str] = mapped_column(String(20), default="epley")
    # instrument events are kept only for lifters who opted in
    analytics_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Recommendation(Base):
    """A recommendation the app served (its payload as sent), so feedback and success can refer to it."""

    __tablename__ = "recommendations"
    __table_args__ = (Index("ix_recommendations_user_created", "user_id", "created_at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    exercise_id: Mapped[str | None] = mapped_column(ForeignKey("exercises.id"), default=None)
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="SET NULL"), default=None
    )
    weight: Mapped[float | None] = mapped_column(Float, default=None)
    reps: Mapped[int | None] = mapped_column(Integer, default=None)
    unit: Mapped[str | None] = mapped_column(String(2), default=None)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Feedback(Base):
    """Was it helpful: about one recommendation or one session (at least one of the two)."""

    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_user_created", "user_id", "created_at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    recommendation_id: Mapped[str | None] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), default=None
    )
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), default=None
    )
    helpful: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InstrumentEvent(Base):
    """A typed event from the app (kept only for lifters who opted in; pruned past the retention)."""

    __tablename__ = "instrument_events"
    __table_args__ = (Index("ix_instrument_events_occurred", "occurred_at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    event_type: Mapped[str] = mapped_column("type", String(60))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProfileVersion(Base):
    """A snapshot of the lifter's profile from a date on; `bodyweight_kg` is read out of it for analytics."""

    __tablename__ = "profile_versions"
    __table_args__ = (Index("ix_profile_versions_user_effective", "user_id", "effective_date"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    effective_date: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(8))  # user | auto
    bodyweight_kg: Mapped[float | None] = mapped_column(Float, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# Analytics group a lifter's sets per (exercise, workout): in this order the database streams the groups
# instead of sorting 40,000 rows (benchmarks/results/analytics.md).
Index(
    "ix_workout_sets_user_exercise_workout",
    WorkoutSet.user_id,
    WorkoutSet.exercise_id,
    WorkoutSet.workout_id,
    WorkoutSet.created_at,
    WorkoutSet.weight,
    WorkoutSet.reps,
    WorkoutSet.unit,
)
# The recommendation success rate reads only the index, not the session_sets table.
Index(
    "ix_session_sets_user_success",
    SessionSet.user_id,
    SessionSet.performed_on,
    SessionSet.rec_reps,
    SessionSet.rec_weight,
    SessionSet.actual_reps,
    SessionSet.actual_weight,
    SessionSet.done,
)
