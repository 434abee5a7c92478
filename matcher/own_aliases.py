"""A lifter's own names for exercises (learned from their corrections), looked up before the catalog.

The server keeps them per lifter (`server/learning/`) and passes them in as phrase -> exercise id; a
lifter's custom exercises come the same way (their names and aliases are phrases), with their names. A
phrase matches when it normalises to the same words as what the lifter said (word order and plural
endings aside, as the catalog's aliases match), so "skill presses" said again in another sentence,
or as "skill press", is read as the exercise they meant.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from functools import lru_cache
from typing import Protocol

import msgspec
from rapidfuzz import fuzz

from models.parsed import Alternative, ExerciseRef

__all__ = ["OwnAliasLookup", "OwnMatch", "own_match"]


class OwnAliasLookup:
    def __init__(self, normalize: Callable[[str], tuple[str, ...]]) -> None:
        self._key = lru_cache(maxsize=8192)(lambda phrase: tuple(sorted(normalize(phrase))))

    def find(self, phrases: Iterable[str | None], own: Mapping[str, str]) -> tuple[str, str] | None:
        """(the lifter's phrase, exercise id) for the first of `phrases` that is one of theirs."""
        if not own:
            return None
        keys = {self._key(said): (said, ex_id) for said, ex_id in own.items()}
        for phrase in phrases:
            if phrase:
                hit = keys.get(self._key(phrase))
                if hit is not None:
                    return hit
        return None

    def near(
        self, phrases: Iterable[str | None], own: Mapping[str, str], ids: Container[str], floor: float
    ) -> tuple[str, str, float] | None:
        """(phrase, exercise id, similarity) of the closest of the lifter's phrases naming one of `ids`, when
        it is at least `floor` alike (0..1, on the normalised words): a custom exercise misheard or misspelt
        ("zercher box squad") is matched as a catalog name would be, by likeness, not only word for word."""
        best: tuple[str, str, float] | None = None
        keys = [(" ".join(self._key(said)), said, ex_id) for said, ex_id in own.items() if ex_id in ids]
        for phrase in phrases:
            if not phrase or not keys:
                continue
            mine = " ".join(self._key(phrase))
            for key, said, ex_id in keys:
                score = fuzz.ratio(mine, key) / 100.0
                if score >= floor and (best is None or score > best[2]):
                    best = (said, ex_id, score)
        return best


class OwnMatch(msgspec.Struct, kw_only=True):
    """The lifter's own alias named the exercise: as sure as an exact catalog alias."""

    exercise: ExerciseRef
    alternatives: list[Alternative]
    candidates: list[Alternative]
    score: float = 1.0


class _Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


class _Catalog(Protocol):
    def get(self, exercise_id: str) -> _Named | None: ...


class _Ranked(Protocol):
    @property
    def candidates(self) -> list[Alternative]: ...


def own_match(
    hit: tuple[str, str],
    match: _Ranked | None,
    catalog: _Catalog,
    names: Mapping[str, str] | None = None,
    score: float = 1.0,
) -> OwnMatch | None:
    """The match for an own-alias hit, the catalog's candidates kept as the alternatives. `names`: the
    lifter's custom exercises (id -> name), which the catalog does not hold. None when neither has the
    exercise (the catalog's reading stands)."""
    ex = catalog.get(hit[1])
    name = ex.name if ex is not None else (names or {}).get(hit[1])
    if name is None:
        return None
    others = [a for a in (match.candidates if match is not None else []) if a.id != hit[1]]
    mine = Alternative(id=hit[1], name=name, score=1.0)
    return OwnMatch(
        exercise=ExerciseRef(id=hit[1], name=name), alternatives=others, candidates=[mine, *others]
    )
