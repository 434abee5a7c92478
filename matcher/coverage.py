"""How much of what the lifter said the chosen exercise explains: a check on the matcher's pick.

"calf raises delt" matched to Side Lateral Raise leaves "calf" unexplained: the pick is likely wrong
even when its fused score is high. A word counts as explained when it is (or nearly is, allowing for
speech-to-text misspellings) a word of the exercise's name or of one of its aliases, or sounds like one
(a shared metaphone/NYSIIS key: "zoom" for "sumo"); a phrase that is itself an alias of the pick is fully
explained ("ohp" -> Standing Military Press).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rapidfuzz import fuzz, process

from matcher.phonetic import token_keys

__all__ = ["NameCoverage"]

_NEAR = 60  # rapidfuzz ratio at which a misspelt word still counts as the same word (stress-set tuned)


class NameCoverage:
    def __init__(
        self,
        vocab: dict[str, frozenset[str]],
        normalize: Callable[[str], tuple[str, ...]],
        alias_id: Callable[[tuple[str, ...]], str | None],
    ) -> None:
        self._vocab = vocab
        self._sounds = {ex_id: frozenset().union(*map(token_keys, words)) for ex_id, words in vocab.items()}
        self._normalize = normalize
        self._alias_id = alias_id

    @classmethod
    def from_matcher(cls, matcher: Any) -> NameCoverage | None:
        """Built from an ExerciseMatcher's catalog, alias table and normalizer; None for other matchers."""
        catalog = getattr(matcher, "catalog", None)
        aliases = getattr(matcher, "aliases", None)
        normalize = getattr(matcher, "normalize", None)
        if catalog is None or aliases is None or normalize is None:
            return None
        words: dict[str, set[str]] = {}
        for ex in catalog:
            words.setdefault(ex.id, set()).update(normalize(ex.name))
        entries: Iterable[tuple[str, str]] = aliases.entries()
        for ex_id, phrase in entries:
            words.setdefault(ex_id, set()).update(phrase.split())

        def alias_id(tokens: tuple[str, ...]) -> str | None:
            hit = aliases.lookup(tokens)
            return hit.id if hit is not None else None

        return cls({k: frozenset(v) for k, v in words.items()}, normalize, alias_id)

    def vocabulary(self) -> frozenset[str]:
        """Every word of every name and alias: what the span chooser calls a name word."""
        return frozenset().union(*self._vocab.values())

    def normalize(self, phrase: str) -> tuple[str, ...]:
        return self._normalize(phrase)

    def is_alias(self, tokens: tuple[str, ...]) -> bool:
        return self._alias_id(tokens) is not None

    def unexplained(self, phrase: str, exercise_id: str) -> float:
        """Share (0..1) of the phrase's words that the exercise's name and aliases do not explain."""
        tokens = self._normalize(phrase)
        if not tokens or self._alias_id(tokens) == exercise_id:
            return 0.0
        known = self._vocab.get(exercise_id, frozenset())
        sounds = self._sounds.get(exercise_id, frozenset())
        missing = sum(
            1
            for t in tokens
            if t not in known
            and token_keys(t).isdisjoint(sounds)
            and process.extractOne(t, known, scorer=fuzz.ratio, score_cutoff=_NEAR) is None
        )
        return missing / len(tokens)
