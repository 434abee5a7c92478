"""What every fuzzed answer must be: no 5xx, and an error answer carries the contract's error body."""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["INTERNAL_CLOSES", "contract_problem", "event_problem"]

# The server's "internal error" closes: a crash, never a client's doing.
INTERNAL_CLOSES = (1011, 4500)
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def _error_problem(error: Any) -> str | None:
    if not isinstance(error, dict) or set(error) - {"code", "message", "utterance_id"}:
        return f"error object is not {{code, message}}: {error!r}"[:300]
    code, message = error.get("code"), error.get("message")
    if not isinstance(code, str) or not _CODE.match(code):
        return f"error code {code!r} is not a snake_case string"
    if code == "internal_error":
        return "internal_error"
    if not isinstance(message, str) or not message.strip():
        return f"error message {message!r} is empty"
    return None


def contract_problem(method: str, status: int, headers: dict[str, str], body: bytes) -> str | None:
    """Why an HTTP answer breaks the contract (server/errors.py), or None when it keeps it."""
    if status >= 500:
        return f"{status} {body[:300]!r}"
    if status < 400 or method.upper() == "HEAD":
        return None
    if "json" not in headers.get("content-type", ""):
        return f"{status} error answered as {headers.get('content-type')!r}: {body[:200]!r}"
    try:
        decoded = json.loads(body)
    except ValueError:
        return f"{status} error body is not JSON: {body[:200]!r}"
    if not isinstance(decoded, dict) or set(decoded) != {"error"}:
        return f"{status} error body is not {{'error': ...}}: {body[:200]!r}"
    problem = _error_problem(decoded["error"])
    return f"{status} {problem}" if problem else None


def event_problem(event: dict[str, Any]) -> str | None:
    """Why a websocket `error` event breaks the contract, or None."""
    if event.get("type") != "error":
        return None
    return _error_problem({k: v for k, v in event.items() if k != "type"})
