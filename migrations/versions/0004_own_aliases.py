"""own_aliases: a lifter's own names for exercises, learned from their corrections

Revision ID: 0004_own_aliases
Revises: 0003_recent
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["downgrade", "upgrade"]

revision = "0004_own_aliases"
down_revision = "0003_recent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "own_aliases",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("phrase", sa.String(length=200), nullable=False),
        sa.Column("exercise_id", sa.String(length=120), nullable=False),
        sa.Column("voice_command_id", sa.String(length=36), nullable=True),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.Column("needs", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_own_aliases_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["exercise_id"],
            ["exercises.id"],
            name=op.f("fk_own_aliases_exercise_id_exercises"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_own_aliases")),
        sa.UniqueConstraint("user_id", "phrase", name=op.f("uq_own_aliases_user_id")),
    )
    with op.batch_alter_table("own_aliases") as batch:
        batch.create_index(batch.f("ix_own_aliases_user_id"), ["user_id"])


def downgrade() -> None:
    op.drop_table("own_aliases")
