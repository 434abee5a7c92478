"""Bodies of `POST /v1/sync` (docs/protocol.md, "Offline sync")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec

from models.api import Duration, ExerciseId, Reps, Rpe, Unit, Weight

__all__ = [
    "OPS",
    "Change",
    "Conflict",
    "DeleteSetData",
    "DeleteWorkoutData",
    "ExerciseData",
    "ServerChange",
    "SetData",
    "SyncIn",
    "SyncOut",
    "UtteranceData",
    "UtteranceResult",
    "WorkoutData",
]

OPS = ("upsert_workout", "delete_workout", "upsert_set", "delete_set", "upsert_exercise", "log_utterance")
Name = Annotated[str, msgspec.Meta(max_length=200)]
Id = Annotated[str, msgspec.Meta(min_length=1, max_length=36)]


class Change(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    op: str
    client_id: uuid.UUID
    client_time: datetime
    data: dict[str, Any] = msgspec.field(default_factory=dict)


class SyncIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    cursor: str | None = None
    changes: list[Change] = msgspec.field(default_factory=list)


class _ExerciseRefIn(msgspec.Struct):
    id: ExerciseId


class SetData(msgspec.Struct, kw_only=True, omit_defaults=True):
    """`upsert_set` data: LoggedSet fields. Only the fields sent change; `id` (a server set id) edits a set
    the server made, else the change's client_id names the set."""

    id: Id | msgspec.UnsetType = msgspec.UNSET
    workout_id: Id | msgspec.UnsetType = msgspec.UNSET
    workout_client_id: uuid.UUID | msgspec.UnsetType = msgspec.UNSET
    exercise_id: ExerciseId | msgspec.UnsetType = msgspec.UNSET
    exercise: _ExerciseRefIn | msgspec.UnsetType = msgspec.UNSET
    exercise_client_id: uuid.UUID | msgspec.UnsetType = msgspec.UNSET
    """a custom exercise the phone made (`upsert_exercise`), by its client id"""
    reps: Reps | msgspec.UnsetType | None = msgspec.UNSET
    weight: Weight | msgspec.UnsetType | None = msgspec.UNSET
    unit: Unit | msgspec.UnsetType | None = msgspec.UNSET
    rpe: Rpe | msgspec.UnsetType | None = msgspec.UNSET
    duration_s: Duration | msgspec.UnsetType | None = msgspec.UNSET
    performed_at: datetime | msgspec.UnsetType = msgspec.UNSET


class WorkoutData(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: Id | msgspec.UnsetType = msgspec.UNSET
    name: Name | msgspec.UnsetType | None = msgspec.UNSET
    started_at: datetime | msgspec.UnsetType = msgspec.UNSET
    ended_at: datetime | msgspec.UnsetType | None = msgspec.UNSET


class DeleteSetData(msgspec.Struct, kw_only=True):
    """The set to delete: `id` (server id) or `client_id`; neither means the change's own client_id."""

    id: Id | msgspec.UnsetType = msgspec.UNSET
    client_id: uuid.UUID | msgspec.UnsetType = msgspec.UNSET


class DeleteWorkoutData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The workout to delete (with its sets): `id` (server id) or `client_id`; neither means the change's own
    client_id."""

    id: Id | msgspec.UnsetType = msgspec.UNSET
    client_id: uuid.UUID | msgspec.UnsetType = msgspec.UNSET


Alias = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class ExerciseData(msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=True):
    """`upsert_exercise` data: a custom exercise of the lifter's, named by the change's client_id (or `id`,
    its server id). Only the fields sent change; `aliases` replaces the list."""

    id: Annotated[str, msgspec.Meta(min_length=1, max_length=120)] | msgspec.UnsetType = msgspec.UNSET
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | msgspec.UnsetType = msgspec.UNSET
    aliases: Annotated[list[Alias], msgspec.Meta(max_length=20)] | msgspec.UnsetType = msgspec.UNSET
    equipment: Annotated[str, msgspec.Meta(max_length=60)] | msgspec.UnsetType | None = msgspec.UNSET
    category: Annotated[str, msgspec.Meta(max_length=60)] | msgspec.UnsetType | None = msgspec.UNSET


class UtteranceData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """`log_utterance` data: what the lifter typed or said (transcribed on the phone), and where."""

    text: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    unit: Unit | None = None
    workout_id: Id | msgspec.UnsetType = msgspec.UNSET
    workout_client_id: uuid.UUID | msgspec.UnsetType = msgspec.UNSET
    spoken_at: datetime | msgspec.UnsetType = msgspec.UNSET
    """when it was said (default: the change's client_time); the sets it logs are logged at that time"""


class UtteranceResult(msgspec.Struct, kw_only=True):
    client_id: str
    voice_command_id: str
    action: str
    """logged | clarify | corrected | undone | ignored, as for POST /v1/workouts/{id}/utterances"""
    set_ids: list[str]
    question: str | None = None


class ServerChange(msgspec.Struct, kw_only=True):
    seq: int
    op: str
    """upsert_workout | delete_workout | upsert_set | delete_set | upsert_exercise"""
    id: str
    client_id: str | None
    data: dict[str, Any]


class Conflict(msgspec.Struct, kw_only=True):
    client_id: str
    index: int
    """the change's position in the batch (two edits of one set share its client_id)"""
    reason: str
    """server_correction | deleted | stale"""
    fields: list[str]
    """the fields the server kept; the change's other fields were applied"""
    server: dict[str, Any]
    """the record as the server has it now (a ServerChange)"""


class SyncOut(msgspec.Struct, kw_only=True):
    cursor: str
    applied: list[str]
    conflicts: list[Conflict]
    changes: list[ServerChange]
    more: bool = False
    """true when more server changes wait: sync again from `cursor`"""
    utterances: list[UtteranceResult] = msgspec.field(default_factory=list)
    """what each `log_utterance` change did (its sets are also in `changes` on the next pull)"""
