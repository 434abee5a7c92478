"""Templates, lead-ins, commentary, effort phrases and number renderings of the held-out generator.

Every entry says where it may appear: "both" splits, "held" (held-out only) or "train" (train only).
Template slots: {ex} exercise, {w} load (with its unit when said), {r} reps, {s} sets, {rx} a rep count the
lifter takes back ("for nine, no, ten").
"""

from __future__ import annotations

import random
from typing import Any

__all__ = ["COMMENTARY", "EFFORT", "LEAD_INS", "TEMPLATES", "say_number", "say_weight"]

# (template, class, where)
TEMPLATES: list[tuple[str, str, str]] = [
    ("{ex} {w} for {r}", "plain", "both"),
    ("{ex}: {w} x {r}", "plain", "both"),
    ("{r} reps at {w} on {ex}", "number_roles", "both"),
    ("{r} at {w} {ex}", "number_roles", "held"),
    ("got {r} with {w} on {ex}", "number_roles", "held"),
    ("{w} {ex} {r} reps", "number_roles", "held"),
    ("did {ex} with {w}, {r} times", "number_roles", "held"),
    ("{ex} {w} times {r}", "number_roles", "held"),
    ("{r} {ex} with {w}", "number_roles", "held"),
    ("{ex}, {r} reps, {w}", "number_roles", "train"),
    ("{ex} at {w} for {r} reps", "plain", "train"),
    ("{w} for {r} on the {ex}", "number_roles", "train"),
    ("{r} reps of {ex} at {w}", "number_roles", "train"),
    ("{ex} {r} reps with {w}", "number_roles", "train"),
    ("{s} sets of {r} {ex} at {w}", "plain", "both"),
    ("{ex} {w}, {s} sets of {r}", "plain", "held"),
    ("{s} x {r} {ex} {w}", "number_roles", "held"),
    ("{ex} {s} by {r} at {w}", "plain", "train"),
    ("{ex} for {s} sets, {r} reps each at {w}", "plain", "train"),
    ("{ex} {w} for {rx}, no, {r}", "corrections", "both"),
    ("{ex} {w} for {rx}, wait, {r}", "corrections", "held"),
    ("{ex} {w} for {rx}, sorry, {r} reps", "corrections", "held"),
    ("{ex} {w} for {rx}, scratch that, {r}", "corrections", "train"),
    ("{ex} {w} for {rx}, I mean {r}", "corrections", "train"),
    # bodyweight (no {w}: only chosen for unloaded lifts)
    ("{r} {ex}", "plain", "both"),
    ("{ex} {r} reps", "plain", "both"),
    ("{s} sets of {r} {ex}", "plain", "both"),
    ("banged out {r} {ex}", "commentary", "held"),
    ("{ex}, {s} by {r}", "plain", "held"),
    ("{ex} times {r}", "number_roles", "held"),
    ("{ex} for {r}", "plain", "train"),
    ("{ex}, {r} of them", "plain", "train"),
    ("{rx} no {r} {ex}", "corrections", "held"),
]

LEAD_INS: list[tuple[str, str]] = [
    ("alright then", "held"),
    ("log this:", "held"),
    ("note down", "held"),
    ("cranked out", "held"),
    ("okay so", "both"),
    ("just did", "both"),
    ("next up", "both"),
    ("um", "both"),
    ("put down", "held"),
    ("record", "train"),
    ("hey, log", "train"),
    ("so", "train"),
    ("finished", "train"),
    ("write down", "train"),
]

COMMENTARY: list[tuple[str, str]] = [
    ("that one was a grinder", "held"),
    ("grip was slipping", "held"),
    ("felt heavy", "both"),
    ("too light honestly", "held"),
    ("form got ugly", "held"),
    ("on to the next", "held"),
    ("quads are cooked", "held"),
    ("lower back is fine", "held"),
    ("need more chalk", "held"),
    ("bar speed was good", "held"),
    ("elbows felt a bit weird", "held"),
    ("gonna go up next time", "both"),
    ("the pump is crazy", "train"),
    ("left side is weaker", "train"),
    ("easy money", "train"),
    ("breathing hard", "train"),
    ("new shoes feel great", "train"),
    ("spotter helped on the last one", "train"),
]

# (rpe, phrase, where)
EFFORT: list[tuple[float, str, str]] = [
    (8.0, "rpe 8", "both"),
    (9.0, "rpe nine", "both"),
    (7.5, "RPE 7.5", "both"),
    (8.0, "eight-ish effort", "held"),
    (9.0, "probably a nine", "held"),
    (9.0, "that was a nine out of ten", "held"),
    (8.0, "could've done two more", "held"),
    (9.0, "one left in the tank", "held"),
    (8.0, "felt like an eight", "train"),
    (8.0, "two in the tank", "train"),
    (7.0, "effort seven", "train"),
    (7.0, "rate it a seven", "train"),
]

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_UNITS = {"lb": ["pounds", "lbs", "lb", "pound"], "kg": ["kilos", "kg", "kilograms", "kgs"]}
_PLATES = {135: "a plate", 225: "two plates", 315: "three plates", 405: "four plates", 495: "five plates"}


def _below_100(n: int) -> str:
    if n < 10:
        return _ONES[n]
    if n < 20:
        return _TEENS[n - 10]
    return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])


def _words(n: int, rng: random.Random) -> str:
    if n < 100:
        return _below_100(n)
    h, rest = divmod(n, 100)
    if rest == 0:
        return "a hundred" if h == 1 and rng.random() < 0.5 else _ONES[h] + " hundred"
    choice = rng.random()
    if rest >= 10 and choice < 0.45:
        return f"{_ONES[h]} {_below_100(rest)}"  # "two twenty five"
    if rest < 10 and choice < 0.3:
        return f"{_ONES[h]} oh {_ONES[rest]}"  # "four oh five"
    head = "a hundred" if h == 1 and rng.random() < 0.4 else f"{_ONES[h]} hundred"
    return f"{head} {'and ' if rng.random() < 0.5 else ''}{_below_100(rest)}"


def say_number(n: int, rng: random.Random, style: str) -> str:
    if style == "words" or (style == "mixed" and rng.random() < 0.5):
        return _words(n, rng)
    return str(n)


def _decimal(w: float, rng: random.Random, style: str) -> str:
    whole = int(w)
    if style == "digits" or (style == "mixed" and rng.random() < 0.5):
        return f"{w:g}"
    if style == "whisper" and 10 <= whole < 100:
        return f"{_ONES[whole // 10]} {_ONES[whole % 10]} point five"  # "eight two point five"
    return f"{_words(whole, rng)} {'point five' if rng.random() < 0.5 else 'and a half'}"


def say_weight(w: float, unit: str, unit_word: str, rng: random.Random, style: str, lift: Any) -> str:
    """The load as said, in `unit`; `unit_word` is the unit as said: "lb", "kg" or "" (not said)."""
    said = f" {rng.choice(_UNITS[unit_word])}" if unit_word else ""
    if not float(w).is_integer():
        return _decimal(w, rng, style) + said
    n = int(w)
    if style == "whisper":
        barbell = lift.load_lb[0] >= 45 and lift.ids[0].startswith(("Barbell", "Romanian", "Bent", "Sumo"))
        if unit == "lb" and n in _PLATES and barbell and rng.random() < 0.6:
            return _PLATES[n]
        if unit == "lb" and 100 <= n < 200 and n % 100 >= 10 and rng.random() < 0.3:
            return f"a buck {_below_100(n % 100)}" + said
        if n >= 120 and n % 10 and (n % 100) >= 20 and rng.random() < 0.5:
            return f"{n - n % 10} {_ONES[n % 10]}" + said  # "150 five"
        if n >= 110 and n % 100 >= 20 and n % 10 == 0 and rng.random() < 0.5:
            return f"{n - n % 100} and {n % 100}" + said  # "200 and 80"
        return str(n) + said
    if style == "words" or (style == "mixed" and rng.random() < 0.5):
        return _words(n, rng) + said
    return str(n) + said
