"""Exercise names of an export → exercise ids, by the same matcher the voice path uses (the lifter's own
phrases first, then the catalog).

A name is taken only when the matcher is as sure as it must be to log a spoken set; the rest are listed
for the lifter to confirm (with the matcher's best guesses), never guessed silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from matcher.own_aliases import OwnAliasLookup

__all__ = ["CUSTOM_NEAR", "NameResolution", "resolve_names"]

CUSTOM_NEAR = 0.85
"""as the reader: how alike a name must be to a custom exercise's name or alias to be it"""


class NameResolution(msgspec.Struct, kw_only=True):
    name: str
    exercise_id: str | None
    score: float
    guesses: list[dict[str, Any]]


def resolve_names(
    matcher: Any,
    names: Iterable[str],
    threshold: float,
    own: Mapping[str, str] | None = None,
    custom: Mapping[str, str] | None = None,
) -> dict[str, NameResolution]:
    """`own`: the lifter's phrases (their custom exercises' names and aliases, the aliases learned from
    their corrections and from names they confirmed), looked up first, as the voice path does; `custom`:
    their custom exercises (id -> name), also matched by likeness when the catalog is less sure."""
    lookup = (
        OwnAliasLookup(getattr(matcher, "normalize", lambda p: tuple(p.lower().split()))) if own else None
    )
    out: dict[str, NameResolution] = {}
    for name in sorted(set(names)):
        hit = lookup.find([name], own) if lookup is not None and own else None
        if hit is not None:
            out[name] = NameResolution(name=name, exercise_id=hit[1], score=1.0, guesses=[])
            continue
        m = matcher.match(name)
        near = (
            lookup.near([name], own, custom, CUSTOM_NEAR) if lookup is not None and own and custom else None
        )
        if near is not None and (m.exercise is None or m.score < near[2]):
            out[name] = NameResolution(name=name, exercise_id=near[1], score=round(near[2], 3), guesses=[])
            continue
        guesses = [{"id": c.id, "name": c.name, "score": round(c.score, 3)} for c in m.candidates[:3]]
        sure = m.exercise is not None and m.score >= threshold
        out[name] = NameResolution(
            name=name,
            exercise_id=m.exercise.id if sure else None,
            score=round(float(m.score), 3),
            guesses=guesses,
        )
    return out
