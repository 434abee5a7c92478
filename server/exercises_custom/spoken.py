"""A custom exercise made by voice: "create exercise zercher box squat", "new exercise called hatfield
squat", "add a custom exercise: sled drag". Only an explicit command is read, so no set is taken for one."""

from __future__ import annotations

import re

__all__ = ["read_new_exercise"]

_COMMAND = re.compile(
    r"^\s*(?:(?:please|hey coach,?|coach,?)\s+)?(?:create|add|make|new|save)\s+(?:me\s+)?(?:a\s+|an\s+)?"
    r"(?:new\s+)?(?:custom\s+)?exercise(?:\s+(?:called|named))?\s*[:,]?\s+(?P<name>.+?)\s*[.!]*\s*$",
    re.IGNORECASE,
)
_QUOTES = "\"'“”‘’"


def read_new_exercise(text: str) -> str | None:
    """The name a lifter asked to make an exercise of, or None when the words are not that command."""
    found = _COMMAND.match(text)
    if found is None:
        return None
    name = found.group("name").strip(_QUOTES + " ")
    if not name or len(name) > 200 or any(ch.isdigit() for ch in name):
        return None  # a number in it is a set being said ("add exercise ... 100 for 5"), not a name
    return name
