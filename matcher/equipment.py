"""Does a phrase's equipment agree with an exercise's?

A lifter who says "dumbbell" means a dumbbell lift; one who names no equipment usually means the
plain barbell (or bodyweight) version, not the cable, band or Smith-machine variant. This turns that
into one number per candidate: 0 when nothing is said against it, negative when the phrase names
equipment the exercise does not use (-1) or the exercise needs equipment nobody mentioned (-0.5).
"""

from __future__ import annotations

from collections.abc import Iterable

from matcher.catalog import Exercise

__all__ = ["EQUIPMENT_WORDS", "agreement", "exercise_equipment"]

# fmt: off
EQUIPMENT_WORDS = frozenset((
    "barbell", "dumbbell", "kettlebell", "cable", "machine", "smith", "band", "chain", "ez",
    "bodyweight", "ball", "sled", "landmine", "rope", "plate", "trx", "ring",
))
# fmt: on
# equipment a lifter does not bother to say
_IMPLIED = frozenset({"barbell", "bodyweight"})
_FROM_CATALOG = {
    "barbell": {"barbell"},
    "dumbbell": {"dumbbell"},
    "kettlebells": {"kettlebell"},
    "cable": {"cable"},
    "machine": {"machine"},
    "bands": {"band"},
    "e-z curl bar": {"ez", "barbell"},
    "body only": {"bodyweight"},
    "medicine ball": {"ball"},
    "exercise ball": {"ball"},
}


def exercise_equipment(ex: Exercise, name_tokens: Iterable[str]) -> frozenset[str]:
    """Equipment words an exercise uses: its catalog equipment plus any its name mentions."""
    words = set(_FROM_CATALOG.get(ex.equipment or "", ()))
    words.update(t for t in name_tokens if t in EQUIPMENT_WORDS)
    if "smith" in words:
        words.add("machine")
    return frozenset(words)


def agreement(
    query_tokens: Iterable[str],
    uses: frozenset[str],
    named: frozenset[str],
    implied: frozenset[str] = _IMPLIED,
) -> float:
    """`uses`: all equipment of the exercise; `named`: the equipment words in its name; `implied`:
    the equipment this phrase means when it names none (the movement's default, e.g. dumbbell for a
    front raise, else barbell or bodyweight)."""
    said = {t for t in query_tokens if t in EQUIPMENT_WORDS}
    if said - uses:
        return -1.0
    if named - implied - said:
        return -0.5
    return 0.0
