"""Phonetic keys per token (jellyfish metaphone and NYSIIS), to catch words that sound alike.

Speech-to-text swaps words for sound-alikes ("squad" for "squat", "pools" for "pulls"). Two tokens
agree phonetically when they share either key; a phrase is scored against an entry by the share of
tokens on each side that find a phonetic partner on the other (a Dice coefficient over tokens).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

import jellyfish

__all__ = ["PhoneticIndex", "token_keys"]


@lru_cache(maxsize=8192)
def token_keys(token: str) -> frozenset[str]:
    """Metaphone and NYSIIS keys of one token; digits and one-letter tokens stand for themselves."""
    if len(token) < 2 or not token.isalpha():
        return frozenset({"=" + token})
    keys = {"=" + token}
    meta = jellyfish.metaphone(token)
    if meta:
        keys.add("m:" + meta)
    nysiis = jellyfish.nysiis(token)
    if nysiis:
        keys.add("n:" + nysiis)
    return frozenset(keys)


class PhoneticIndex:
    """Entries (exercise id, tokens) searchable by the phonetic keys of a query's tokens."""

    def __init__(self, entries: Iterable[tuple[str, Sequence[str]]]) -> None:
        self._ids: list[str] = []
        self._keys: list[list[frozenset[str]]] = []
        postings: dict[str, set[int]] = defaultdict(set)
        for i, (ex_id, tokens) in enumerate(entries):
            keys = [token_keys(t) for t in tokens]
            self._ids.append(ex_id)
            self._keys.append(keys)
            for ks in keys:
                for k in ks:
                    postings[k].add(i)
        self._postings = {k: frozenset(v) for k, v in postings.items()}

    def score(self, tokens: Sequence[str]) -> dict[str, float]:
        """Best phonetic Dice score per exercise id, over entries sharing at least one key."""
        if not tokens:
            return {}
        qkeys = [token_keys(t) for t in tokens]
        candidates: set[int] = set()
        for ks in qkeys:
            for k in ks:
                candidates |= self._postings.get(k, frozenset())
        best: dict[str, float] = {}
        for i in candidates:
            ekeys = self._keys[i]
            q_hit = sum(1 for qk in qkeys if any(qk & ek for ek in ekeys))
            e_hit = sum(1 for ek in ekeys if any(qk & ek for qk in qkeys))
            s = (q_hit + e_hit) / (len(qkeys) + len(ekeys))
            ex_id = self._ids[i]
            if s > best.get(ex_id, 0.0):
                best[ex_id] = s
        return best
