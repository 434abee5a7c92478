"""Units and loads: spoken unit words, plates on a barbell, and which unit a set ends up in."""

from __future__ import annotations

__all__ = ["KG_PER_LB", "PLATE_BAR_LB", "PLATE_LB", "UNIT_WORDS", "plates_to_lb", "resolve_unit"]

KG_PER_LB = 0.45359237  # the international pound, exactly

UNIT_WORDS: dict[str, str] = {
    "lb": "lb",
    "lbs": "lb",
    "pound": "lb",
    "pounds": "lb",
    "pounder": "lb",
    "kg": "kg",
    "kgs": "kg",
    "kilo": "kg",
    "kilos": "kg",
    "kilogram": "kg",
    "kilograms": "kg",
    "kilo's": "kg",
    # how whisper spells a drawn-out "kilos" (not English words, so nothing else is read as a unit)
    "keelos": "kg",
    "keelo": "kg",
}

PLATE_BAR_LB = 45.0
PLATE_LB = 45.0


def plates_to_lb(count: int) -> float:
    """N plates means N 45-lb plates per side on a 45-lb bar: 1 = 135, 2 = 225, 4 = 405."""
    return PLATE_BAR_LB + 2 * PLATE_LB * count


def resolve_unit(weight: float | None, spoken: str | None, default: str | None) -> str | None:
    """The spoken unit wins; the default applies only when there is a weight."""
    if weight is None:
        return None
    return spoken or default
