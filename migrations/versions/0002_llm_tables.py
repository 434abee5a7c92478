"""llm tables: agent_invocations, fine_tuned_models

Revision ID: 0002_llm
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["downgrade", "upgrade"]

revision = "0002_llm"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agent_invocations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("voice_command_id", sa.String(length=36), nullable=True),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("agent", sa.String(length=40), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=True),
        sa.Column("completion_tokens", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_invocations")),
    )
    with op.batch_alter_table("agent_invocations") as batch:
        batch.create_index(batch.f("ix_agent_invocations_voice_command_id"), ["voice_command_id"])
        batch.create_index(batch.f("ix_agent_invocations_user_id"), ["user_id"])
    op.create_table(
        "fine_tuned_models",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("base_model", sa.String(length=200), nullable=False),
        sa.Column("task", sa.String(length=40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_fine_tuned_models_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fine_tuned_models")),
        sa.UniqueConstraint("model", name=op.f("uq_fine_tuned_models_model")),
    )
    with op.batch_alter_table("fine_tuned_models") as batch:
        batch.create_index(batch.f("ix_fine_tuned_models_active"), ["active"])


def downgrade() -> None:
    op.drop_table("fine_tuned_models")
    op.drop_table("agent_invocations")
