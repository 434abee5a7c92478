"""custom exercises: a lifter's own exercise definitions live beside the catalog, marked by owner

Revision ID: 0005_sync2
Revises: 0004_sync
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["downgrade", "upgrade"]

revision = "0005_sync2"
down_revision = "0004_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exercises") as batch:
        batch.add_column(sa.Column("owner_id", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_exercises_owner_id_users"), "users", ["owner_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index(batch.f("ix_exercises_owner_id"), ["owner_id"])


def downgrade() -> None:
    # Sets of custom exercises cannot point at the catalog: they go with their definitions.
    custom = "SELECT id FROM exercises WHERE owner_id IS NOT NULL"
    for table in ("workout_sets", "own_aliases", "exercise_aliases"):
        op.execute(f"DELETE FROM {table} WHERE exercise_id IN ({custom})")
    op.execute("DELETE FROM exercises WHERE owner_id IS NOT NULL")
    with op.batch_alter_table("exercises") as batch:
        batch.drop_index(batch.f("ix_exercises_owner_id"))
        batch.drop_constraint(batch.f("fk_exercises_owner_id_users"), type_="foreignkey")
        batch.drop_column("created_at")
        batch.drop_column("owner_id")
