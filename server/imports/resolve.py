"""Exercise names of an export → catalog ids, by the same matcher the voice path uses.

A name is taken only when the matcher is as sure as it must be to log a spoken set; the rest are listed
for the lifter to confirm (with the matcher's best guesses), never guessed silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec

__all__ = ["NameResolution", "resolve_names"]


class NameResolution(msgspec.Struct, kw_only=True):
    name: str
    exercise_id: str | None
    score: float
    guesses: list[dict[str, Any]]


def resolve_names(matcher: Any, names: Iterable[str], threshold: float) -> dict[str, NameResolution]:
    out: dict[str, NameResolution] = {}
    for name in sorted(set(names)):
        m = matcher.match(name)
        guesses = [{"id": c.id, "name": c.name, "score": round(c.score, 3)} for c in m.candidates[:3]]
        sure = m.exercise is not None and m.score >= threshold
        out[name] = NameResolution(
            name=name,
            exercise_id=m.exercise.id if sure else None,
            score=round(float(m.score), 3),
            guesses=guesses,
        )
    return out
