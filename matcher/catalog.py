"""The exercise catalog (free-exercise-db ids), loaded once from the packaged fixture."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import msgspec

__all__ = ["Catalog", "Exercise", "load_catalog"]


class Exercise(msgspec.Struct, frozen=True, rename="camel"):
    id: str
    name: str
    equipment: str | None = None
    category: str | None = None
    primary_muscles: tuple[str, ...] = ()
    secondary_muscles: tuple[str, ...] = ()
    force: str | None = None
    mechanic: str | None = None


class Catalog:
    """Exercises by id, in file order."""

    def __init__(self, exercises: list[Exercise]) -> None:
        self._by_id = {e.id: e for e in exercises}
        if len(self._by_id) != len(exercises):
            raise ValueError("duplicate exercise id in catalog")

    @classmethod
    def from_json(cls, data: bytes) -> Catalog:
        return cls(msgspec.json.decode(data, type=list[Exercise]))

    def get(self, exercise_id: str) -> Exercise | None:
        return self._by_id.get(exercise_id)

    def __getitem__(self, exercise_id: str) -> Exercise:
        return self._by_id[exercise_id]

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)


def load_catalog() -> Catalog:
    """The catalog shipped in the `fixtures` package (works installed or editable, from any cwd)."""
    data = resources.files("fixtures").joinpath("exercises.json").read_bytes()
    return Catalog.from_json(data)
