"""How sure the parse is: grammar certainty times exercise certainty, both in 0..1.

Grammar certainty starts at 1 and loses a fixed amount for each thing the words did not settle
(a guessed role for a number, a homophone read one way, words left over that are not the exercise,
a set with no reps or time, a name that matched nothing). Exercise certainty maps the matcher's fused
score through a ramp whose knees were read off the stress-set calibration in
benchmarks/results/accuracy.md (seed 7; seeds 8 and 9 are the held-out check), and drops when
the runner-up is nearly as good. The parser further lowers it by the share of the spoken name that
the chosen exercise does not explain (matcher/coverage.py).
"""

from __future__ import annotations

__all__ = ["EXERCISE_SURE", "EXERCISE_UNSURE", "exercise_certainty", "grammar_certainty"]

EXERCISE_SURE = 0.85  # fused score from which the matcher's pick is taken as certain
EXERCISE_UNSURE = 0.45  # below this the parser does not accept the match at all

_GUESS_COST = 0.2
_SOFT_GUESS_COST = 0.05
_LEFTOVER_COST = 0.15
# Words no exercise name knows, outside the chosen span ("new shoes feel great"): talk around the set,
# not a doubt about it, so they cost little; still, a set said plainly is the surer one.
_COMMENTARY_COST = 0.02
_COMMENTARY_CAP = 0.06
_NO_COUNT_COST = 0.45
_UNMATCHED_NAME_COST = 0.45
# a load was said but not heard: logging the set without it would lose what the lifter said
_LOST_LOAD_COST = 0.45
_NEAR_TIE = 0.05
_OUTRANKED = 0.7


def grammar_certainty(
    *,
    guesses: int,
    soft_guesses: int,
    leftover: int,
    has_count: bool,
    commentary: int = 0,
    logging: bool,
    unmatched_name: bool = False,
    lost_load: bool = False,
    implausible: bool = False,
    misheard: bool = False,
) -> float:
    """`guesses`: choices the words did not back; `soft_guesses`: homophones, self-corrections;
    `unmatched_name`: the turn named something that matched no exercise, so the exercise is a guess;
    `lost_load`: a unit word came with no load, so a number the lifter said was not heard."""
    c = 1.0 - _GUESS_COST * guesses - _SOFT_GUESS_COST * soft_guesses - _LEFTOVER_COST * min(leftover, 3)
    c -= min(_COMMENTARY_CAP, _COMMENTARY_COST * commentary)
    if logging and not has_count:
        c -= _NO_COUNT_COST
    if unmatched_name:
        c -= _UNMATCHED_NAME_COST
    if lost_load:
        c -= _LOST_LOAD_COST
    if implausible:  # the numbers cannot be what was done (matcher/plausibility.py): ask
        c -= _LOST_LOAD_COST
    if misheard:  # a transcript's number may not have been heard (matcher/hearing.py): ask
        c -= _LOST_LOAD_COST
    return max(0.05, min(1.0, c))


def exercise_certainty(score: float, runner_up: float = 0.0) -> float:
    """The matcher's fused score as a probability-like certainty; `runner_up` is the best alternative's
    score (the matcher may rank an alternative above a higher raw score, e.g. for a canonical entry)."""
    if score < EXERCISE_UNSURE:
        c = max(0.05, 0.5 * score / EXERCISE_UNSURE)
    elif score >= EXERCISE_SURE:
        c = 1.0
    else:
        c = 0.5 + 0.5 * (score - EXERCISE_UNSURE) / (EXERCISE_SURE - EXERCISE_UNSURE)
    if runner_up >= score:
        c *= _OUTRANKED
    elif score - runner_up < _NEAR_TIE:
        c *= 0.85
    return c
