"""What a set of an exercise can plausibly be, from the catalog's equipment: a loaded lift is not done
for 140 reps at 12 lb; on a bodyweight exercise "at 8" rates the set and a lone number counts reps.

When the words left the roles of two numbers to their order ("twelve at one forty on pulldowns" read
the wrong way round), the catalog's equipment decides: on an exercise done with a load, a rep count
over 30 with a load no bigger than 30 is the two numbers swapped. A count the lifter named ("140
reps"), or a load they gave a unit ("25 kilos for 61", where speech-to-text may have damaged the
count), stays. The swap is a guess in the trace, so the reading is asked about.
"""

from __future__ import annotations

import re

from matcher.context import Fields
from matcher.grammar import Slots
from matcher.units import KG_PER_LB

__all__ = ["SWAPPED", "at_on_bodyweight", "count_on_bodyweight", "implausible_load", "plausible_roles"]

SWAPPED = "reps and load swapped"
_MAX_LOADED_REPS = 30
_REP_WORD = re.compile(r"\b(?:reps?|repetitions|times)\b")
_UNLOADED = frozenset({"body only", None})


def plausible_roles(f: Fields, equipment: str | None, text: str) -> Fields:
    if equipment in _UNLOADED or f.reps is None or f.weight is None or _REP_WORD.search(text):
        return f
    if "unit" in f.stated:  # "25 kilos for 61": the unit marks the load; the count may be misheard
        return f
    if f.reps > _MAX_LOADED_REPS and 1 <= f.weight <= _MAX_LOADED_REPS and f.weight.is_integer():
        note = f"{SWAPPED}: {f.reps} reps of a loaded lift at {f.weight:g} is implausible"
        return f._replace(reps=int(f.weight), weight=float(f.reps), guesses=[*f.guesses, note])
    return f


def at_on_bodyweight(s: Slots, equipment: str | None) -> None:
    """ "fifteen push ups at eight": on a bodyweight exercise a bare "at 8" rates the set."""
    if not s.weight_from_at or s.unit is not None or s.rpe is not None or s.weight is None:
        return
    if equipment == "body only":
        s.rpe, s.weight = s.weight, None
        s.guesses.append("'at N' on a bodyweight exercise read as RPE")
    else:
        s.guesses.append("'at N' (N <= 10) read as the load, not an RPE")


def count_on_bodyweight(s: Slots, equipment: str | None) -> None:
    """ "sit ups, forty": no unit and no load word, so a lone number on a bodyweight lift is reps."""
    if len(s.bare) != 1 or not s.bare[0].is_integer() or s.unit is not None:
        return
    if any(v is not None for v in (s.weight, s.reps, s.duration_s, s.delta)) or s.plus:
        return
    if equipment == "body only" and 1 <= s.bare[0] <= 500:
        s.reps = int(s.bare.pop())
        s.guesses.append("bodyweight count: a lone number on a bodyweight exercise read as reps")


# The least a load can be on this equipment: a compound barbell lift loads an Olympic bar, which alone
# weighs 45 lb / 20 kg (curls and other isolation work often use light fixed bars, so they have no
# such floor); a machine's or a cable stack's lightest plate is a few pounds. Below it, a number was
# misheard or misplaced ("leg press four eight for 11" read 8 lb; "row one for ten" 1 lb).
_FLOOR_LB = {("barbell", "compound"): 45.0, ("machine", None): 5.0, ("cable", None): 2.5}


def implausible_load(f: Fields, equipment: str | None, mechanic: str | None) -> str | None:
    """Why the load cannot be right for this equipment (and mechanic: compound / isolation), or None."""
    floor = _FLOOR_LB.get((equipment or "", mechanic)) or _FLOOR_LB.get((equipment or "", None))
    if floor is None or f.weight is None or f.weight <= 0:
        return None
    weight_lb = f.weight / KG_PER_LB if f.unit == "kg" else f.weight
    if weight_lb < floor * 0.97:  # 20 kg is 44.1 lb: the bar in either unit passes
        return f"a {equipment} load of {f.weight:g} {f.unit or 'lb'} is below the lightest it can be"
    return None
