"""How sure the parse is: grammar certainty times exercise certainty, both in 0..1.

Grammar certainty starts at 1 and loses a fixed amount for each thing the words did not settle
(a guessed role for a number, a homophone read one way, words left over that are not the exercise,
a set with no reps or time). Exercise certainty maps the matcher's fused score through a ramp whose
knees were read off the dev set's calibration table (benchmarks/results/accuracy.md).
"""

from __future__ import annotations

__all__ = ["EXERCISE_SURE", "EXERCISE_UNSURE", "exercise_certainty", "grammar_certainty"]

# Fused match scores at or above EXERCISE_SURE were right on dev; below EXERCISE_UNSURE mostly wrong.
EXERCISE_SURE = 0.80
EXERCISE_UNSURE = 0.45

_GUESS_COST = 0.2
_LEFTOVER_COST = 0.15
_NO_COUNT_COST = 0.45


def grammar_certainty(
    *, guesses: int, soft_guesses: int, leftover: int, has_count: bool, logging: bool
) -> float:
    """`guesses`: choices the words did not back; `soft_guesses`: homophones and the like."""
    c = 1.0 - _GUESS_COST * guesses - 0.05 * soft_guesses - _LEFTOVER_COST * min(leftover, 3)
    if logging and not has_count:
        c -= _NO_COUNT_COST
    return max(0.05, min(1.0, c))


def exercise_certainty(score: float) -> float:
    if score >= EXERCISE_SURE:
        return 1.0
    if score <= EXERCISE_UNSURE:
        return max(0.05, score * 0.6 / EXERCISE_UNSURE)
    span = (score - EXERCISE_UNSURE) / (EXERCISE_SURE - EXERCISE_UNSURE)
    return 0.6 + 0.4 * span
