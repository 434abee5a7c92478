"""One 0..1 score per candidate exercise from the alias, phonetic, fuzzy and index evidence.

The soft evidence is a weighted sum whose weights were searched for the best top-1 on the dev phrases
with their own aliases held out and on letter-garbled dev phrases (two seeds; other seeds and a
holdout of phrasings written separately were only looked at afterwards). A logistic calibration,
fitted on the same turns' best candidates plus the dev turns' non-exercise words (fillers, comments,
weighted down: the grammar strips most of them first), turns the sum into "chance this is right".
`python benchmarks/exercise_eval.py --fit` reproduces the numbers below. A known alias
overrides both: a lifter's own name for a lift is the strongest signal there is.
Ranking prefers, on near-ties only, the lifter's recent exercises and the canonical entry of a common
lift over its near-duplicates; `confidence` discounts the winner by how close its rivals came.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

import msgspec

__all__ = [
    "DEFAULT_WEIGHTS",
    "Evidence",
    "FusionWeights",
    "Ranked",
    "calibrate",
    "confidence",
    "fuse",
    "rank",
]


class FusionWeights(msgspec.Struct, frozen=True):
    tokens: float = 0.120
    strings: float = 0.673
    phonetic: float = 0.054
    index: float = 0.152
    equipment: float = 0.085
    # calibration: p = logistic(slope × (weighted sum − midpoint))
    slope: float = 16.05
    midpoint: float = 0.560
    # the best candidate's confidence shrinks with close rivals: a softmax share at this temperature,
    # floored so that a tie still reads "plausible, ask" rather than "wrong"
    rival_temperature: float = 0.02
    rival_floor: float = 0.6
    recent_bonus: float = 0.04
    canonical_bonus: float = 0.02


DEFAULT_WEIGHTS = FusionWeights()


class Evidence(msgspec.Struct, kw_only=True):
    alias: float = 0.0  # 1 for an exact alias or name, a little less for a loose one, else 0
    tokens: float = 0.0  # fuzzy: soft token F-score
    strings: float = 0.0  # fuzzy: whole-phrase similarity
    phonetic: float = 0.0  # what sounding alike adds over spelling alike
    index: float = 0.0  # keyword index (or remote search) score
    equipment: float = 0.0  # matcher.equipment.agreement: 0, or negative when equipment disagrees
    # an alias once the words the catalog does not know are swapped for catalog words that sound like
    # them ("zoom" → "sumo"): the score it may reach, below any alias as said
    heard_alias: float = 0.0


class Ranked(msgspec.Struct, frozen=True):
    id: str
    score: float


def calibrate(raw: float, weights: FusionWeights = DEFAULT_WEIGHTS) -> float:
    return 1.0 / (1.0 + math.exp(-weights.slope * (raw - weights.midpoint)))


def fuse(ev: Evidence, weights: FusionWeights = DEFAULT_WEIGHTS) -> float:
    raw = (
        weights.tokens * ev.tokens
        + weights.strings * ev.strings
        + weights.phonetic * ev.phonetic
        + weights.index * ev.index
        + weights.equipment * ev.equipment
    )
    soft = calibrate(raw, weights)
    if ev.alias > 0:
        # an alias is near-certain; the soft evidence only separates exact from loose alias hits
        return max(soft, 0.90 + 0.09 * ev.alias) + 0.01 * soft
    return max(soft, ev.heard_alias)


def rank(
    evidence: Mapping[str, Evidence],
    *,
    recent: Collection[str] = (),
    canonical: Collection[str] = (),
    weights: FusionWeights = DEFAULT_WEIGHTS,
) -> list[Ranked]:
    """Candidates best first. Bonuses only reorder near-ties; the reported score stays the fused one."""
    fused = {ex_id: fuse(ev, weights) for ex_id, ev in evidence.items()}

    def key(ex_id: str) -> float:
        bonus = 0.0
        if ex_id in recent:
            bonus += weights.recent_bonus
        if ex_id in canonical:
            bonus += weights.canonical_bonus
        return fused[ex_id] + bonus

    order = sorted(fused, key=lambda i: (-key(i), i))
    return [Ranked(id=i, score=round(fused[i], 4)) for i in order]


def confidence(ranked: Sequence[Ranked], weights: FusionWeights = DEFAULT_WEIGHTS, rivals: int = 5) -> float:
    """The best candidate's fused score, discounted by its share against the next few."""
    if not ranked:
        return 0.0
    best = ranked[0].score
    total = sum(math.exp((r.score - best) / weights.rival_temperature) for r in ranked[: rivals + 1])
    share = 1.0 / total
    return round(best * (weights.rival_floor + (1.0 - weights.rival_floor) * share), 4)
