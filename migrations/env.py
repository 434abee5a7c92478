"""Alembic environment: runs on the connection `server.db.upgrade` hands over (async engines included)."""

from __future__ import annotations

from alembic import context

# each table module registers its tables on Base
from models import db_imports, db_sync, db_training_app  # noqa: F401  (import, sync, training app tables)
from models.db import Base

__all__: list[str] = []

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `voicelog db upgrade` (server.db.upgrade), not bare alembic")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
