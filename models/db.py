"""Database tables (SQLAlchemy 2). What is queried is relational; what is only kept for the record is JSON."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "ApiToken",
    "Base",
    "Exercise",
    "ExerciseAlias",
    "OwnAlias",
    "SetCorrection",
    "User",
    "VoiceCommand",
    "Workout",
    "WorkoutSet",
    "new_id",
    "utcnow",
]


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


# Named constraints so Alembic migrations stay portable between SQLite (batch mode) and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    default_unit: Mapped[str] = mapped_column(String(2), default="lb")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """Only the SHA-256 of a token is stored; the token itself is shown once, at creation."""

    __tablename__ = "api_tokens"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class Exercise(Base):
    """An exercise definition: the catalog (free-exercise-db ids, synced from fixtures at start-up, no
    owner) and each lifter's own custom exercises (`owner_id` set, id `custom-` and 29 hex digits), seen
    and matched by them alone."""

    __tablename__ = "exercises"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    equipment: Mapped[str | None] = mapped_column(String(60), default=None)
    category: Mapped[str | None] = mapped_column(String(60), default=None)
    owner_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), default=None, index=True
    )
    created_at: Mapped[datetime | None] = mapped_column(default=None)


class ExerciseAlias(Base):
    __tablename__ = "exercise_aliases"
    __table_args__ = (UniqueConstraint("exercise_id", "alias"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200), index=True)


class Workout(Base):
    __tablename__ = "workouts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)


class VoiceCommand(Base):
    """Everything the server saw and decided for one utterance, typed or spoken."""

    __tablename__ = "voice_commands"
    __table_args__ = (
        UniqueConstraint("user_id", "client_id"),
        Index("ix_voice_commands_workout_created", "workout_id", "created_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    workout_id: Mapped[str] = mapped_column(ForeignKey("workouts.id", ondelete="CASCADE"))
    client_id: Mapped[str | None] = mapped_column(String(36), default=None)
    source: Mapped[str] = mapped_column(String(20), default="text")
    raw_transcript: Mapped[str] = mapped_column(Text)
    normalized_text: Mapped[str] = mapped_column(Text, default="")
    intent: Mapped[str] = mapped_column(String(20))
    # logged | clarify | corrected | undone | ignored: what the server did with the utterance.
    action: Mapped[str] = mapped_column(String(20))
    parsed: Mapped[dict[str, Any]] = mapped_column(JSON)
    confidence: Mapped[float] = mapped_column(Float)
    model_used: Mapped[str] = mapped_column(String(100), default="grammar")
    understand_path: Mapped[list[Any]] = mapped_column(JSON, default=list)
    candidates: Mapped[list[Any]] = mapped_column(JSON, default=list)
    latency_ms: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    trace: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    clarify_question: Mapped[str | None] = mapped_column(Text, default=None)
    stt_model: Mapped[str | None] = mapped_column(String(100), default=None)
    audio_duration_s: Mapped[float | None] = mapped_column(Float, default=None)
    stt_ms: Mapped[float | None] = mapped_column(Float, default=None)
    audio_path: Mapped[str | None] = mapped_column(Text, default=None)
    # The sets this utterance created, corrected or removed: an idempotent retry answers them again.
    result_set_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The voice command this one corrected or undid ("make that six", "scratch that").
    target_command_id: Mapped[str | None] = mapped_column(String(36), default=None)
    was_corrected: Mapped[bool] = mapped_column(Boolean, default=False)
    corrected_output: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    correction_type: Mapped[str | None] = mapped_column(String(20), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkoutSet(Base):
    __tablename__ = "workout_sets"
    __table_args__ = (
        Index("ix_workout_sets_workout_created", "workout_id", "created_at"),
        Index("ix_workout_sets_user_created", "user_id", "created_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    workout_id: Mapped[str] = mapped_column(ForeignKey("workouts.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"))
    set_number: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int | None] = mapped_column(Integer, default=None)
    weight: Mapped[float | None] = mapped_column(Float, default=None)
    unit: Mapped[str | None] = mapped_column(String(2), default=None)
    rpe: Mapped[float | None] = mapped_column(Float, default=None)
    duration_s: Mapped[int | None] = mapped_column(Integer, default=None)
    voice_command_id: Mapped[str | None] = mapped_column(
        ForeignKey("voice_commands.id", ondelete="SET NULL"), default=None, index=True
    )
    client_id: Mapped[str | None] = mapped_column(String(36), default=None)
    corrected: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)


class SetCorrection(Base):
    """One changed field of one set: the history behind `corrected`."""

    __tablename__ = "set_corrections"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    set_id: Mapped[str] = mapped_column(ForeignKey("workout_sets.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    voice_command_id: Mapped[str | None] = mapped_column(String(36), default=None)
    field: Mapped[str] = mapped_column(String(20))
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    # api (PATCH), voice ("make that six"), stream (websocket `correct`)
    source: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class OwnAlias(Base):
    """A lifter's own name for an exercise, learned when they corrected a set's exercise: the phrase the
    reader got wrong, the exercise they meant, and the utterance it came from. Theirs alone; removable."""

    __tablename__ = "own_aliases"
    __table_args__ = (UniqueConstraint("user_id", "phrase"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    phrase: Mapped[str] = mapped_column(String(200))
    exercise_id: Mapped[str] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"))
    # the utterance whose phrase was misread (kept when that utterance is gone: the alias stays)
    voice_command_id: Mapped[str | None] = mapped_column(String(36), default=None)
    # corrections of this phrase to this exercise so far, and how many make it the lifter's name for it:
    # one for a phrase the catalog was unsure of, two for one that exactly names another exercise
    # ("bench press" edited once to incline bench is a change of mind more often than a name)
    times: Mapped[int] = mapped_column(Integer, default=1)
    needs: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
