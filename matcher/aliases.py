"""The alias layer: lifters' names for exercises (fixtures/aliases.json) mapped to one canonical id.

Lookup is on the normalised phrase and, so that word order does not matter ("dumbbell incline press"
/ "incline dumbbell press"), on its sorted tokens. A phrase that is an alias plus words that do not
change the exercise (a modifier like "paused", or the alias's own equipment) still resolves, a little
less surely.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import msgspec

from matcher.catalog import Catalog
from matcher.phrase import Normalizer, PhraseRules

__all__ = ["UNSAID_SCORE", "AliasData", "AliasHit", "AliasTable", "load_alias_data"]

UNSAID_SCORE = 0.9  # alias evidence for a lifter's alias said without its equipment or stance words

# Words a lifter adds that never change which exercise it is.
# fmt: off
_NEUTRAL = frozenset((
    "paused", "pause", "tempo", "heavy", "light", "strict", "slow", "explosive", "regular",
    "normal", "standard", "speed", "warmup", "top", "working", "backoff", "more", "another",
    "last", "first", "second", "third", "final",
))
# fmt: on
_EQUIPMENT_WORDS = {
    "barbell": "barbell",
    "dumbbell": "dumbbell",
    "kettlebell": "kettlebells",
    "cable": "cable",
    "machine": "machine",
    "bodyweight": "body only",
}
# Equipment and stance words: an alias minus these is the movement it names ("front raise"). Only
# the movement's defaults among them may go unsaid (AliasTable.implied_for).
# fmt: off
_UNSAID = frozenset((
    "barbell", "dumbbell", "kettlebell", "cable", "machine", "bodyweight", "one", "single", "arm",
    "standing", "seated", "hanging", "flat", "lying", "weighted", "two", "back",
))
# fmt: on
_ANY_LOAD = frozenset({"weighted"})  # "weighted glute bridge" is the one the lifter loads, the default
_EQUIPMENT = frozenset(
    ("barbell", "dumbbell", "kettlebell", "cable", "machine", "bodyweight", "smith", "band")
)


class AliasData(msgspec.Struct, frozen=True):
    stopwords: list[str] = msgspec.field(default_factory=list)
    # words a lifter leaves unsaid because they are the default ("barbell", "standing", "flat")
    implied: list[str] = msgspec.field(default_factory=list)
    # a movement's own defaults: "front raise" is the dumbbell one, "squat" the barbell one
    defaults: dict[str, list[str]] = msgspec.field(default_factory=dict)
    abbreviations: dict[str, str] = msgspec.field(default_factory=dict)
    rewrites: dict[str, str] = msgspec.field(default_factory=dict)
    endings: dict[str, str] = msgspec.field(default_factory=dict)
    aliases: dict[str, list[str]] = msgspec.field(default_factory=dict)

    @property
    def rules(self) -> PhraseRules:
        return PhraseRules(
            stopwords=self.stopwords,
            abbreviations=self.abbreviations,
            rewrites=self.rewrites,
            endings=self.endings,
        )


class AliasHit(msgspec.Struct, frozen=True):
    id: str
    score: float
    alias: str


def load_alias_data() -> AliasData:
    data = resources.files("fixtures").joinpath("aliases.json").read_bytes()
    return msgspec.json.decode(data, type=AliasData)


def _key(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(tokens))


class AliasTable:
    """Normalised alias → canonical id. Catalog names count as aliases of their own id, below real ones."""

    def __init__(self, data: AliasData, catalog: Catalog, normalizer: Normalizer) -> None:
        self._catalog = catalog
        # the defaults ("barbell", "standing") cost half a dropped word: "overhead press" is the barbell one
        self._implied = frozenset(t for word in data.implied for t in normalizer.normalize(word))
        self._defaults = {
            normalizer.normalize(head): frozenset(t for word in words for t in normalizer.normalize(word))
            for head, words in data.defaults.items()
        }
        # core (alias minus droppable words) → [(alias tokens, id)], only the lifters' own aliases
        by_core: dict[tuple[str, ...], list[tuple[frozenset[str], str]]] = {}
        self.conflicts: list[tuple[str, str, str]] = []
        by_key: dict[tuple[str, ...], tuple[str, str]] = {}
        spelled: dict[str, str] = {}
        for ex_id, phrases in data.aliases.items():
            if ex_id not in catalog:
                raise ValueError(f"alias data names unknown exercise id {ex_id!r}")
            for phrase in phrases:
                tokens = normalizer.normalize(phrase)
                if not tokens:
                    continue
                key = _key(tokens)
                prior = by_key.get(key)
                if prior is not None and prior[0] != ex_id:
                    self.conflicts.append((phrase, prior[0], ex_id))
                    continue
                by_key[key] = (ex_id, " ".join(tokens))
                core = tuple(t for t in key if t not in _UNSAID)
                if core and len(core) < len(key):
                    by_core.setdefault(core, []).append((frozenset(key), ex_id))
                spelled.setdefault(normalizer.spelled(phrase), ex_id)
        self._aliased_ids = frozenset(data.aliases)
        self._by_core = by_core
        for ex in catalog:
            tokens = normalizer.normalize(ex.name)
            if tokens:
                by_key.setdefault(_key(tokens), (ex.id, " ".join(tokens)))
            spelled.setdefault(normalizer.spelled(ex.name), ex.id)
        self._by_key = by_key
        self._spelled = spelled

    @property
    def canonical_ids(self) -> frozenset[str]:
        """Ids the alias data names: the common lifts, preferred over their near-duplicates."""
        return self._aliased_ids

    def entries(self) -> Iterator[tuple[str, str]]:
        """(exercise id, normalised phrase) for every alias and catalog name."""
        return iter(self._by_key.values())

    def spelled_entries(self) -> Iterator[tuple[str, str]]:
        """(exercise id, phrase as spelt without spaces) for every alias and catalog name."""
        return ((ex_id, text) for text, ex_id in self._spelled.items())

    def lookup(self, tokens: tuple[str, ...]) -> AliasHit | None:
        if not tokens:
            return None
        hit = self._by_key.get(_key(tokens))
        if hit is not None:
            return AliasHit(id=hit[0], score=1.0, alias=hit[1])
        core = tuple(t for t in tokens if t not in _NEUTRAL)
        if core and core != tokens:
            hit = self._by_key.get(_key(core))
            if hit is not None:
                return AliasHit(id=hit[0], score=0.97, alias=hit[1])
        # "barbell hip thrust" when only "hip thrust" is known: equipment that agrees is redundant
        said = [t for t in core if t in _EQUIPMENT_WORDS]
        if said and len(said) < len(core):
            rest = tuple(t for t in core if t not in _EQUIPMENT_WORDS)
            hit = self._by_key.get(_key(rest))
            if hit is not None:
                ex = self._catalog[hit[0]]
                if all(_EQUIPMENT_WORDS[w] == ex.equipment for w in said):
                    return AliasHit(id=hit[0], score=0.95, alias=hit[1])
        return None

    def implied_for(self, tokens: tuple[str, ...]) -> frozenset[str]:
        """Words a lifter leaves unsaid in this phrase: the movement's own defaults ("front raise" →
        dumbbell) when it names no equipment, else the general ones ("barbell", "standing")."""
        # a longer movement name has its own defaults even with equipment ("dumbbell row" is one-arm)
        own = next((self._defaults[k] for n in (3, 2) if (k := tokens[-n:]) in self._defaults), None)
        if own is None and tokens and not any(t in _EQUIPMENT for t in tokens):
            own = self._defaults.get(tokens[-1:])
        return self._implied if own is None else own

    def unsaid(self, tokens: tuple[str, ...]) -> AliasHit | None:
        """A lifter's alias with only default words left out ("standing overhead press" for "overhead
        press", "weighted glute bridge" for "glute bridge"), when the fewest such words name one
        exercise. A variant word ("dumbbell squat", "one arm lat pulldown") is never left out."""
        core = tuple(sorted(t for t in tokens if t not in _UNSAID))
        if not core:
            return None
        said = frozenset(tokens)
        cheap = self.implied_for(tokens)
        best: float | None = None
        ids: set[str] = set()
        for alias_tokens, ex_id in self._by_core.get(core, ()):
            if not said <= alias_tokens:
                continue
            unsaid = alias_tokens - said
            if not unsaid <= cheap | _ANY_LOAD:
                continue  # "dumbbell squat", "one arm lat pulldown": a variant, not what the bare name means
            cost = len(unsaid)
            if best is None or cost < best:
                best, ids = cost, {ex_id}
            elif cost == best:
                ids.add(ex_id)
        if best is None or len(ids) != 1:
            return None
        return AliasHit(id=ids.pop(), score=UNSAID_SCORE, alias=" ".join(core))
