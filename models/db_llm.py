"""Tables of the LLM fallback: every call made (agent_invocations) and fine-tuned models to prefer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, new_id, utcnow

__all__ = ["AgentInvocation", "FineTunedModel"]


class AgentInvocation(Base):
    """One request to an LLM, successful or not: what it cost, how long it took, how it ended."""

    __tablename__ = "agent_invocations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # No FK: the invocation is kept even when the voice command is rolled back or deleted later.
    voice_command_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    user_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    # "extract" today; names the agent so later agents (coaching, summaries) share the table.
    agent: Mapped[str] = mapped_column(String(40), default="extract")
    model: Mapped[str] = mapped_column(String(200))
    prompt_tokens: Mapped[int | None] = mapped_column(Integer, default=None)
    completion_tokens: Mapped[int | None] = mapped_column(Integer, default=None)
    latency_ms: Mapped[float] = mapped_column(Float)
    # ok | timeout | rate_limited | error | invalid (an answer that failed the schema or the catalog)
    status: Mapped[str] = mapped_column(String(20))
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FineTunedModel(Base):
    """A model trained for extraction; the newest active one replaces VOICELOG_LLM_MODEL."""

    __tablename__ = "fine_tuned_models"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # The provider's model id, e.g. "ft:gpt-4o-mini-2024-07-18:org::abc123".
    model: Mapped[str] = mapped_column(String(200), unique=True)
    base_model: Mapped[str] = mapped_column(String(200))
    task: Mapped[str] = mapped_column(String(40), default="extract")
    active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
