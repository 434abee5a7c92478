"""What one utterance says: the `ParsedSet` of the external contract, plus its explanation."""

from __future__ import annotations

from typing import Literal

import msgspec

__all__ = [
    "Alternative",
    "ExerciseRef",
    "Intent",
    "ParseResult",
    "ParseTrace",
    "ParsedSet",
    "Unit",
]

Intent = Literal["log_set", "correction", "undo", "unknown"]
Unit = Literal["lb", "kg"]


class ExerciseRef(msgspec.Struct, frozen=True):
    id: str
    name: str


class Alternative(msgspec.Struct, frozen=True):
    id: str
    name: str
    score: float


class ParsedSet(msgspec.Struct, kw_only=True):
    """Exactly the contract's ParsedSet (docs/protocol.md); field order matches it."""

    intent: Intent = "unknown"
    exercise: ExerciseRef | None = None
    alternatives: list[Alternative] = msgspec.field(default_factory=list)
    sets: int = 1
    reps: int | None = None
    weight: float | None = None
    unit: Unit | None = None
    rpe: float | None = None
    duration_s: int | None = None
    confidence: float = 0.0


class ParseTrace(msgspec.Struct, kw_only=True):
    """Why the parser answered what it did: kept on the voice command, never needed by clients.

    `stages_ms` holds the wall time of each stage ("normalize", "parse", "match").
    `fields` names the fields the utterance itself stated (the rest came from context).
    """

    normalized: str = ""
    exercise_phrase: str | None = None
    rule: str = ""
    fields: list[str] = msgspec.field(default_factory=list)
    candidates: list[Alternative] = msgspec.field(default_factory=list)
    notes: list[str] = msgspec.field(default_factory=list)
    stages_ms: dict[str, float] = msgspec.field(default_factory=dict)


class ParseResult(msgspec.Struct, kw_only=True):
    parsed: ParsedSet
    trace: ParseTrace
