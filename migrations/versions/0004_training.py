"""training tables: pr_history, training_sessions, session_sets, adaptive_modifiers

Revision ID: 0004_training
Revises: 0004_profile
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["downgrade", "upgrade"]

revision = "0004_training"
down_revision = "0004_profile"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workout_sets") as batch:
        batch.create_index(
            "ix_workout_sets_user_exercise_created",
            ["user_id", "exercise_id", "created_at", "weight", "reps", "unit", "workout_id"],
        )
    op.create_table(
        "pr_history",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("exercise_id", sa.String(length=120), nullable=False),
        sa.Column("pr_type", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("value_kg", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=2), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("estimated_1rm", sa.Float(), nullable=True),
        sa.Column("formula", sa.String(length=20), nullable=False),
        sa.Column("set_id", sa.String(length=36), nullable=True),
        sa.Column("workout_id", sa.String(length=36), nullable=True),
        sa.Column("previous_pr_id", sa.String(length=36), nullable=True),
        sa.Column("improvement_percent", sa.Float(), nullable=True),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("achieved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_pr_history_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["exercise_id"], ["exercises.id"], name=op.f("fk_pr_history_exercise_id_exercises")
        ),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["workout_sets.id"],
            name=op.f("fk_pr_history_set_id_workout_sets"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pr_history")),
    )
    with op.batch_alter_table("pr_history") as batch:
        batch.create_index("ix_pr_history_user_exercise_current", ["user_id", "exercise_id", "current"])
        batch.create_index("ix_pr_history_set_id", ["set_id"])

    op.create_table(
        "training_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("day_type", sa.String(length=60), nullable=True),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.Column("calories", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=2), nullable=False),
        sa.Column("rec_meta", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["id"], ["workouts.id"], name=op.f("fk_training_sessions_id_workouts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_training_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_sessions")),
    )
    with op.batch_alter_table("training_sessions") as batch:
        batch.create_index(batch.f("ix_training_sessions_user_id"), ["user_id"])

    op.create_table(
        "session_sets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("exercise_id", sa.String(length=120), nullable=False),
        sa.Column("set_id", sa.String(length=36), nullable=True),
        sa.Column("set_number", sa.Integer(), nullable=False),
        sa.Column("rec_weight", sa.Float(), nullable=True),
        sa.Column("rec_reps", sa.Integer(), nullable=True),
        sa.Column("actual_weight", sa.Float(), nullable=True),
        sa.Column("actual_reps", sa.Integer(), nullable=True),
        sa.Column("intensity", sa.Float(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("unit", sa.String(length=2), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_sessions.id"],
            name=op.f("fk_session_sets_session_id_training_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_session_sets_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["exercise_id"], ["exercises.id"], name=op.f("fk_session_sets_exercise_id_exercises")
        ),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["workout_sets.id"],
            name=op.f("fk_session_sets_set_id_workout_sets"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_sets")),
    )
    with op.batch_alter_table("session_sets") as batch:
        batch.create_index(batch.f("ix_session_sets_session_id"), ["session_id"])
        batch.create_index("ix_session_sets_user_performed", ["user_id", "performed_on"])

    op.create_table(
        "adaptive_modifiers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("exercise_id", sa.String(length=120), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("modifier_percent", sa.Float(), nullable=False),
        sa.Column("rep_change", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_adaptive_modifiers_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["exercise_id"], ["exercises.id"], name=op.f("fk_adaptive_modifiers_exercise_id_exercises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adaptive_modifiers")),
        sa.UniqueConstraint(
            "user_id", "exercise_id", "week_start", name=op.f("uq_adaptive_modifiers_user_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("adaptive_modifiers")
    op.drop_table("session_sets")
    op.drop_table("training_sessions")
    op.drop_table("pr_history")
    with op.batch_alter_table("workout_sets") as batch:
        batch.drop_index("ix_workout_sets_user_exercise_created")
