"""A lifter's own names for exercises (learned from their corrections), looked up before the catalog.

The server keeps them per lifter (`server/learning/`) and passes them in as phrase -> exercise id. A
phrase matches when it normalises to the same words as what the lifter said (word order and plural
endings aside, as the catalog's aliases match), so "skill presses" said again in another sentence,
or as "skill press", is read as the exercise they meant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

__all__ = ["OwnAliasLookup"]


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
