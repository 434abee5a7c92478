"""The coach's LLM call on the `openai` SDK (any OpenAI-compatible endpoint): the lifter's AI context as
system context, the retrieved chunks in the user turn, and a strict JSON answer naming the chunks it used."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from typing import Any

import msgspec

from server.backends.errors import import_or_explain
from server.backends.llm.base import Invocation, InvocationStatus
from server.coach.chunks import Chunk

__all__ = ["COACH_PROMPT", "CoachLLM", "LlmAnswer", "build_messages"]

COACH_PROMPT = """\
You are a strength coach answering a lifter's question inside a workout-logging app.
Answer only from the numbered chunks you are given (coaching notes, exercise instructions, and the \
lifter's own profile and history) and from the user profile below; if they do not cover the question, say so.
Respect the lifter's active constraints: never give advice that loads an injured area without a clear \
warning, and prefer the modifications they list. Speak in the coaching tone the profile names.
Keep it short: a few sentences or bullets. Return JSON: "answer", and "citations" with the ref of \
every chunk you used.
"""

_SCHEMA = {
    "type": "object",
    "properties": {
        "answer": {"type": "string"},
        "citations": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["answer", "citations"],
    "additionalProperties": False,
}
_RESPONSE_FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "coach_answer", "schema": _SCHEMA, "strict": True},
}


class _Reply(msgspec.Struct):
    answer: str
    citations: list[str]


class LlmAnswer(msgspec.Struct, kw_only=True):
    """`answer` is None unless the call succeeded; the invocation is kept either way."""

    answer: str | None
    citations: list[str]
    invocation: Invocation


def build_messages(
    question: str, prose: str, chunks: Sequence[Chunk], warnings: Sequence[str]
) -> list[dict[str, str]]:
    case = {
        "question": question,
        "chunks": [{"ref": c.ref, "title": c.title, "text": c.text} for c in chunks],
        "warnings": list(warnings),
    }
    return [
        {"role": "system", "content": f"{COACH_PROMPT}\n{prose}"},
        {"role": "user", "content": json.dumps(case, ensure_ascii=False)},
    ]


class CoachLLM:
    def __init__(self, *, api_key: str, model: str, base_url: str | None, timeout_s: float) -> None:
        self._openai = import_or_explain("openai", package="openai", setting="OPENAI_API_KEY")
        self._client = self._openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0
        )
        self.model = model
        self._timeout_s = timeout_s

    async def ask(self, messages: list[dict[str, str]]) -> LlmAnswer:
        started = time.perf_counter()
        usage: Any = None

        def done(
            status: InvocationStatus,
            answer: str | None = None,
            cites: list[str] | None = None,
            error: str | None = None,
        ) -> LlmAnswer:
            return LlmAnswer(
                answer=answer,
                citations=cites or [],
                invocation=Invocation(
                    model=self.model,
                    agent="coach",
                    latency_ms=round((time.perf_counter() - started) * 1000, 2),
                    status=status,
                    prompt_tokens=getattr(usage, "prompt_tokens", None),
                    completion_tokens=getattr(usage, "completion_tokens", None),
                    error=error,
                ),
            )

        try:
            response = await asyncio.wait_for(
                self._client.chat.completions.create(
                    model=self.model, messages=messages, response_format=_RESPONSE_FORMAT, temperature=0.2
                ),
                self._timeout_s,
            )
        except (TimeoutError, self._openai.APITimeoutError):
            return done("timeout", error=f"no answer within {self._timeout_s}s")
        except self._openai.RateLimitError as exc:
            return done("rate_limited", error=str(exc))
        except self._openai.APIStatusError as exc:
            return done("error", error=f"HTTP {exc.status_code}: {exc}")
        except self._openai.APIError as exc:
            return done("error", error=f"{type(exc).__name__}: {exc}")
        usage = response.usage
        if not response.choices or getattr(response.choices[0].message, "refusal", None):
            return done("invalid", error="no answer (refused or empty)")
        content = response.choices[0].message.content or ""
        try:
            reply = msgspec.json.decode(content, type=_Reply)
        except msgspec.DecodeError as exc:
            if content.strip() and not content.lstrip().startswith(("{", "[")):
                # Some OpenAI-compatible servers ignore response_format and answer in prose: keep the prose;
                # it cites nothing by name, so the service cites the chunks the model was shown.
                return done("ok", answer=content.strip(), cites=[], error="plain-text answer (no JSON)")
            return done("invalid", error=f"answer does not match the schema: {exc}")
        if not reply.answer.strip():
            return done("invalid", error="empty answer")
        return done("ok", answer=reply.answer.strip(), cites=reply.citations)

    async def aclose(self) -> None:
        await self._client.close()
