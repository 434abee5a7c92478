"""Alembic environment: runs on the connection `server.db.upgrade` hands over (async engines included)."""

from __future__ import annotations

from alembic import context

# each table module registers its tables on Base
import models.db_coach  # coach_conversations, coach_messages
import models.db_llm  # agent_invocations, fine_tuned_models
import models.db_profile  # profiles, profile_updates
import models.db_training  # noqa: F401  (pr_history, training_sessions, ...)
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
