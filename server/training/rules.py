"""The rules of the training room, as pure functions: ranges, weeks, plateaus, success and the modifier.

Each is unit-tested at its boundaries (tests/unit/training/test_rules.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import msgspec

__all__ = [
    "PLATEAU_GAIN",
    "PLATEAU_SESSIONS",
    "Modifier",
    "WeekResult",
    "is_plateau",
    "modifier_for",
    "parse_range",
    "set_succeeded",
    "week_start",
]

PLATEAU_SESSIONS = 3
PLATEAU_GAIN = 0.005
"""a plateau: the best e1rm of the last three sessions beat the best before them by less than 0.5%"""
RAISE_AT = 0.8
LOWER_BELOW = 0.5
STEP_PERCENT = 2.5
_EPS = 1e-9
_UNITS = {"d": 1, "w": 7, "m": 30, "y": 365}
_RANGE = re.compile(r"^(\d{1,4})([dwmy])$")
MAX_RANGE_DAYS = 3660


def parse_range(text: str | None) -> timedelta | None:
    """`30d`, `12w`, `6m` (30-day months), `1y` (365 days), or `all` (None). Anything else raises
    ValueError with what is understood."""
    raw = (text or "30d").strip().lower()
    if raw == "all":
        return None
    match = _RANGE.match(raw)
    if match is None:
        raise ValueError(f"range {text!r} is not understood: use e.g. 30d, 12w, 6m, 1y or all")
    days = int(match.group(1)) * _UNITS[match.group(2)]
    if not 1 <= days <= MAX_RANGE_DAYS:
        raise ValueError(f"range {text!r} must span 1 to {MAX_RANGE_DAYS} days")
    return timedelta(days=days)


def week_start(day: date | datetime) -> date:
    """The Monday of the (ISO) week the day falls in."""
    d = day.date() if isinstance(day, datetime) else day
    return d - timedelta(days=d.weekday())


def is_plateau(previous_best: float | None, recent_bests: Sequence[float]) -> bool:
    """True when the last `PLATEAU_SESSIONS` sessions' best did not beat the best before them by
    ≥ 0.5%. Fewer sessions, or nothing before them, is no plateau (there is nothing to stall against)."""
    if previous_best is None or previous_best <= 0 or len(recent_bests) < PLATEAU_SESSIONS:
        return False
    recent = max(recent_bests[-PLATEAU_SESSIONS:])
    return recent < previous_best * (1 + PLATEAU_GAIN) - _EPS


def set_succeeded(
    rec_weight: float | None, rec_reps: int | None, actual_weight: float | None, actual_reps: int | None,
    done: bool,
) -> bool:  # fmt: skip
    """A recommended set succeeded when done with at least the recommended reps at (at least) the
    recommended weight."""
    if not done or rec_reps is None or actual_reps is None or actual_reps < rec_reps:
        return False
    if rec_weight is None or rec_weight <= 0:
        return True
    return actual_weight is not None and actual_weight >= rec_weight - _EPS


class WeekResult(msgspec.Struct, kw_only=True):
    week_start: str
    sets: int
    successes: int

    @property
    def rate(self) -> float | None:
        return self.successes / self.sets if self.sets else None


class Modifier(msgspec.Struct, kw_only=True):
    percent: float
    rep_change: int
    rule: str


def modifier_for(this_week: WeekResult | None, week_before: WeekResult | None, *, weighted: bool) -> Modifier:
    """Next week's modifier from this week's success rate (and the week before's):
    ≥ 0.8 two weeks running → +2.5% on the base; < 0.5 → −2.5% (one rep fewer when there is no weight
    to take off); otherwise, or without data, no change."""
    rate = this_week.rate if this_week is not None else None
    before = week_before.rate if week_before is not None else None
    if rate is None:
        return Modifier(percent=0.0, rep_change=0, rule="no_data")
    if rate >= RAISE_AT - _EPS and before is not None and before >= RAISE_AT - _EPS:
        return Modifier(percent=STEP_PERCENT, rep_change=0, rule="raise_two_weeks_at_0.8")
    if rate < LOWER_BELOW - _EPS:
        if weighted:
            return Modifier(percent=-STEP_PERCENT, rep_change=0, rule="lower_below_0.5")
        return Modifier(percent=0.0, rep_change=-1, rule="one_rep_fewer_below_0.5")
    return Modifier(percent=0.0, rep_change=0, rule="hold")
