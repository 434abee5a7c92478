"""The JSON schema the model must answer in: generated from the msgspec `ParsedSet`, made strict.

OpenAI's strict structured outputs want an object at the root, every property required (optional
ones are nullable instead), `additionalProperties: false` everywhere and no `default`s.
"""

from __future__ import annotations

import copy
from typing import Any

import msgspec

from models.parsed import ParsedSet

__all__ = ["PARSED_SET_SCHEMA", "strict_schema"]


_DROP = ("default", "title", "description")


def _strictify(node: Any, *, names: bool = False) -> Any:
    """`names` marks a mapping of field or definition names, whose keys are never schema keywords."""
    if isinstance(node, dict):
        node = {
            k: _strictify(v, names=k in ("properties", "$defs") and not names)
            for k, v in node.items()
            if names or k not in _DROP
        }
        if node.get("type") == "object" and "properties" in node:
            node["required"] = list(node["properties"])
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [_strictify(v) for v in node]
    return node


def strict_schema(struct: type) -> dict[str, Any]:
    raw = msgspec.json.schema(struct)
    defs = raw.get("$defs", {})
    root_name = raw["$ref"].rsplit("/", 1)[-1]
    root = copy.deepcopy(defs[root_name])
    others = {name: d for name, d in defs.items() if name != root_name}
    out = _strictify(root)
    if others:
        out["$defs"] = _strictify(others, names=True)
    return out


PARSED_SET_SCHEMA = strict_schema(ParsedSet)
