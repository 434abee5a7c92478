"""index workout_sets (user_id, created_at): the lifter's recent exercises without scanning their history

Revision ID: 0003_recent
Revises: 0002_llm
"""

from __future__ import annotations

from alembic import op

__all__ = ["downgrade", "upgrade"]

revision = "0003_recent"
down_revision = "0002_llm"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workout_sets") as batch:
        batch.create_index("ix_workout_sets_user_created", ["user_id", "created_at"])


def downgrade() -> None:
    with op.batch_alter_table("workout_sets") as batch:
        batch.drop_index("ix_workout_sets_user_created")
