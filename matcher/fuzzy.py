"""Fuzzy scoring (rapidfuzz) of a normalised phrase against the normalised names and aliases.

Two views, both 0..1 per exercise id:
- `strings`: whole-phrase similarity, order-insensitive (token-sorted ratio), for misspellings;
- `tokens`: IDF-weighted soft token overlap, each query token matched to its closest entry token
  (exact, typo-close, or a prefix of it). It tolerates extra or missing words in proportion to how
  informative they are, so "bench" says more about an entry than "barbell" does.
Entries are numbered in the order given; the resolver shares that numbering with the phonetic index.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process

__all__ = ["FuzzyScorer"]

_TOKEN_CUTOFF = 78.0  # below this ratio two tokens are different words...
_SHORT_TOKEN_CUTOFF = 66.0  # ...except short ones, where one wrong letter already costs a third
_RECALL_WEIGHT = 2.0  # F-beta²: explaining the lifter's words matters more than covering the entry's
_PREFIX_SIMILARITY = 0.85
_STRING_CUTOFF = 55.0  # whole phrases less alike than this say nothing (and are cheaper to skip)
_IMPLIED_WEIGHT = 0.25


class FuzzyScorer:
    def __init__(
        self,
        entries: Iterable[tuple[str, Sequence[str]]],
        implied: Iterable[str] = (),
        spelled: Iterable[tuple[str, str]] = (),
    ) -> None:
        """`spelled`: (exercise id, phrase as spelt) pairs, compared with the query as spelt."""
        spelled = list(spelled)
        self._spelled_ids = [i for i, _ in spelled]
        self._spelled = [text for _, text in spelled]
        self.ids: list[str] = []
        self._sorted_phrases: list[str] = []
        self._joined: list[str] = []
        self._tokens: list[tuple[str, ...]] = []
        postings: dict[str, set[int]] = defaultdict(set)
        df: Counter[str] = Counter()
        for i, (ex_id, tokens) in enumerate(entries):
            toks = tuple(tokens)
            self.ids.append(ex_id)
            self._sorted_phrases.append(" ".join(sorted(toks)))
            self._joined.append("".join(toks))
            self._tokens.append(toks)
            for t in set(toks):
                postings[t].add(i)
                df[t] += 1
        n = len(self.ids)
        # an entry word the lifter would leave unsaid ("standing", "barbell") costs little when unsaid
        implied_set = frozenset(implied)
        self._idf = {
            t: math.log(1 + n / c) * (_IMPLIED_WEIGHT if t in implied_set else 1.0) for t, c in df.items()
        }
        self._unknown_idf = math.log(1 + n)
        self._postings = {t: tuple(sorted(v)) for t, v in postings.items()}
        self._weight = [sum(self.idf(t) for t in toks) or 1.0 for toks in self._tokens]
        self._vocab = list(self._postings)
        self.similar = lru_cache(maxsize=16384)(self._similar_tokens)
        for v in self._vocab:  # the catalog's own words are the common queries: pay for them up front
            self.similar(v)

    def idf(self, token: str) -> float:
        return self._idf.get(token, self._unknown_idf)

    def completions(self, prefix: str, limit: int = 3) -> list[str]:
        """The commonest known words starting with `prefix` (typed part way: "pull" → "pulldown")."""
        words = [v for v in self._vocab if v.startswith(prefix) and v != prefix]
        return sorted(words, key=lambda v: (-len(self._postings[v]), v))[:limit]

    def known(self, token: str) -> bool:
        return token in self._postings

    def entries_with(self, token: str) -> tuple[int, ...]:
        return self._postings.get(token, ())

    def _similar_tokens(self, token: str) -> tuple[tuple[str, float], ...]:
        """Vocabulary tokens close to `token` (itself, typo-close, or extending it), 0..1 similarity."""
        out: dict[str, float] = {}
        if token in self._postings:
            out[token] = 1.0
        if len(token) >= 3 and not token.isdigit():
            for v, s, _ in process.extract(
                token,
                self._vocab,
                scorer=fuzz.ratio,
                score_cutoff=_SHORT_TOKEN_CUTOFF if len(token) <= 4 else _TOKEN_CUTOFF,
                limit=8,
            ):
                out[v] = max(out.get(v, 0.0), 0.95 * s / 100.0)
            for v in self._vocab:
                if len(v) > len(token) and v.startswith(token):
                    out[v] = max(out.get(v, 0.0), _PREFIX_SIMILARITY)
        return tuple(out.items())

    def strings(
        self, tokens: Sequence[str], limit: int = 40, spelled: str = "", quick: bool = False
    ) -> dict[str, float]:
        """Whole-phrase similarity, the best of three comparisons:
        token-sorted (word order does not matter), space-free (where the words split does not), and,
        given `spelled`, the phrase as spelt against names and aliases as spelt (a typo in a word the
        rules would have rewritten). `quick`: the token-sorted view only."""
        out: dict[str, float] = {}
        views = [(self._sorted_phrases, self.ids, " ".join(sorted(tokens)))]
        if not quick:
            views.append((self._joined, self.ids, "".join(tokens)))
        if spelled and self._spelled and not quick:
            views.append((self._spelled, self._spelled_ids, spelled))
        # the normalised phrases are stored token-sorted: plain ratio is token_sort_ratio, five times faster
        for choices, ids, query in views:
            for _, s, i in process.extract(
                query, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=_STRING_CUTOFF
            ):
                ex_id = ids[i]
                out[ex_id] = max(out.get(ex_id, 0.0), s / 100.0)
        return out

    def tokens(
        self,
        tokens: Sequence[str],
        entries: Iterable[int],
        extra: Mapping[str, Mapping[str, float]] | None = None,
    ) -> dict[str, float]:
        """Soft token F-score per exercise id over the given entries.

        `extra` adds, per query token, vocabulary partners found elsewhere (its phonetic sound-alikes).
        """
        if not tokens:
            return {}
        sims = [dict(self.similar(t)) for t in tokens]
        for t, sim in zip(tokens, sims, strict=True):
            for v, s in (extra or {}).get(t, {}).items():
                if s > sim.get(v, 0.0):
                    sim[v] = s
        q_weights = [max((self.idf(v) for v in sim), default=self._unknown_idf) for sim in sims]
        q_total = sum(q_weights)
        beta2 = _RECALL_WEIGHT
        out: dict[str, float] = {}
        for e in entries:
            etoks = self._tokens[e]
            recall = 0.0
            matched: dict[str, float] = {}
            for w, sim in zip(q_weights, sims, strict=True):
                best = 0.0
                for et in etoks:
                    s = sim.get(et, 0.0)
                    if s > best:
                        best = s
                    if s > matched.get(et, 0.0):
                        matched[et] = s
                recall += w * best
            if recall <= 0.0:
                continue
            recall /= q_total
            precision = sum(self._idf[et] * s for et, s in matched.items()) / self._weight[e]
            f = (1 + beta2) * precision * recall / (beta2 * precision + recall)
            ex_id = self.ids[e]
            if f > out.get(ex_id, 0.0):
                out[ex_id] = f
        return out
