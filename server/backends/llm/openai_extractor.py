"""Extractor on the `openai` SDK: any OpenAI-compatible endpoint, strict JSON-schema structured output."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection
from typing import Any

import msgspec

from models.parsed import ExerciseRef, ParsedSet
from server.backends.errors import import_or_explain
from server.backends.llm.base import Extraction, ExtractionRequest, Invocation, InvocationStatus
from server.backends.llm.prompt import build_messages
from server.backends.llm.schema import PARSED_SET_SCHEMA

__all__ = ["OpenAIExtractor"]

_RESPONSE_FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "parsed_set", "schema": PARSED_SET_SCHEMA, "strict": True},
}


class OpenAIExtractor:
    name = "openai"

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout_s: float = 1.5,
        exercise_name: Callable[[str], str | None] | None = None,
    ) -> None:
        self._openai = import_or_explain("openai", package="openai", setting="OPENAI_API_KEY")
        # max_retries=0: a retry cannot fit in the hot path's budget; the grammar's result is the fallback.
        self._client = self._openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0
        )
        self.model = model
        self._timeout_s = timeout_s
        # Maps a catalog id to its name; ids the catalog does not know make the answer invalid.
        self._exercise_name = exercise_name

    async def extract(self, request: ExtractionRequest, *, model: str | None = None) -> Extraction:
        model = model or self.model
        started = time.perf_counter()
        usage: Any = None

        def done(
            status: InvocationStatus, parsed: ParsedSet | None = None, error: str | None = None
        ) -> Extraction:
            return Extraction(
                parsed=parsed,
                invocation=Invocation(
                    model=model,
                    latency_ms=round((time.perf_counter() - started) * 1000, 2),
                    status=status,
                    prompt_tokens=getattr(usage, "prompt_tokens", None),
                    completion_tokens=getattr(usage, "completion_tokens", None),
                    error=error,
                ),
            )

        try:
            # The SDK's own timeout covers each socket phase; wait_for bounds the whole call.
            response = await asyncio.wait_for(
                self._client.chat.completions.create(
                    model=model,
                    messages=build_messages(request),
                    response_format=_RESPONSE_FORMAT,
                    temperature=0,
                ),
                self._timeout_s,
            )
        except (TimeoutError, self._openai.APITimeoutError):
            return done("timeout", error=f"no answer within {self._timeout_s}s")
        except self._openai.RateLimitError as exc:
            return done("rate_limited", error=_message(exc))
        except self._openai.APIStatusError as exc:
            return done("error", error=f"HTTP {exc.status_code}: {_message(exc)}")
        except self._openai.APIError as exc:  # connection refused, reset, unreadable body
            return done("error", error=f"{type(exc).__name__}: {exc}")

        usage = response.usage
        if not response.choices:
            return done("invalid", error="no choices in the answer")
        message = response.choices[0].message
        if getattr(message, "refusal", None):
            return done("invalid", error=f"refused: {message.refusal}")
        try:
            parsed = msgspec.json.decode(message.content or "", type=ParsedSet)
        except msgspec.DecodeError as exc:
            return done("invalid", error=f"answer does not match the schema: {exc}")
        checked, problem = self._check(parsed, request)
        if checked is None:
            return done("invalid", error=problem)
        return done("ok", parsed=checked)

    def _check(self, parsed: ParsedSet, request: ExtractionRequest) -> tuple[ParsedSet | None, str | None]:
        """Keep the model honest: known ids only, the catalog's names, numbers in range."""
        if parsed.exercise is not None:
            allowed: Collection[str] = {c.id for c in request.candidates} | set(request.recent)
            name = self._exercise_name(parsed.exercise.id) if self._exercise_name else None
            if name is None and parsed.exercise.id in allowed:
                name = next((c.name for c in request.candidates if c.id == parsed.exercise.id), None)
            if name is None:
                return None, f"unknown exercise id {parsed.exercise.id!r}"
            parsed.exercise = ExerciseRef(id=parsed.exercise.id, name=name)
        if parsed.rpe is not None and not (1 <= parsed.rpe <= 10):
            return None, f"rpe {parsed.rpe} out of range"
        if parsed.sets < 1 or (parsed.reps is not None and parsed.reps < 0):
            return None, "sets/reps out of range"
        if parsed.weight is not None and parsed.weight < 0:
            return None, "negative weight"
        if parsed.weight is None:
            parsed.unit = None
        elif parsed.unit is None:
            parsed.unit = request.unit
        parsed.confidence = min(max(parsed.confidence, 0.0), 1.0)
        return parsed, None

    async def aclose(self) -> None:
        await self._client.close()


def _message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
    return str(exc)
