"""`ExerciseMatcher`: an exercise phrase → catalog id, fused score and ranked alternatives.

Built once (`from_fixtures()`), then pure and thread-safe: normalisation and evidence are cached per
phrase (LRU), and the lifter's recent exercises and any remote search hits are applied after the cache.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import lru_cache

import msgspec

from matcher.aliases import AliasHit, AliasTable, load_alias_data
from matcher.catalog import Catalog, load_catalog
from matcher.equipment import EQUIPMENT_WORDS, agreement, exercise_equipment
from matcher.fusion import Evidence, FusionWeights, Ranked, confidence, rank
from matcher.fuzzy import FuzzyScorer
from matcher.index import IndexDocument, KeywordIndex, SearchHit
from matcher.phonetic import PhoneticIndex
from matcher.phrase import Normalizer
from matcher.split_words import rejoin_split_words
from models.parsed import Alternative, ExerciseRef

__all__ = ["NO_MATCH_BELOW", "ExerciseMatch", "ExerciseMatcher", "SearchHit"]

NO_MATCH_BELOW = 0.25  # a best fused score under this is noise: no exercise
# A phrase that is an alias once its unknown words are swapped for sound-alikes ("one zoom" → sumo):
# likely, not certain, so it logs but ranks under any alias as said and under strong spelling evidence.
HEARD_ALIAS = 0.75
_HEARD_ALIKES, _HEARD_COMBOS = 3, 16
_MAX_ALTERNATIVES = 4
_ALTERNATIVE_FLOOR = 0.15
_CANDIDATE_POOL = 15  # candidates taken from each of the index and the string scorer
_SHORTLIST = 20  # of those, how many get the (costlier) token and phonetic scoring
_BROWSE_POOL, _BROWSE_SHORTLIST = 40, 45  # search() shows a list, so it looks wider
_MAX_PHRASE_CHARS = 160
_MAX_PHRASE_TOKENS = 10
_MIN_PREFIX = 3  # search completes a last word of at least this many letters
_COMPLETED = 0.97
# "dumbbell", "close grip", "single arm": how, not what. A phrase of only these names no exercise.
_NOT_A_NAME = EQUIPMENT_WORDS | {"bar", "grip", "close", "wide", "narrow", "one", "single", "two", "arm"}
# Between sets a lifter talks about how it felt or that they are resting: a phrase with one of these
# words is a remark, not a lift ("my elbow is sore", "hold on", "water break"), so it names nothing.
# fmt: off
_REMARK = frozenset((
    "sore", "hurt", "hurting", "pain", "painful", "ache", "aching", "achy", "tweaked", "cramp",
    "cramping", "tired", "exhausted", "break", "water", "drink", "breather", "rough", "brutal",
    "wait", "injured", "injury", "tweak",
))
# fmt: on
# "hold on", "hang on" (the stopword goes): alone these words wait, they do not lift; a dead hang
# between sets is a stretch the catalog has no entry for (and no hang clean)
_WAITING = frozenset({("hold",), ("hang",), ("wait",), ("rest",), ("dead", "hang")})


_DEFAULT_EQUIPMENT = frozenset({"barbell", "bodyweight"})
_MOMENT = frozenset({"second", "sec", "moment", "minute", "min", "bit", "quick"})


def _is_remark(tokens: tuple[str, ...]) -> bool:
    return tuple(t for t in tokens if t not in _MOMENT) in _WAITING or any(t in _REMARK for t in tokens)


class ExerciseMatch(msgspec.Struct, frozen=True, kw_only=True):
    """`score` is the best candidate's confidence (fused score discounted by close rivals);
    alternatives carry their own fused scores."""

    exercise: ExerciseRef | None
    score: float
    alternatives: list[Alternative]
    candidates: list[Alternative]
    normalized: str = ""


_EMPTY = ExerciseMatch(exercise=None, score=0.0, alternatives=[], candidates=[])


class ExerciseMatcher:
    def __init__(
        self, catalog: Catalog, aliases: AliasTable, normalizer: Normalizer, implied: Sequence[str] = ()
    ) -> None:
        self.catalog = catalog
        self.aliases = aliases
        self._normalizer = normalizer
        self._weights = FusionWeights()
        entries = [(ex_id, tuple(phrase.split())) for ex_id, phrase in aliases.entries()]
        self._phonetic = PhoneticIndex(entries)
        implied_tokens = {t for word in implied for t in normalizer.normalize(word)}
        self._fuzzy = FuzzyScorer(entries, implied_tokens, aliases.spelled_entries())
        alias_tokens: dict[str, list[tuple[str, ...]]] = {}
        self._entries_of: dict[str, list[int]] = {ex.id: [] for ex in catalog}
        for i, (ex_id, tokens) in enumerate(entries):
            alias_tokens.setdefault(ex_id, []).append(tokens)
            self._entries_of[ex_id].append(i)
        docs = []
        self._equipment: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        for ex in catalog:
            name_tokens = normalizer.normalize(ex.name)
            self._equipment[ex.id] = (
                exercise_equipment(ex, name_tokens),
                frozenset(t for t in name_tokens if t in EQUIPMENT_WORDS),
            )
            muscles = tuple(
                t for m in (*ex.primary_muscles, *ex.secondary_muscles) for t in normalizer.normalize(m)
            )
            docs.append(
                IndexDocument(
                    id=ex.id,
                    name=name_tokens,
                    aliases=tuple(alias_tokens.get(ex.id, ())),
                    equipment=normalizer.normalize(ex.equipment or ""),
                    muscles=muscles,
                )
            )
        self._index = KeywordIndex(docs, normalizer.normalize)
        self._normalize = lru_cache(maxsize=4096)(self._bounded_normalize)
        self._evidence = lru_cache(maxsize=4096)(self._compute_evidence)

    @classmethod
    def from_fixtures(cls) -> ExerciseMatcher:
        catalog = load_catalog()
        data = load_alias_data()
        normalizer = Normalizer(data.rules)
        return cls(catalog, AliasTable(data, catalog, normalizer), normalizer, data.implied)

    def _bounded_normalize(self, phrase: str) -> tuple[str, ...]:
        # an exercise name is a few words: a runaway phrase costs no more than a long name
        tokens = self._normalizer.normalize(phrase[:_MAX_PHRASE_CHARS])[:_MAX_PHRASE_TOKENS]
        return rejoin_split_words(tokens, self._fuzzy.known, self._phonetic.sound_alikes)

    def clear_caches(self) -> None:
        """Forget every phrase seen (benchmarks measure the uncached path with this)."""
        self._normalize.cache_clear()
        self._evidence.cache_clear()

    def normalize(self, phrase: str) -> tuple[str, ...]:
        return self._normalize(phrase)

    def _compute_evidence(
        self,
        tokens: tuple[str, ...],
        hits: tuple[SearchHit, ...] | None,
        browse: bool = False,
        spelled: str = "",
    ) -> dict[str, Evidence]:
        """`browse`: rank every candidate fully, even when an alias already settles the best one."""
        evidence: dict[str, Evidence] = {}

        def ev(ex_id: str) -> Evidence:
            e = evidence.get(ex_id)
            if e is None:
                e = evidence[ex_id] = Evidence()
            return e

        pool = _BROWSE_POOL if browse else _CANDIDATE_POOL
        alias = self.aliases.lookup(tokens)
        if alias is not None:
            ev(alias.id).alias = alias.score
        elif not browse and (heard := self._heard_alias(tokens)) is not None:
            ev(heard.id).heard_alias = HEARD_ALIAS * heard.score
        if hits is None:
            # a misheard or misspelt word searches as its closest catalog word
            index_hits: Sequence[SearchHit] = self._index.search(
                tuple(self._closest_known(t) for t in tokens), pool
            )
        else:
            index_hits = hits
        for hit in index_hits:
            if hit.id in self.catalog:
                ev(hit.id).index = max(0.0, min(1.0, hit.score))
        # a lifter's exact name for the lift: the rivals only need ranking, not the finer evidence
        settled = alias is not None and alias.score >= 1.0 and not browse
        for ex_id, s in self._fuzzy.strings(tokens, pool, spelled, quick=settled).items():
            ev(ex_id).strings = s
        if settled:
            self._add_equipment(tokens, evidence)
            return evidence

        # Candidate entries: those of the exercises the string and index evidence rank highest, plus,
        # for words the catalog does not know (typos, sound-alikes), the entries holding their close or
        # sound-alike words.
        shortlist = sorted(
            evidence,
            key=lambda i: (evidence[i].alias, 4 * evidence[i].strings + evidence[i].index),
            reverse=True,
        )[: _BROWSE_SHORTLIST if browse else _SHORTLIST]
        entries: set[int] = set()
        for ex_id in shortlist:
            entries.update(self._entries_of[ex_id])
        extra: dict[str, dict[str, float]] = {}
        for t in tokens:
            if self._fuzzy.known(t):
                continue
            alikes = self._phonetic.sound_alikes(t)
            extra[t] = alikes
            for w in (*alikes, *(v for v, _ in self._fuzzy.similar(t))):
                entries.update(self._fuzzy.entries_with(w))
        for ex_id, s in self._fuzzy.tokens(tokens, entries, extra).items():
            ev(ex_id).tokens = s
        if extra:  # sounding alike adds nothing over spelling alike when every word is a catalog word
            for ex_id, s in self._phonetic.score(tokens, entries).items():
                ev(ex_id).phonetic = s
        self._add_equipment(tokens, evidence)
        if alias is None and not browse:
            self._add_unsaid(tokens, evidence)
        return evidence

    def _heard_alias(self, tokens: tuple[str, ...]) -> AliasHit | None:
        """The alias `tokens` read as when each word the catalog does not know is swapped for a catalog
        word that sounds like it (at most a few combinations; known words stay as said)."""
        options: list[tuple[str, ...]] = []
        for t in tokens:
            if self._fuzzy.known(t) or not t.isalpha():
                options.append((t,))
                continue
            alikes = sorted(self._phonetic.sound_alikes(t))
            if not alikes:
                return None
            options.append(tuple(alikes[:_HEARD_ALIKES]))
        if all(len(o) == 1 and o[0] == t for o, t in zip(options, tokens, strict=True)):
            return None
        for combo in itertools.islice(itertools.product(*options), _HEARD_COMBOS):
            hit = self.aliases.lookup(combo)
            if hit is not None:
                return hit
        return None

    def _add_unsaid(self, tokens: tuple[str, ...], evidence: dict[str, Evidence]) -> None:
        """No alias as said, but one with only default words left out ("overhead press" for
        "standing overhead press", "front raise" for "dumbbell front raise"): that is the common lift,
        over catalog oddities like "standing front barbell raise over head" the strings favour."""
        unsaid = self.aliases.unsaid(tokens)
        if unsaid is not None:
            e = evidence.get(unsaid.id) or evidence.setdefault(unsaid.id, Evidence())
            e.alias = unsaid.score

    def _add_equipment(self, tokens: tuple[str, ...], evidence: dict[str, Evidence]) -> None:
        implied = self.aliases.implied_for(tokens) & EQUIPMENT_WORDS or _DEFAULT_EQUIPMENT
        for ex_id, e in evidence.items():
            uses, named = self._equipment[ex_id]
            e.equipment = agreement(tokens, uses, named, implied)

    def _closest_known(self, token: str) -> str:
        if self._fuzzy.known(token):
            return token
        close = [(s, v) for v, s in self._fuzzy.similar(token) if s >= 0.8]
        return max(close)[1] if close else token

    def _ranked(
        self, phrase: str, recent: Sequence[str], hits: Sequence[SearchHit] | None, naming: bool = True
    ) -> tuple[tuple[str, ...], list[Ranked]]:
        """`naming`: the phrase is meant to name one exercise (match), not to browse (search)."""
        tokens = self._normalize(phrase) if phrase else ()
        if not tokens or (naming and (all(t in _NOT_A_NAME for t in tokens) or _is_remark(tokens))):
            return tokens, []
        spelled = self._normalizer.spelled(phrase[:_MAX_PHRASE_CHARS])
        evidence = self._evidence(tokens, None if hits is None else tuple(hits), not naming, spelled)
        ranked = rank(
            evidence, recent=frozenset(recent), canonical=self.aliases.canonical_ids, weights=self._weights
        )
        return tokens, ranked

    def evidence(self, phrase: str) -> dict[str, Evidence]:
        """The per-candidate evidence `match` fuses for this phrase (for benchmarks and fitting)."""
        tokens = self._normalize(phrase) if phrase else ()
        if not tokens:
            return {}
        return self._evidence(tokens, None, False, self._normalizer.spelled(phrase[:_MAX_PHRASE_CHARS]))

    def _alternative(self, r: Ranked, cap: float = 1.0) -> Alternative:
        return Alternative(id=r.id, name=self.catalog[r.id].name, score=max(0.0, min(r.score, cap)))

    def match(
        self, phrase: str | None, recent: Sequence[str] = (), hits: Sequence[SearchHit] | None = None
    ) -> ExerciseMatch:
        tokens, ranked = self._ranked(phrase or "", recent, hits)
        if not ranked or ranked[0].score < NO_MATCH_BELOW:
            return _EMPTY if not tokens else msgspec.structs.replace(_EMPTY, normalized=" ".join(tokens))
        best = ranked[0]
        score = confidence(ranked, self._weights)
        pool = [r for r in ranked[: _MAX_ALTERNATIVES + 1] if r is best or r.score >= _ALTERNATIVE_FLOOR]
        # the best is reported discounted by its rivals; a rival is never reported above it
        candidates = [self._alternative(r, cap=score) for r in pool]
        candidates[0] = msgspec.structs.replace(candidates[0], score=score)
        return ExerciseMatch(
            exercise=ExerciseRef(id=best.id, name=self.catalog[best.id].name),
            score=score,
            alternatives=candidates[1:],
            candidates=candidates,
            normalized=" ".join(tokens),
        )

    def search(self, query: str, limit: int = 10) -> list[Alternative]:
        """Ranked exercises for a free-text query (GET /v1/exercises?q=)."""
        tokens, ranked = self._ranked(query or "", (), None, naming=False)
        if tokens and len(tokens[-1]) >= _MIN_PREFIX:
            # the picker searches as the lifter types: the last word may be the start of a longer one
            best = {r.id: r.score for r in ranked}
            for word in self._fuzzy.completions(tokens[-1]):
                _, more = self._ranked(" ".join((*tokens[:-1], word)), (), None, naming=False)
                for r in more:  # a little below what the word as typed scores, so "row" lists rows first
                    best[r.id] = max(best.get(r.id, 0.0), round(r.score * _COMPLETED, 4))
            ranked = sorted((Ranked(id=i, score=s) for i, s in best.items()), key=lambda r: (-r.score, r.id))
        out: list[Alternative] = []
        cap = 1.0
        for r in ranked[: max(0, limit)]:
            if r.score < _ALTERNATIVE_FLOOR / 2:
                continue
            # a near-tie reordered by the canonical bonus shows the score of the one it passed
            out.append(self._alternative(r, cap=cap))
            cap = out[-1].score
        return out
