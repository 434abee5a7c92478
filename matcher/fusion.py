"""One 0..1 score per candidate exercise from the alias, phonetic, fuzzy and index evidence.

The raw score is a weighted mean of the soft evidence; a known alias overrides it (a lifter's own
name for a lift is the strongest signal there is). The raw score then goes through a logistic
calibration fitted by eye on the dev set so that the number reads as "chance this is right":
a best score below ~0.5 is more often wrong than right. Ranking then prefers, on near-ties only,
the lifter's recent exercises and the canonical entry of a common lift over its near-duplicates,
and `confidence` discounts the winner by how close its rivals came (on the dev set with its own
phrasings held out of the alias data, a winning margin under 0.02 was right less than half the time).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

import msgspec

__all__ = ["Evidence", "FusionWeights", "Ranked", "calibrate", "confidence", "fuse", "rank"]


class FusionWeights(msgspec.Struct, frozen=True):
    tokens: float = 0.40
    strings: float = 0.20
    phonetic: float = 0.15
    index: float = 0.25
    equipment: float = 0.08
    # logistic calibration of the weighted mean: p = 1 / (1 + exp(-slope * (raw - midpoint)))
    slope: float = 12.0
    midpoint: float = 0.60
    # the best candidate's confidence shrinks with close rivals: a softmax share at this temperature,
    # floored so that a tie still reads "plausible, ask" rather than "wrong"
    rival_temperature: float = 0.02
    rival_floor: float = 0.6
    recent_bonus: float = 0.04
    canonical_bonus: float = 0.02


class Evidence(msgspec.Struct, kw_only=True):
    alias: float = 0.0
    tokens: float = 0.0
    strings: float = 0.0
    phonetic: float = 0.0
    index: float = 0.0
    equipment: float = 0.0  # matcher.equipment.agreement: 0, or negative when equipment disagrees


class Ranked(msgspec.Struct, frozen=True):
    id: str
    score: float


def calibrate(raw: float, weights: FusionWeights) -> float:
    return 1.0 / (1.0 + math.exp(-weights.slope * (raw - weights.midpoint)))


def fuse(ev: Evidence, weights: FusionWeights = FusionWeights()) -> float:
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
        return max(soft, 0.90 + 0.09 * ev.alias + 0.01 * min(1.0, raw))
    return soft


def rank(
    evidence: Mapping[str, Evidence],
    *,
    recent: Collection[str] = (),
    canonical: Collection[str] = (),
    weights: FusionWeights = FusionWeights(),
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


def confidence(ranked: Sequence[Ranked], weights: FusionWeights = FusionWeights(), rivals: int = 5) -> float:
    """The best candidate's fused score, discounted by its share against the next few."""
    if not ranked:
        return 0.0
    best = ranked[0].score
    total = sum(math.exp((r.score - best) / weights.rival_temperature) for r in ranked[: rivals + 1])
    share = 1.0 / total
    return round(best * (weights.rival_floor + (1.0 - weights.rival_floor) * share), 4)
