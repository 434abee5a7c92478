"""OpenAI's `/v1/chat/completions` wire format, for the real `openai` SDK to talk to.

It checks what a strict structured-output request must carry (Bearer key, messages, a json_schema
response_format with strict=true and every property required), answers in the API's shapes
(chat.completion with usage; `{"error": {message, type, param, code}}` on 400/401/429/500), and
gets its answer from `respond(request_json) -> dict`, which a test sets to play the model.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from tests.fakes.http import FakeHTTPServer, Reply, json_reply

__all__ = ["FakeOpenAI", "openai_error"]


def openai_error(status: int, message: str, type_: str, code: str | None = None) -> Reply:
    return json_reply(status, {"error": {"message": message, "type": type_, "param": None, "code": code}})


def _strict_problems(schema: Any, where: str = "$") -> list[str]:
    problems: list[str] = []
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            props = schema.get("properties", {})
            if schema.get("additionalProperties") is not False:
                problems.append(f"{where}: additionalProperties must be false")
            if sorted(schema.get("required", [])) != sorted(props):
                problems.append(f"{where}: every property must be required")
        if "default" in schema:
            problems.append(f"{where}: 'default' is not allowed")
        for key, value in schema.items():
            if key == "properties" or key == "$defs":
                for name, sub in value.items():
                    problems += _strict_problems(sub, f"{where}.{name}")
            elif isinstance(value, (dict, list)) and key != "enum":
                problems += _strict_problems(value, f"{where}.{key}")
    elif isinstance(schema, list):
        for i, sub in enumerate(schema):
            problems += _strict_problems(sub, f"{where}[{i}]")
    return problems


class FakeOpenAI(FakeHTTPServer):
    def __init__(
        self, api_key: str = "sk-test", respond: Callable[[dict[str, Any]], Any] | None = None
    ) -> None:
        super().__init__()
        self.api_key = api_key
        self.respond = respond or (lambda request: {"refusal": "no model configured in this test"})

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def handle(self, method: str, path: str, headers: dict[str, str], body: Any) -> Reply:
        if headers.get("authorization") != f"Bearer {self.api_key}":
            return openai_error(
                401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"
            )
        if method != "POST" or path != "/v1/chat/completions":
            return openai_error(404, f"Unknown request URL: {method} {path}", "invalid_request_error")
        if not isinstance(body, dict) or not body.get("model") or not body.get("messages"):
            return openai_error(400, "model and messages are required", "invalid_request_error")
        fmt = body.get("response_format") or {}
        if fmt.get("type") == "json_schema":
            js = fmt.get("json_schema") or {}
            if not js.get("name") or not isinstance(js.get("schema"), dict):
                return openai_error(400, "json_schema needs name and schema", "invalid_request_error")
            if js.get("strict"):
                problems = _strict_problems(js["schema"])
                if js["schema"].get("type") != "object":
                    problems.append("$: root must be an object")
                if problems:
                    return openai_error(
                        400,
                        f"Invalid schema for response_format: {problems[0]}",
                        "invalid_request_error",
                        "invalid_json_schema",
                    )
        answer = self.respond(body)
        if isinstance(answer, Reply):
            return answer
        if isinstance(answer, dict) and "refusal" in answer:
            message = {"role": "assistant", "content": None, "refusal": answer["refusal"]}
        else:
            message = {"role": "assistant", "content": json.dumps(answer), "refusal": None}
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in body["messages"])
        completion_tokens = len((message["content"] or "").split()) or 1
        return json_reply(
            200,
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
            },
            {"x-request-id": f"req_{len(self.requests)}"},
        )
