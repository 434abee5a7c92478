"""Rows for agent_invocations from an Understanding's LLM calls, added in the pipeline's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from models.db_llm import AgentInvocation
from server.backends.llm.base import Invocation

__all__ = ["invocation_rows"]


def invocation_rows(
    invocations: Iterable[Invocation], *, voice_command_id: str | None, user_id: str | None
) -> list[AgentInvocation]:
    return [
        AgentInvocation(
            voice_command_id=voice_command_id,
            user_id=user_id,
            agent=inv.agent,
            model=inv.model,
            prompt_tokens=inv.prompt_tokens,
            completion_tokens=inv.completion_tokens,
            latency_ms=inv.latency_ms,
            status=inv.status,
            error=(inv.error or None) and inv.error[:2000],
        )
        for inv in invocations
    ]
