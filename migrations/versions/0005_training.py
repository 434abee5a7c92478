"""training, part two: recommendations, feedback, instrument_events, profile_versions, training_settings;
indexes that let analytics stream a long history (per exercise and workout; recommendation success)

Revision ID: 0005_training
Revises: 0004_sync
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["downgrade", "upgrade"]

revision = "0005_training"
down_revision = "0004_sync"
branch_labels = None
depends_on = None


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("workout_sets") as batch:
        batch.create_index(
            "ix_workout_sets_user_exercise_workout",
            ["user_id", "exercise_id", "workout_id", "created_at", "weight", "reps", "unit"],
        )
    with op.batch_alter_table("session_sets") as batch:
        batch.create_index(
            "ix_session_sets_user_success",
            ["user_id", "performed_on", "rec_reps", "rec_weight", "actual_reps", "actual_weight", "done"],
        )
    op.create_table(
        "training_settings",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("e1rm_formula", sa.String(length=20), nullable=False),
        sa.Column("analytics_opt_in", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("training_settings"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_training_settings")),
    )
    op.create_table(
        "recommendations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("exercise_id", sa.String(length=120), nullable=True),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=2), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("recommendations"),
        sa.ForeignKeyConstraint(
            ["exercise_id"], ["exercises.id"], name=op.f("fk_recommendations_exercise_id_exercises")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_sessions.id"],
            name=op.f("fk_recommendations_session_id_training_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendations")),
    )
    op.create_index("ix_recommendations_user_created", "recommendations", ["user_id", "created_at"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("recommendation_id", sa.String(length=36), nullable=True),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("feedback"),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_feedback_recommendation_id_recommendations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_sessions.id"],
            name=op.f("fk_feedback_session_id_training_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    op.create_index("ix_feedback_user_created", "feedback", ["user_id", "created_at"])
    op.create_table(
        "instrument_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("instrument_events"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument_events")),
    )
    op.create_index("ix_instrument_events_occurred", "instrument_events", ["occurred_at"])
    op.create_index(op.f("ix_instrument_events_user_id"), "instrument_events", ["user_id"])
    op.create_table(
        "profile_versions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("bodyweight_kg", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("profile_versions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_versions")),
    )
    op.create_index("ix_profile_versions_user_effective", "profile_versions", ["user_id", "effective_date"])


def downgrade() -> None:
    op.drop_table("profile_versions")
    op.drop_table("instrument_events")
    op.drop_table("feedback")
    op.drop_table("recommendations")
    op.drop_table("training_settings")
    with op.batch_alter_table("session_sets") as batch:
        batch.drop_index("ix_session_sets_user_success")
    with op.batch_alter_table("workout_sets") as batch:
        batch.drop_index("ix_workout_sets_user_exercise_workout")
