"""The previous set as context: continuing it, repeating it, changing it, or correcting it.

Rules (../shared/eval/README.md, "Multi-turn sessions"): a turn that names no exercise continues the
previous one (exercise, weight, unit, reps, duration carried; sets back to 1; RPE never carried);
a turn that names an exercise starts fresh; a correction is the previous set with the change applied.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from matcher.grammar import Slots
from matcher.units import resolve_unit
from models.parsed import ParsedSet

__all__ = ["Fields", "combine"]


class Fields(NamedTuple):
    sets: int
    reps: int | None
    weight: float | None
    unit: str | None
    rpe: float | None
    duration_s: int | None
    stated: list[str]  # fields the utterance itself gave
    guesses: list[str]  # choices made without the words to back them
    carried: bool  # exercise and numbers came from the previous set


def _stated(s: Slots) -> list[str]:
    out = []
    if s.sets is not None:
        out.append("sets")
    if s.reps is not None:
        out.append("reps")
    if s.weight is not None or s.delta is not None:
        out.append("weight")
    if s.unit is not None or s.delta_unit is not None:
        out.append("unit")
    if s.rpe is not None:
        out.append("rpe")
    if s.duration_s is not None:
        out.append("duration_s")
    return out


def _place_bare(s: Slots, previous: ParsedSet | None, correcting: bool, guesses: list[str]) -> None:
    """Numbers the grammar could not place: decide weight vs reps from their size or the previous set."""
    bare = list(s.bare)
    if not bare:
        return
    if len(bare) >= 2 and s.weight is None and s.reps is None:
        w, r = bare[0], bare[1]
        if r.is_integer():
            s.weight, s.reps = w, int(r)
            guesses.append("two bare numbers read as weight then reps")
            return
    if s.reps is not None and s.sets is None and all(b == s.reps for b in bare) and not correcting:
        s.sets = 1 + len(bare)  # "225 for 5, 5, 5": the reps of each set, so three sets of five
        guesses.append("repeated reps: the same rep count said per set, read as sets")
        return
    v = bare[0]
    if correcting and previous is not None:
        if previous.weight is None and previous.reps is None and previous.duration_s is not None:
            s.duration_s = int(v)
        elif previous.weight is None or (
            previous.reps is not None
            and v.is_integer()
            and abs(math.log((v + 1) / (previous.reps + 1))) < abs(math.log((v + 1) / (previous.weight + 1)))
        ):
            s.reps = int(v)
        else:
            s.weight = v
        guesses.append("bare number in a correction matched to the nearest previous field")
        return
    if s.reps is None and s.weight is None:
        if v.is_integer() and v <= 30:
            s.reps = int(v)
            guesses.append("lone number read as reps")
        else:
            s.weight = v
            guesses.append("lone number read as weight")
    else:
        guesses.append(f"number {v:g} not placed")  # said but unused: the reading may have missed it


def combine(
    s: Slots, *, previous: ParsedSet | None, default_unit: str, names_exercise: bool, correcting: bool
) -> Fields:
    guesses = list(s.guesses)
    _place_bare(s, previous, correcting, guesses)
    stated = _stated(s)
    if previous is not None and correcting:
        base_weight = previous.weight
        weight = s.weight if s.weight is not None else base_weight
        if s.delta is not None and base_weight is not None:
            weight = base_weight + s.delta
        unit = s.unit or s.delta_unit or previous.unit
        return Fields(
            sets=s.sets if s.sets is not None else previous.sets,
            reps=s.reps if s.reps is not None else (None if s.duration_s is not None else previous.reps),
            weight=weight,
            unit=resolve_unit(weight, unit, default_unit),
            rpe=s.rpe if s.rpe is not None else previous.rpe,
            duration_s=s.duration_s
            if s.duration_s is not None
            else (None if s.reps is not None else previous.duration_s),
            stated=stated,
            guesses=guesses,
            carried=not names_exercise,
        )
    if previous is None or names_exercise:
        weight = s.weight
        unit_said = s.unit
        if previous is not None and weight is None and (s.same_weight or s.same_again):
            # "bench, same weight for 8": a new exercise, the load carried over by name.
            weight, unit_said = previous.weight, previous.unit
            if s.same_again and s.reps is None and s.duration_s is None:
                s.reps, s.duration_s = previous.reps, previous.duration_s
        if s.delta is not None and weight is None:
            guesses.append("a change of weight with no previous set")
        if (s.same_again or s.same_weight) and previous is None:
            guesses.append("a repeat with no previous set")
        return Fields(
            sets=s.sets or 1,
            reps=s.reps,
            weight=weight,
            unit=resolve_unit(weight, unit_said, default_unit),
            rpe=s.rpe,
            duration_s=s.duration_s,
            stated=stated,
            guesses=guesses,
            carried=False,
        )
    # Continuing the previous exercise.
    weight = previous.weight
    unit = previous.unit
    if s.weight is not None and not s.plus:
        weight, unit = s.weight, s.unit or previous.unit or default_unit
    elif s.weight is not None and s.plus:  # "plus ten" while continuing: a change, not a load
        weight = (previous.weight or 0.0) + s.weight
        unit = previous.unit or s.unit or default_unit
    elif s.delta is not None:
        if previous.weight is None:
            guesses.append("a change of weight to a set without one")
        weight = (previous.weight or 0.0) + s.delta
        unit = previous.unit or s.delta_unit or default_unit
        if s.delta_unit and previous.unit and s.delta_unit != previous.unit:
            guesses.append("change given in another unit than the set")
    reps = s.reps if s.reps is not None else previous.reps
    duration = s.duration_s if s.duration_s is not None else previous.duration_s
    if s.reps is not None and s.duration_s is None:
        duration = None if previous.reps is None and previous.duration_s is not None else duration
    if s.duration_s is not None and s.reps is None:
        reps = None
    return Fields(
        sets=s.sets or 1,
        reps=reps,
        weight=weight,
        unit=resolve_unit(weight, unit, default_unit),
        rpe=s.rpe,
        duration_s=duration,
        stated=stated,
        guesses=guesses,
        carried=True,
    )
