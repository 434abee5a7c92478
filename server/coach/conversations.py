"""Coach conversations in the database: a question and its answer are kept as two messages, the answer
with its citations, model, tokens and latency."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.coach import ConversationOut, MessageOut
from models.db_coach import CoachConversation, CoachMessage
from server.errors import NotFound
from server.store.workouts import iso

__all__ = ["conversation_out", "earlier_turns", "require_conversation"]


async def require_conversation(
    session: AsyncSession, user_id: str, conversation_id: str
) -> CoachConversation:
    found = (
        await session.execute(
            select(CoachConversation).where(
                CoachConversation.id == conversation_id, CoachConversation.user_id == user_id
            )
        )
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"no conversation {conversation_id}")
    return found


async def _messages(session: AsyncSession, conversation_id: str) -> list[CoachMessage]:
    return list(
        (
            await session.execute(
                select(CoachMessage)
                .where(CoachMessage.conversation_id == conversation_id)
                .order_by(CoachMessage.created_at, CoachMessage.role.desc())
            )
        ).scalars()
    )


async def earlier_turns(
    session: AsyncSession, conversation_id: str, *, limit: int = 6
) -> list[dict[str, Any]]:
    """The last `limit` messages as chat turns, oldest first, for a follow-up question's prompt."""
    rows = await _messages(session, conversation_id)
    return [{"role": m.role, "content": m.content} for m in rows[-limit:]]


async def conversation_out(session: AsyncSession, conversation: CoachConversation) -> ConversationOut:
    return ConversationOut(
        id=conversation.id,
        created_at=iso(conversation.created_at) or "",
        messages=[
            MessageOut(
                id=m.id,
                role=m.role,
                content=m.content,
                citations=m.citations,
                llm=m.llm,
                model=m.model,
                prompt_tokens=m.prompt_tokens,
                completion_tokens=m.completion_tokens,
                latency_ms=m.latency_ms,
                created_at=iso(m.created_at) or "",
            )
            for m in await _messages(session, conversation.id)
        ],
    )
