"""Wire bodies of the coach (`POST /v1/coach`)."""

from __future__ import annotations

from typing import Annotated

import msgspec

__all__ = ["Citation", "CoachIn", "CoachOut", "ConversationOut", "MessageOut"]


class CoachIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    question: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    conversation_id: Annotated[str, msgspec.Meta(max_length=36)] | None = None
    """Continue this conversation (its last turns go to the LLM); none starts a new one."""


class Citation(msgspec.Struct, kw_only=True):
    source: str
    """knowledge_base | exercise_cues | profile | history"""
    id: str
    title: str


class CoachOut(msgspec.Struct, kw_only=True):
    answer: str
    citations: list[Citation]
    llm: bool
    """True when a language model wrote the answer; False: the retrieved cues themselves."""
    model: str | None = None
    warnings: list[str] = msgspec.field(default_factory=list)
    """Active constraints the retrieved advice touches (also said in the answer)."""
    retrieval: str = "embedded"
    """What retrieved the chunks: embedded | upstash-search | embedded (upstash-search unavailable)."""
    conversation_id: str | None = None
    message_id: str | None = None
    """The answer's message in the conversation (`GET /v1/coach/conversations/{id}`)."""


class MessageOut(msgspec.Struct, kw_only=True):
    id: str
    role: str
    """user (the question) | assistant (the answer)"""
    content: str
    citations: list[dict[str, str]]
    llm: bool
    model: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_ms: float | None
    created_at: str


class ConversationOut(msgspec.Struct, kw_only=True):
    id: str
    created_at: str
    messages: list[MessageOut]
