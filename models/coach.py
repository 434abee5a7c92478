"""Wire bodies of the coach (`POST /v1/coach`)."""

from __future__ import annotations

from typing import Annotated

import msgspec

__all__ = ["Citation", "CoachIn", "CoachOut"]


class CoachIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    question: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


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
