"""The one way a JSON body or websocket message becomes a struct: every decoder failure (malformed,
nested too deep, wrong type, unknown field) is a `BadInput` with the contract's code, never anything else.
"""

from __future__ import annotations

import re
from typing import TypeVar

import msgspec

from server.errors import BadInput

__all__ = ["decode_json"]

T = TypeVar("T")

_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]*)`")


def decode_json(decoder: msgspec.json.Decoder[T], data: bytes | str) -> T:
    """`decoder.decode(data)`, or `BadInput` whose code says what was wrong:
    `malformed_json`, `too_deep`, `unknown_field` or `invalid_input`."""
    try:
        return decoder.decode(data)
    except msgspec.ValidationError as exc:
        _well_formed(data)  # a truncated body is malformed first, whatever field it broke off in
        message = str(exc)
        if _UNKNOWN_FIELD.search(message):
            raise BadInput(message, code="unknown_field") from exc
        raise BadInput(message, code="invalid_input") from exc
    except msgspec.DecodeError as exc:
        if not data:
            raise BadInput("the body is empty: send a JSON object", code="empty_body") from exc
        raise BadInput(f"malformed JSON: {exc}", code="malformed_json") from exc
    except RecursionError as exc:
        # msgspec's C decoder recurses per nesting level; Python's recursion limit stops it cleanly.
        raise BadInput("JSON is nested too deeply", code="too_deep") from exc
    except (UnicodeDecodeError, ValueError, TypeError) as exc:
        raise BadInput(f"malformed JSON: {exc}", code="malformed_json") from exc


_ANY = msgspec.json.Decoder()


def _well_formed(data: bytes | str) -> None:
    try:
        _ANY.decode(data)
    except msgspec.DecodeError as exc:
        raise BadInput(f"malformed JSON: {exc}", code="malformed_json") from exc
    except RecursionError as exc:
        raise BadInput("JSON is nested too deeply", code="too_deep") from exc
