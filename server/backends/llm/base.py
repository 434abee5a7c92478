"""The Extractor Protocol and what one call reports, successful or not."""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

import msgspec

from models.parsed import Alternative, ParsedSet, Unit

__all__ = ["Extraction", "ExtractionRequest", "Extractor", "Invocation", "InvocationStatus"]

InvocationStatus = Literal["ok", "timeout", "rate_limited", "error", "invalid"]


class ExtractionRequest(msgspec.Struct, kw_only=True):
    """Everything the model is shown: the words, the grammar's reading, the candidates, the session."""

    text: str
    unit: Unit
    grammar: ParsedSet
    candidates: list[Alternative] = msgspec.field(default_factory=list)
    previous: ParsedSet | None = None
    recent: list[str] = msgspec.field(default_factory=list)
    context: str | None = None
    """The lifter's AI context prose (`GET /v1/profile/context`), sent as a second system message."""


class Invocation(msgspec.Struct, kw_only=True):
    """One LLM call, as the pipeline persists it in agent_invocations."""

    model: str
    latency_ms: float
    status: InvocationStatus
    agent: str = "extract"
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    error: str | None = None


class Extraction(msgspec.Struct, kw_only=True):
    """`parsed` is None unless `invocation.status == "ok"`: the caller then keeps the grammar's result."""

    parsed: ParsedSet | None
    invocation: Invocation


@runtime_checkable
class Extractor(Protocol):
    name: str

    async def extract(self, request: ExtractionRequest, *, model: str | None = None) -> Extraction:
        """Never raises for provider trouble: timeouts, 429s and bad answers come back as a status."""
        ...

    async def aclose(self) -> None: ...
