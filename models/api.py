"""REST bodies of the external contract (docs/protocol.md), as msgspec structs."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

import msgspec

from models.parsed import Alternative, ExerciseRef, ParsedSet
from models.training import PrOut

__all__ = [
    "CorrectionOut",
    "ExerciseHit",
    "Health",
    "LoggedSet",
    "OwnAliasOut",
    "ParseIn",
    "PreviousSet",
    "Reps",
    "Rpe",
    "SetPatch",
    "UtteranceIn",
    "UtteranceOut",
    "VoiceCommandOut",
    "Weight",
    "WorkoutIn",
    "WorkoutOut",
]

Unit = Literal["lb", "kg"]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
Reps = Annotated[int, msgspec.Meta(gt=0, le=1000)]
Weight = Annotated[float, msgspec.Meta(ge=0, le=2000)]
Rpe = Annotated[float, msgspec.Meta(ge=1, le=10, multiple_of=0.5)]
Duration = Annotated[int, msgspec.Meta(gt=0, le=86_400)]
ExerciseId = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]

ExerciseHit = Alternative


class Health(msgspec.Struct):
    status: str = "ok"
    """`ok`; `unavailable` (a check is `down`) or `draining` (shutting down) answer 503"""
    checks: dict[str, str] = msgspec.field(default_factory=dict)
    """`database`, `redis`, `stt`: `ok` | `off` (not configured) | `down`"""
    instance: str | None = None


class LoggedSet(msgspec.Struct, kw_only=True):
    id: str
    workout_id: str
    exercise: ExerciseRef
    set_number: int
    reps: int | None
    weight: float | None
    unit: Unit | None
    rpe: float | None
    duration_s: int | None
    voice_command_id: str | None
    created_at: str
    corrected: bool = False


# Request bodies refuse fields they do not know: a misspelled `clientId` silently ignored made a retry
# log the set twice. Responses stay open to additions.


class WorkoutIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class WorkoutOut(msgspec.Struct, kw_only=True):
    id: str
    name: str | None
    started_at: str
    ended_at: str | None = None
    sets: list[LoggedSet] = msgspec.field(default_factory=list)


class PreviousSet(ParsedSet, kw_only=True, forbid_unknown_fields=True):
    """A ParsedSet sent back as context (`/v1/parse`'s `previous`): the ranges of a set hold, as they do
    for a PATCH, so "same again" can never answer a set no one could log."""

    sets: Annotated[int, msgspec.Meta(ge=1, le=50)] = 1
    reps: Reps | None = None
    weight: Weight | None = None
    rpe: Rpe | None = None
    duration_s: Duration | None = None
    confidence: Annotated[float, msgspec.Meta(ge=0, le=1)] = 0.0


class ParseIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    text: Text
    unit: Unit | None = None
    previous: PreviousSet | None = None


class UtteranceIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    text: Text
    unit: Unit | None = None
    client_id: uuid.UUID | None = None
    """Sent again after a dropped connection, it answers the first result and creates nothing new."""


class UtteranceOut(msgspec.Struct, kw_only=True):
    voice_command_id: str
    parsed: ParsedSet
    sets: list[LoggedSet]
    action: str
    """What the server did: logged | clarify | corrected | undone | ignored."""
    question: str | None = None
    """The question to put to the lifter when `action` is `clarify`."""
    reply: str | None = None
    """What the server says back when `action` is `answered` (the coach), `profile_updated` or
    `exercise_created` (a custom exercise made by voice)."""
    transcript: str | None = None
    """What speech-to-text heard (audio uploads only)."""
    undone: list[LoggedSet] = msgspec.field(default_factory=list)
    """The sets an `undo` removed."""
    timing_ms: dict[str, float] = msgspec.field(default_factory=dict)
    prs: list[PrOut] = msgspec.field(default_factory=list)
    """The personal records the utterance's sets made (docs/protocol.md)."""


class SetPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """A correction: only the fields sent change; `null` clears reps, weight, unit, rpe or duration_s."""

    exercise_id: ExerciseId | msgspec.UnsetType = msgspec.UNSET
    reps: Reps | msgspec.UnsetType | None = msgspec.UNSET
    weight: Weight | msgspec.UnsetType | None = msgspec.UNSET
    unit: Unit | msgspec.UnsetType | None = msgspec.UNSET
    rpe: Rpe | msgspec.UnsetType | None = msgspec.UNSET
    duration_s: Duration | msgspec.UnsetType | None = msgspec.UNSET

    def changes(self) -> dict[str, object]:
        return {f: getattr(self, f) for f in self.__struct_fields__ if getattr(self, f) is not msgspec.UNSET}


class OwnAliasOut(msgspec.Struct, kw_only=True):
    """A lifter's own name for an exercise, learned from a correction (`GET /v1/aliases`)."""

    id: str
    phrase: str
    exercise_id: str
    exercise_name: str
    voice_command_id: str | None
    created_at: str
    # in force (read before the catalog) once corrected `needs` times; `times` so far
    active: bool = True
    times: int = 1
    needs: int = 1


class CorrectionOut(msgspec.Struct, kw_only=True):
    """One changed field of a set (`GET /v1/sets/{id}/history`)."""

    id: str
    set_id: str
    field: str
    old: Any
    new: Any
    source: str
    voice_command_id: str | None
    at: str


class VoiceCommandOut(msgspec.Struct, kw_only=True):
    """Everything the server kept about one utterance (`GET /v1/voice-commands/{id}`)."""

    id: str
    workout_id: str
    source: str
    transcript: str
    normalized_text: str
    intent: str
    action: str
    parsed: ParsedSet
    confidence: float
    model_used: str
    candidates: list[Alternative]
    latency_ms: dict[str, float]
    clarify_question: str | None
    was_corrected: bool
    corrected_output: ParsedSet | None
    correction_type: str | None
    set_ids: list[str]
    created_at: str
    understand_path: list[str] = msgspec.field(default_factory=list)
    """every stage that served this utterance, e.g. ["search:embedded", "grammar", "llm:timeout"]"""
    trace: dict[str, Any] = msgspec.field(default_factory=dict)
    """the parse trace: normalized text, exercise phrase, rule, stated fields, notes, stage times, and
    for speech the decoder's n-best readings (`stt_hypotheses`)"""
    audio_duration_s: float | None = None
    stt_ms: float | None = None
    stt_model: str | None = None
