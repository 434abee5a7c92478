"""Retrieval over chunks: BM25 with the title and tags weighted up and lifter synonyms added at half
weight (the coach's default), beside the plain keyword-overlap ranking the benchmark compares it with.

The knowledge base and catalog are indexed once; the lifter's own chunks are scored per question with
the same corpus statistics, so their scores stand beside the shared chunks' on one scale."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from server.coach.chunks import Chunk
from server.coach.text import expand, tokens

__all__ = ["ChunkIndex", "Hit", "fuse", "keyword_rank"]

_K1, _B = 1.2, 0.75
_TITLE_WEIGHT = 3
_TAG_WEIGHT = 2
_SYNONYM_WEIGHT = 0.5
# Written coaching cues answer questions; catalog instructions describe one exercise: prefer the cues.
_SOURCE_PRIOR = {"knowledge_base": 1.25, "exercise_cues": 1.0, "profile": 1.1, "history": 1.1}
_RRF_K = 60
_FIRST_PERSON = frozenset({"my", "i", "me", "mine", "im", "ive"})


class Hit:
    __slots__ = ("chunk", "score")

    def __init__(self, chunk: Chunk, score: float) -> None:
        self.chunk, self.score = chunk, score

    def __repr__(self) -> str:
        return f"Hit({self.chunk.ref!r}, {self.score:.3f})"


def _terms(chunk: Chunk) -> Counter[str]:
    counts = Counter(tokens(chunk.text))
    for t in tokens(chunk.title):
        counts[t] += _TITLE_WEIGHT
    for tag in chunk.tags:
        for t in tokens(tag):
            counts[t] += _TAG_WEIGHT
    return counts


class ChunkIndex:
    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.chunks = list(chunks)
        self.by_ref = {c.ref: c for c in self.chunks}
        self._terms = [_terms(c) for c in self.chunks]
        self._df: Counter[str] = Counter()
        for counts in self._terms:
            self._df.update(counts.keys())
        self._n = len(self.chunks)
        self._avgdl = sum(sum(c.values()) for c in self._terms) / max(self._n, 1)

    def _idf(self, term: str) -> float:
        df = self._df.get(term, 0)
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def _score(self, query: dict[str, float], counts: Counter[str]) -> float:
        length = sum(counts.values())
        score = 0.0
        for term, weight in query.items():
            tf = counts.get(term, 0)
            if tf:
                norm = tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * length / self._avgdl))
                score += weight * self._idf(term) * norm
        return score

    def search(
        self, question: str, *, extra: Sequence[Chunk] = (), limit: int = 5, synonyms: bool = True
    ) -> list[Hit]:
        """`synonyms=False` is the benchmark's ablation: BM25 on the question's own words only."""
        query: dict[str, float] = {}
        for t in tokens(question):
            query[t] = 1.0
        for t in expand(question) if synonyms else ():
            query.setdefault(t, _SYNONYM_WEIGHT)
        personal = bool(_FIRST_PERSON & set(question.lower().replace("'", "").split()))
        scored: list[Hit] = []
        pool = [*zip(self.chunks, self._terms, strict=True), *((c, _terms(c)) for c in extra)]
        for chunk, counts in pool:
            s = self._score(query, counts)
            if s <= 0:
                continue
            prior = _SOURCE_PRIOR[chunk.source]
            if personal and chunk.source in ("profile", "history"):
                prior *= 1.3
            scored.append(Hit(chunk, s * prior))
        scored.sort(key=lambda h: (-h.score, h.chunk.ref))
        return scored[:limit]


def keyword_rank(question: str, chunks: Sequence[Chunk], *, limit: int = 5) -> list[Hit]:
    """The baseline: how many distinct question words a chunk holds (lowercased; no stemming, no weights)."""
    words = {w for w in question.lower().replace("?", " ").split() if len(w) > 2}
    scored = []
    for chunk in chunks:
        have = set(f"{chunk.title} {chunk.text}".lower().replace(".", " ").replace(",", " ").split())
        overlap = len(words & have)
        if overlap:
            scored.append(Hit(chunk, float(overlap)))
    scored.sort(key=lambda h: (-h.score, h.chunk.ref))
    return scored[:limit]


def fuse(
    local: Sequence[Hit], remote: Sequence[Sequence[str]], known: dict[str, Chunk], *, limit: int = 5
) -> list[Hit]:
    """Weighted reciprocal-rank fusion of the embedded ranking (which alone holds the lifter's own chunks)
    and a remote index's rankings of the shared chunks, one a index. The remote rankings share one vote
    between them, as much as the embedded one (97% recall@5 on benchmarks/coach_retrieval.py); remote ids
    the catalog or the cues do not hold are dropped."""
    scores: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}

    def vote(ref: str, rank: int, weight: float) -> None:
        scores[ref] = scores.get(ref, 0.0) + weight / (_RRF_K + rank + 1)

    for rank, hit in enumerate(local):
        vote(hit.chunk.ref, rank, 1.0)
        chunks[hit.chunk.ref] = hit.chunk
    for ranking in remote:
        for rank, ref in enumerate(r for r in ranking if r in known):
            vote(ref, rank, 1.0 / max(len(remote), 1))
            chunks.setdefault(ref, known[ref])
    ranked = sorted(scores, key=lambda ref: (-scores[ref], ref))
    return [Hit(chunks[ref], scores[ref]) for ref in ranked[:limit]]
