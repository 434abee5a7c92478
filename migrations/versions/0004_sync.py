"""sync and imports: sync_journal, sync_records, sync_receipts, external_ingestion_runs and records

Revision ID: 0004_sync
Revises: 0004_training
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["downgrade", "upgrade"]

revision = "0004_sync"
down_revision = "0004_training"
branch_labels = None
depends_on = None


def _activities() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("energy_kcal", sa.Float(), nullable=True),
        sa.Column("avg_heart_rate", sa.Float(), nullable=True),
        sa.Column("max_heart_rate", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_activities_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    with op.batch_alter_table("activities") as batch:
        batch.create_index("ix_activities_user_started", ["user_id", "started_at"])
    op.create_table(
        "biometrics",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_biometrics_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_biometrics")),
    )
    with op.batch_alter_table("biometrics") as batch:
        batch.create_index("ix_biometrics_user_metric_at", ["user_id", "metric", "measured_at"])


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
        sa.Column("activity_id", sa.String(length=36), nullable=True),
        sa.Column("biometric_id", sa.String(length=36), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_external_activity_records_activity_id_activities"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["biometric_id"],
            ["biometrics.id"],
            name=op.f("fk_external_activity_records_biometric_id_biometrics"),
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
        batch.create_index(batch.f("ix_external_activity_records_activity_id"), ["activity_id"])
        batch.create_index(batch.f("ix_external_activity_records_biometric_id"), ["biometric_id"])


def _sync() -> None:
    op.create_table(
        "sync_journal",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_journal")),
    )
    with op.batch_alter_table("sync_journal") as batch:
        batch.create_index("ix_sync_journal_user_seq", ["user_id", "seq"])
    op.create_table(
        "sync_records",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=True),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("stamps", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sync_records_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_records")),
        sa.UniqueConstraint("user_id", "kind", "entity_id", name=op.f("uq_sync_records_user_id")),
        sa.UniqueConstraint("user_id", "kind", "client_id", name="uq_sync_records_client"),
    )
    op.create_table(
        "sync_receipts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("change_key", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sync_receipts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_receipts")),
        sa.UniqueConstraint("user_id", "change_key", name=op.f("uq_sync_receipts_user_id")),
    )
    # What existed before the journal is journaled once, so a first pull (cursor null) sees it all.
    op.execute(
        "INSERT INTO sync_journal (user_id, kind, entity_id, at) "
        "SELECT user_id, 'workout', id, started_at FROM workouts ORDER BY started_at"
    )
    op.execute(
        "INSERT INTO sync_journal (user_id, kind, entity_id, at) "
        "SELECT user_id, 'set', id, created_at FROM workout_sets ORDER BY created_at"
    )


def upgrade() -> None:
    _activities()
    _imports()
    _sync()


def downgrade() -> None:
    op.drop_table("sync_receipts")
    op.drop_table("sync_records")
    op.drop_table("sync_journal")
    op.drop_table("external_activity_records")
    op.drop_table("external_ingestion_runs")
    op.drop_table("biometrics")
    op.drop_table("activities")
