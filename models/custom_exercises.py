"""Bodies of the custom exercise routes (docs/protocol.md, "Custom exercises")."""

from __future__ import annotations

from typing import Annotated

import msgspec

__all__ = ["CustomExerciseIn", "CustomExerciseOut", "CustomExercisePatch"]

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Alias = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Aliases = Annotated[list[Alias], msgspec.Meta(max_length=20)]
Label = Annotated[str, msgspec.Meta(max_length=60)]


class CustomExerciseIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    aliases: Aliases = msgspec.field(default_factory=list)
    equipment: Label | None = None
    category: Label | None = None


class CustomExercisePatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """Only the fields sent change; `aliases` replaces the list."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    aliases: Aliases | msgspec.UnsetType = msgspec.UNSET
    equipment: Label | msgspec.UnsetType | None = msgspec.UNSET
    category: Label | msgspec.UnsetType | None = msgspec.UNSET


class CustomExerciseOut(msgspec.Struct, kw_only=True):
    id: str
    name: str
    aliases: list[str]
    equipment: str | None
    category: str | None
    custom: bool = True
    created_at: str | None = None
