"""Fuzzy scoring (rapidfuzz) of a normalised phrase against every normalised name and alias.

Two views, both 0..1 per exercise id:
- `strings`: whole-phrase similarity, order-insensitive (token_sort_ratio), for misspellings;
- `tokens`: IDF-weighted soft token overlap, each query token matched to its closest entry token
  (exact, typo-close, or a prefix of it). It tolerates extra or missing words in proportion to how
  informative they are, so "bench" says more about an entry than "barbell" does.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process

__all__ = ["FuzzyScorer", "FuzzyScores"]

_TOKEN_CUTOFF = 78.0  # below this ratio two tokens are different words
_RECALL_WEIGHT = 2.0  # F-beta²: explaining the lifter's words matters more than covering the entry's


class FuzzyScores:
    __slots__ = ("strings", "tokens")

    def __init__(self, strings: dict[str, float], tokens: dict[str, float]) -> None:
        self.strings = strings
        self.tokens = tokens


class FuzzyScorer:
    def __init__(self, entries: Iterable[tuple[str, Sequence[str]]]) -> None:
        self._ids: list[str] = []
        self._phrases: list[str] = []
        self._tokens: list[tuple[str, ...]] = []
        postings: dict[str, set[int]] = defaultdict(set)
        df: Counter[str] = Counter()
        for i, (ex_id, tokens) in enumerate(entries):
            toks = tuple(tokens)
            self._ids.append(ex_id)
            self._phrases.append(" ".join(toks))
            self._tokens.append(toks)
            for t in set(toks):
                postings[t].add(i)
                df[t] += 1
        n = len(self._ids)
        self._idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self._unknown_idf = math.log(1 + n)
        self._postings = {t: frozenset(v) for t, v in postings.items()}
        self._vocab = list(self._postings)
        self._token_sim = lru_cache(maxsize=16384)(self._similar_tokens)

    def idf(self, token: str) -> float:
        return self._idf.get(token, self._unknown_idf)

    def _similar_tokens(self, token: str) -> tuple[tuple[str, float], ...]:
        """Vocabulary tokens close to `token`, with a 0..1 similarity."""
        out: dict[str, float] = {}
        if token in self._postings:
            out[token] = 1.0
        if len(token) >= 3 and not token.isdigit():
            for v, s, _ in process.extract(
                token, self._vocab, scorer=fuzz.ratio, score_cutoff=_TOKEN_CUTOFF, limit=8
            ):
                out[v] = max(out.get(v, 0.0), 0.95 * s / 100.0)
            for v in self._vocab:
                if len(v) > len(token) and v.startswith(token):
                    out[v] = max(out.get(v, 0.0), 0.85)
        return tuple(out.items())

    def score(self, tokens: Sequence[str], limit: int = 40) -> FuzzyScores:
        if not tokens:
            return FuzzyScores({}, {})
        phrase = " ".join(tokens)
        strings: dict[str, float] = {}
        for _, s, i in process.extract(
            phrase, self._phrases, scorer=fuzz.token_sort_ratio, limit=limit, score_cutoff=45
        ):
            ex_id = self._ids[i]
            strings[ex_id] = max(strings.get(ex_id, 0.0), s / 100.0)

        sims = [dict(self._token_sim(t)) for t in tokens]
        candidates: set[int] = set()
        for sim in sims:
            for v in sim:
                candidates |= self._postings[v]
        q_weights = [max((self.idf(v) for v in sim), default=self._unknown_idf) for sim in sims]
        q_total = sum(q_weights)
        beta2 = _RECALL_WEIGHT
        token_scores: dict[str, float] = {}
        for i in candidates:
            etoks = self._tokens[i]
            recall = sum(
                w * max((sim.get(e, 0.0) for e in etoks), default=0.0)
                for w, sim in zip(q_weights, sims, strict=True)
            ) / q_total
            e_weights = [self.idf(e) for e in etoks]
            precision = sum(
                w * max((sim.get(e, 0.0) for sim in sims), default=0.0)
                for w, e in zip(e_weights, etoks, strict=True)
            ) / sum(e_weights)
            if recall <= 0 or precision <= 0:
                continue
            f = (1 + beta2) * precision * recall / (beta2 * precision + recall)
            ex_id = self._ids[i]
            if f > token_scores.get(ex_id, 0.0):
                token_scores[ex_id] = f
        return FuzzyScores(strings, token_scores)
