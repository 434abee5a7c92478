"""Tables of imports from other apps: every ingestion run, and every row it read kept raw."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, new_id, utcnow

__all__ = ["Activity", "Biometric", "ExternalActivityRecord", "ExternalIngestionRun"]


class ExternalIngestionRun(Base):
    """One import of one file: what it read, what it became, and how it ended."""

    __tablename__ = "external_ingestion_runs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str | None] = mapped_column(String(300), default=None)
    # SHA-256 of the file as read: a run of the same bytes is recognisable without reading rows.
    content_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    # running | finished | failed
    status: Mapped[str] = mapped_column(String(20), default="running")
    error: Mapped[str | None] = mapped_column(Text, default=None)
    # The last row read (streaming imports resume from here); the line for a CSV.
    cursor: Mapped[str | None] = mapped_column(String(100), default=None)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Exercise names the matcher was not sure of, with their rows' count and best guesses: for the lifter.
    unresolved: Mapped[list[Any]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class ExternalActivityRecord(Base):
    """One row of an export, exactly as read, linked to what it became (if anything).

    `external_id` is a content key (a hash of the row's own fields), so the same row in a later export
    of the same app is recognised and adds nothing.
    """

    __tablename__ = "external_activity_records"
    __table_args__ = (
        UniqueConstraint("user_id", "provider", "external_id"),
        Index("ix_external_activity_records_run", "run_id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    run_id: Mapped[str] = mapped_column(ForeignKey("external_ingestion_runs.id", ondelete="CASCADE"))
    provider: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    line: Mapped[int | None] = mapped_column(Integer, default=None)
    # workout (the session a row belongs to) | set | activity | biometric | skipped | unresolved
    status: Mapped[str] = mapped_column(String(20))
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)
    exercise_name: Mapped[str | None] = mapped_column(String(200), default=None)
    workout_id: Mapped[str | None] = mapped_column(
        ForeignKey("workouts.id", ondelete="SET NULL"), default=None, index=True
    )
    set_id: Mapped[str | None] = mapped_column(
        ForeignKey("workout_sets.id", ondelete="SET NULL"), default=None, index=True
    )
    activity_id: Mapped[str | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL"), default=None, index=True
    )
    biometric_id: Mapped[str | None] = mapped_column(
        ForeignKey("biometrics.id", ondelete="SET NULL"), default=None, index=True
    )


class Activity(Base):
    """A timed activity that is not sets (a run, a ride, a swim): from Apple Health, GPX/TCX/FIT files."""

    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_user_started", "user_id", "started_at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))  # running, cycling, traditional_strength_training, ...
    started_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    duration_s: Mapped[float | None] = mapped_column(Float, default=None)
    distance_m: Mapped[float | None] = mapped_column(Float, default=None)
    energy_kcal: Mapped[float | None] = mapped_column(Float, default=None)
    avg_heart_rate: Mapped[float | None] = mapped_column(Float, default=None)
    max_heart_rate: Mapped[float | None] = mapped_column(Float, default=None)
    source: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Biometric(Base):
    """One measurement of the lifter (body mass today), whatever recorded it: the history profiles read."""

    __tablename__ = "biometrics"
    __table_args__ = (Index("ix_biometrics_user_metric_at", "user_id", "metric", "measured_at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    measured_at: Mapped[datetime] = mapped_column()
    metric: Mapped[str] = mapped_column(String(40))  # body_mass
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(100))
