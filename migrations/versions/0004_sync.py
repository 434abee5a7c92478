"""sync and imports: external_ingestion_runs, external_activity_records

Revision ID: 0004_sync
Revises: 0003_recent
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["downgrade", "upgrade"]

revision = "0004_sync"
down_revision = "0003_recent"
branch_labels = None
depends_on = None


def _imports() -> None:
    op.create_table(
        "external_ingestion_runs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("cursor", sa.String(length=100), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("unresolved", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_external_ingestion_runs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_ingestion_runs")),
    )
    with op.batch_alter_table("external_ingestion_runs") as batch:
        batch.create_index(batch.f("ix_external_ingestion_runs_user_id"), ["user_id"])
    op.create_table(
        "external_activity_records",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("exercise_name", sa.String(length=200), nullable=True),
        sa.Column("workout_id", sa.String(length=36), nullable=True),
        sa.Column("set_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_external_activity_records_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["external_ingestion_runs.id"],
            name=op.f("fk_external_activity_records_run_id_external_ingestion_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workout_id"],
            ["workouts.id"],
            name=op.f("fk_external_activity_records_workout_id_workouts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["workout_sets.id"],
            name=op.f("fk_external_activity_records_set_id_workout_sets"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_activity_records")),
        sa.UniqueConstraint(
            "user_id", "provider", "external_id", name=op.f("uq_external_activity_records_user_id")
        ),
    )
    with op.batch_alter_table("external_activity_records") as batch:
        batch.create_index("ix_external_activity_records_run", ["run_id"])
        batch.create_index(batch.f("ix_external_activity_records_workout_id"), ["workout_id"])
        batch.create_index(batch.f("ix_external_activity_records_set_id"), ["set_id"])


def upgrade() -> None:
    _imports()


def downgrade() -> None:
    op.drop_table("external_activity_records")
    op.drop_table("external_ingestion_runs")
