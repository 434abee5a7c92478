"""The structured-output schema is generated from ParsedSet and meets strict mode's rules."""

from __future__ import annotations

from typing import Any

import msgspec

from models.parsed import ParsedSet
from server.backends.llm.schema import PARSED_SET_SCHEMA, strict_schema

__all__: list[str] = []


def objects(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found += objects(value)
    elif isinstance(node, list):
        for value in node:
            found += objects(value)
    return found


def test_every_field_of_parsed_set_is_in_the_schema() -> None:
    fields = [f.name for f in msgspec.structs.fields(ParsedSet)]
    assert list(PARSED_SET_SCHEMA["properties"]) == fields
    assert PARSED_SET_SCHEMA["type"] == "object"


def test_strict_rules_hold_everywhere() -> None:
    found = objects(PARSED_SET_SCHEMA)
    assert len(found) >= 3  # ParsedSet, ExerciseRef, Alternative
    for obj in found:
        assert obj["additionalProperties"] is False
        assert sorted(obj["required"]) == sorted(obj["properties"])
    assert '"default"' not in msgspec.json.encode(PARSED_SET_SCHEMA).decode()


def test_field_names_that_look_like_keywords_survive() -> None:
    class Odd(msgspec.Struct):
        title: str
        description: str | None = None
        default: int = 0

    schema = strict_schema(Odd)
    assert set(schema["properties"]) == {"title", "description", "default"}
    assert sorted(schema["required"]) == ["default", "description", "title"]


def test_a_conforming_answer_decodes_into_parsed_set() -> None:
    answer = {
        "intent": "log_set",
        "exercise": {"id": "Barbell_Squat", "name": "Barbell Squat"},
        "alternatives": [],
        "sets": 3,
        "reps": 5,
        "weight": 100.0,
        "unit": "kg",
        "rpe": 8.5,
        "duration_s": None,
        "confidence": 0.8,
    }
    assert set(answer) == set(PARSED_SET_SCHEMA["required"])
    parsed = msgspec.convert(answer, ParsedSet)
    assert parsed.exercise is not None and parsed.sets == 3 and parsed.rpe == 8.5
