"""The arithmetic of training: estimated 1RM, units, and rounding a target to weights one can load.

Pure functions, unit-tested against hand-computed tables (tests/unit/training/test_formulas.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from matcher.units import KG_PER_LB

__all__ = [
    "FORMULAS",
    "KG_PER_LB",
    "estimated_1rm",
    "load_step",
    "round_to_load",
    "to_kg",
    "to_unit",
]


def _epley(weight: float, reps: int) -> float:
    return weight * (1 + reps / 30)


def _brzycki(weight: float, reps: int) -> float:
    return weight * 36 / (37 - reps)


def _lombardi(weight: float, reps: int) -> float:
    return weight * reps**0.10


def _oconner(weight: float, reps: int) -> float:
    return weight * (1 + reps / 40)


# name -> (formula, the most reps it is valid for). Past that rep count a formula gives no estimate
# (None), except Epley: the contract computes weight × (1 + reps / 30) for every set, so Epley's limit is
# only documented (its error grows past ~12 reps). Brzycki stops at 10 (and divides by zero at 37).
FORMULAS: dict[str, tuple[Callable[[float, int], float], int | None]] = {
    "epley": (_epley, None),
    "brzycki": (_brzycki, 10),
    "lombardi": (_lombardi, 10),
    "oconner": (_oconner, 12),
}


def estimated_1rm(weight: float | None, reps: int | None, formula: str = "epley") -> float | None:
    """The estimated one-rep max of a set, or None when the set says nothing about strength.

    Bodyweight sets (no weight, or 0) and timed holds (no reps) have no 1RM: their records are reps and
    seconds. Epley is applied literally, also at one rep (weight × 31/30), as the contract defines it.
    """
    if weight is None or weight <= 0 or reps is None or reps < 1:
        return None
    try:
        fn, max_reps = FORMULAS[formula]
    except KeyError:
        raise ValueError(f"unknown 1RM formula {formula!r}; one of {', '.join(FORMULAS)}") from None
    if max_reps is not None and reps > max_reps:
        return None
    return fn(weight, reps)


def to_kg(weight: float, unit: str | None) -> float:
    return weight * KG_PER_LB if unit == "lb" else weight


def to_unit(weight: float, unit_from: str | None, unit_to: str) -> float:
    """A weight in another unit (an unknown unit is taken as already `unit_to`)."""
    if unit_from is None or unit_from == unit_to:
        return weight
    kg = to_kg(weight, unit_from)
    return kg / KG_PER_LB if unit_to == "lb" else kg


# The smallest change one can load, by equipment and unit: a barbell takes a pair of the smallest
# plates (2 × 2.5 lb, 2 × 1.25 kg); dumbbells come in 5 lb / 2 kg steps; stacks in 5 lb / 2.5 kg.
_STEPS = {
    ("barbell", "lb"): 5.0,
    ("barbell", "kg"): 2.5,
    ("e-z curl bar", "lb"): 5.0,
    ("e-z curl bar", "kg"): 2.5,
    ("dumbbell", "lb"): 5.0,
    ("dumbbell", "kg"): 2.0,
    ("kettlebells", "lb"): 9.0,
    ("kettlebells", "kg"): 4.0,
}
_DEFAULT_STEP = {"lb": 5.0, "kg": 2.5}


def load_step(equipment: str | None, unit: str) -> float:
    return _STEPS.get((equipment or "", unit), _DEFAULT_STEP.get(unit, 2.5))


def round_to_load(raw: float, base: float, step: float, direction: int) -> float:
    """`raw` to the nearest multiple of `step`, but a change asked for is never rounded away: with
    direction +1 the result is at least one step above `base`, with −1 at least one step below (never
    below one step); with 0 it is `base` rounded."""
    if direction == 0:
        raw = base
    rounded = math.floor(raw / step + 0.5) * step
    if direction > 0 and rounded <= base:
        rounded = math.floor(base / step + 0.5) * step + step
    if direction < 0 and rounded >= base:
        rounded = math.floor(base / step + 0.5) * step - step
    return round(max(rounded, step), 3)
