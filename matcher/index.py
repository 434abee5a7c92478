"""The embedded keyword index: BM25 over each exercise's name, aliases, equipment and muscles.

`search(query_tokens, k)` returns `SearchHit`s with a 0..1 score (BM25 divided by the score a
document matching every query term at saturation would get), the same shape a remote search
backend supplies to `ExerciseMatcher.match(..., hits=...)`.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import msgspec

__all__ = ["IndexDocument", "KeywordIndex", "SearchHit"]

_K1 = 1.2
# Length normalisation counts the name only: a common lift with many aliases is no less relevant.
_B = 0.3
# A word in the name or an alias says far more than the same word among the muscles worked.
_FIELD_WEIGHTS = {"name": 1.0, "alias": 1.0, "equipment": 0.5, "muscle": 0.3}


class SearchHit(msgspec.Struct, frozen=True):
    id: str
    score: float


class IndexDocument(msgspec.Struct, frozen=True):
    id: str
    name: tuple[str, ...] = ()
    aliases: tuple[tuple[str, ...], ...] = ()
    equipment: tuple[str, ...] = ()
    muscles: tuple[str, ...] = ()


class KeywordIndex:
    def __init__(
        self,
        documents: Iterable[IndexDocument],
        normalize: Callable[[str], Sequence[str]] = str.split,
    ) -> None:
        """`normalize` turns a text query into index terms (the documents arrive already normalised)."""
        self._normalize = normalize
        self._ids: list[str] = []
        tfs: list[dict[str, float]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        lengths: list[float] = []
        for i, doc in enumerate(documents):
            tf: defaultdict[str, float] = defaultdict(float)
            for t in set(doc.name):
                tf[t] += _FIELD_WEIGHTS["name"]
            alias_terms = {t for alias in doc.aliases for t in alias} - set(doc.name)
            for t in alias_terms:
                tf[t] += _FIELD_WEIGHTS["alias"]
            for t in doc.equipment:
                tf[t] += _FIELD_WEIGHTS["equipment"]
            for t in doc.muscles:
                tf[t] += _FIELD_WEIGHTS["muscle"]
            self._ids.append(doc.id)
            tfs.append(dict(tf))
            lengths.append(float(len(doc.name) or 1))
            for t in tf:
                postings[t].append(i)
        n = max(len(self._ids), 1)
        avg_len = sum(lengths) / n if lengths else 1.0
        self._idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
        # each posting carries its finished BM25 contribution, so a search is only additions
        self._postings: dict[str, tuple[tuple[int, float], ...]] = {}
        for t, docs in postings.items():
            idf = self._idf[t]
            weighted = []
            for i in docs:
                freq = tfs[i][t]
                norm = _K1 * (1 - _B + _B * lengths[i] / avg_len)
                weighted.append((i, idf * freq / (freq + norm)))
            self._postings[t] = tuple(weighted)

    def __len__(self) -> int:
        return len(self._ids)

    def search(self, query: str | Sequence[str], k: int = 20) -> list[SearchHit]:
        """Best `k` documents for a text query or for already normalised tokens."""
        tokens = self._normalize(query) if isinstance(query, str) else query
        terms = [t for t in dict.fromkeys(tokens) if t in self._postings]
        if not terms:
            return []
        ceiling = sum(self._idf[t] for t in dict.fromkeys(tokens) if t in self._idf) or 1.0
        # an unknown query word still counts against the ceiling: it is evidence left unexplained
        ceiling += sum(1.0 for t in dict.fromkeys(tokens) if t not in self._idf)
        scores: dict[int, float] = defaultdict(float)
        for t in terms:
            for i, w in self._postings[t]:
                scores[i] += w
        ranked = heapq.nlargest(k, scores.items(), key=lambda kv: kv[1])
        return [SearchHit(id=self._ids[i], score=min(1.0, s / ceiling)) for i, s in ranked]
