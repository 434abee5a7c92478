"""Phonetic keys per token (jellyfish metaphone and NYSIIS), to catch words that sound alike.

Speech-to-text swaps words for sound-alikes ("squad" for "squat", "pools" for "pulls"). Two tokens
agree phonetically when they share either key; a phrase is scored against an entry by the share of
tokens on each side that find a phonetic partner on the other (a Dice coefficient over tokens), less
the same share counting identical words only: the score is what sounding alike adds over spelling
alike, so it is zero for a clean phrase and does not double the fuzzy scorer's word overlap.
Entries are numbered in the order given, the same numbering as the fuzzy scorer's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

import jellyfish

__all__ = ["SOUND_ALIKE_SIMILARITY", "PhoneticIndex", "token_keys"]

SOUND_ALIKE_SIMILARITY = 0.8  # how much a phonetic partner counts against an exact word


@lru_cache(maxsize=8192)
def token_keys(token: str) -> frozenset[str]:
    """Metaphone and NYSIIS keys of one token; digits and very short tokens stand for themselves."""
    if len(token) < 3 or not token.isalpha():
        return frozenset({"=" + token})
    keys = {"=" + token}
    meta = jellyfish.metaphone(token)
    if len(meta) >= 2:
        keys.add("m:" + meta)
    nysiis = jellyfish.nysiis(token)
    if len(nysiis) >= 2:
        keys.add("n:" + nysiis)
    return frozenset(keys)


class PhoneticIndex:
    def __init__(self, entries: Iterable[tuple[str, Sequence[str]]]) -> None:
        self._ids: list[str] = []
        self._keys: list[tuple[frozenset[str], ...]] = []
        self._all_keys: list[frozenset[str]] = []
        self._word_list: list[tuple[str, ...]] = []
        self._words: list[frozenset[str]] = []
        by_key: dict[str, set[str]] = defaultdict(set)
        for ex_id, tokens in entries:
            self._ids.append(ex_id)
            self._keys.append(tuple(token_keys(t) for t in tokens))
            self._word_list.append(tuple(tokens))
            self._words.append(frozenset(tokens))
            self._all_keys.append(frozenset().union(*self._keys[-1]))
            for t in tokens:
                for k in token_keys(t):
                    by_key[k].add(t)
        self._words_by_key = {k: frozenset(v) for k, v in by_key.items()}

    def sound_alikes(self, token: str) -> dict[str, float]:
        """Vocabulary words sharing a phonetic key with `token` (itself excluded)."""
        out: dict[str, float] = {}
        # sorted: key and word sets iterate in a per-process hash order, and callers that meet a tie
        # must see the same order in every server process
        for k in sorted(token_keys(token)):
            for w in sorted(self._words_by_key.get(k, ())):
                if w != token:
                    out[w] = SOUND_ALIKE_SIMILARITY
        return out

    def score(self, tokens: Sequence[str], entries: Iterable[int]) -> dict[str, float]:
        """Best phonetic gain (sound-alike Dice less exact-word Dice) per exercise id over `entries`."""
        if not tokens:
            return {}
        qkeys = [token_keys(t) for t in tokens]
        q_all = frozenset().union(*qkeys)
        q_words = frozenset(tokens)
        best: dict[str, float] = {}
        for i in entries:
            e_all = self._all_keys[i]
            q_hit = sum(1 for qk in qkeys if not qk.isdisjoint(e_all))
            if not q_hit:
                continue
            ekeys = self._keys[i]
            e_hit = sum(1 for ek in ekeys if not ek.isdisjoint(q_all))
            words = self._words[i]
            same = sum(1 for t in tokens if t in words) + sum(1 for w in self._word_list[i] if w in q_words)
            gain = (q_hit + e_hit - same) / (len(qkeys) + len(ekeys))
            ex_id = self._ids[i]
            if gain > best.get(ex_id, 0.0):
                best[ex_id] = gain
        return best
