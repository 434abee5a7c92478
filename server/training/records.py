"""Personal-record detection as a pure function of a lifter's ordered sets of one exercise.

A `Book` holds the record standing for each key; `Book.detect(set)` returns the records the set makes
(and moves them into the book). The store replays sets through a Book both on the hot path (one new set
against the standing records) and after a correction (every set from the corrected one on), so the two
can never disagree about what a record is.

Record types (`pr_type`), each "strictly better than every earlier set of the exercise":
- `1rm`, `3rm`, `5rm`: heaviest weight lifted for at least 1 / 3 / 5 reps;
- `e1rm`: best estimated one-rep max (Epley unless the lifter chose another formula);
- `volume_set`: weight × reps of one set; `volume_session`: weight × reps summed over the exercise's
  sets in one workout (one record per workout, raised in place as the workout goes on);
- `reps_at_weight`: more reps than any earlier set at that weight or heavier (a light set is never one;
  the record it beat is the one at exactly that weight, if any; bodyweight sets count at weight 0);
- `duration`: longest timed hold (sets with seconds and no reps).
The first set of an exercise sets the first records (no previous record, no improvement percent).
Comparisons are in kg, so sets logged in lb and kg compare correctly; shown values keep the set's unit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import msgspec

from server.training.formulas import estimated_1rm, to_kg, to_unit

__all__ = ["PR_TYPES", "Book", "Record", "SetFact", "improvement_percent"]

PR_TYPES = ("1rm", "3rm", "5rm", "e1rm", "volume_set", "volume_session", "reps_at_weight", "duration")
_EPS = 1e-9


class SetFact(msgspec.Struct, kw_only=True):
    set_id: str
    workout_id: str
    at: datetime
    weight: float | None
    unit: str | None
    reps: int | None
    duration_s: int | None = None


class Record(msgspec.Struct, kw_only=True):
    id: str
    pr_type: str
    key: str
    value: float
    value_kg: float
    weight: float | None
    unit: str | None
    reps: int | None
    estimated_1rm: float | None
    set_id: str | None
    workout_id: str | None
    previous_pr_id: str | None
    previous_value_kg: float | None
    improvement_percent: float | None
    achieved_at: datetime
    formula: str = "epley"


def improvement_percent(new_kg: float, previous_kg: float | None) -> float | None:
    if previous_kg is None or previous_kg <= 0:
        return None
    return (new_kg - previous_kg) / previous_kg * 100


def _weight_key(kg: float) -> str:
    return f"{kg:.2f}"


class Book:
    """The standing record per (pr_type, key), and each workout's running tonnage of the exercise (kg)."""

    def __init__(
        self,
        current: dict[tuple[str, str], Record] | None = None,
        session_kg: dict[str, float] | None = None,
        *,
        formula: str = "epley",
        new_id: Callable[[], str],
    ) -> None:
        self.current = current if current is not None else {}
        self.session_kg = session_kg if session_kg is not None else {}
        self.formula = formula
        self._new_id = new_id

    def _dominated(self, kg: float, reps: float) -> bool:
        """An earlier set at this weight or heavier had at least as many reps. Every set either made a
        record or was dominated by an earlier one, so the standing records are enough to tell."""
        return any(
            rec.value_kg >= reps - _EPS
            for (pr_type, key), rec in self.current.items()
            if pr_type == "reps_at_weight" and float(key) >= kg - _EPS
        )

    def _compete(self, fact: SetFact) -> list[tuple[str, str, float, float]]:
        """(pr_type, key, value as shown, value in kg) for every record type this set competes in."""
        out: list[tuple[str, str, float, float]] = []
        weight = fact.weight if fact.weight is not None and fact.weight > 0 else None
        reps = fact.reps if fact.reps is not None and fact.reps >= 1 else None
        if weight is not None and reps is not None:
            kg = to_kg(weight, fact.unit)
            for n, pr_type in ((1, "1rm"), (3, "3rm"), (5, "5rm")):
                if reps >= n:
                    out.append((pr_type, "", weight, kg))
            e1rm = estimated_1rm(weight, reps, self.formula)
            if e1rm is not None:
                out.append(("e1rm", "", e1rm, to_kg(e1rm, fact.unit)))
            out.append(("volume_set", "", weight * reps, kg * reps))
            total_kg = self.session_kg.get(fact.workout_id, 0.0) + kg * reps
            self.session_kg[fact.workout_id] = total_kg
            shown = to_unit(total_kg, "kg", fact.unit) if fact.unit == "lb" else total_kg
            out.append(("volume_session", "", shown, total_kg))
            out.append(("reps_at_weight", _weight_key(kg), float(reps), float(reps)))
        elif reps is not None:
            out.append(("reps_at_weight", _weight_key(0.0), float(reps), float(reps)))
        elif fact.duration_s is not None and fact.duration_s > 0:
            out.append(("duration", "", float(fact.duration_s), float(fact.duration_s)))
        return out

    def detect(self, fact: SetFact) -> list[Record]:
        made: list[Record] = []
        e1rm = estimated_1rm(fact.weight, fact.reps, self.formula)
        for pr_type, key, value, value_kg in self._compete(fact):
            standing = self.current.get((pr_type, key))
            if pr_type == "reps_at_weight" and self._dominated(float(key), value_kg):
                continue
            same_session = pr_type == "volume_session" and (
                standing is not None and standing.workout_id == fact.workout_id
            )
            if same_session:
                assert standing is not None
                # The workout's own record grows with it: same row, still measured against the record
                # it beat when it was first set.
                beaten_id, beaten_kg = standing.previous_pr_id, standing.previous_value_kg
                if value_kg <= standing.value_kg + _EPS:
                    continue
                ident = standing.id
            else:
                if standing is not None and value_kg <= standing.value_kg + _EPS:
                    continue
                beaten_id = standing.id if standing is not None else None
                beaten_kg = standing.value_kg if standing is not None else None
                ident = self._new_id()
            record = Record(
                id=ident,
                pr_type=pr_type,
                key=key,
                value=value,
                value_kg=value_kg,
                weight=fact.weight,
                unit=fact.unit if fact.weight is not None else None,
                reps=fact.reps,
                estimated_1rm=e1rm,
                set_id=fact.set_id,
                workout_id=fact.workout_id,
                previous_pr_id=beaten_id,
                previous_value_kg=beaten_kg,
                improvement_percent=improvement_percent(value_kg, beaten_kg),
                achieved_at=fact.at,
                formula=self.formula,
            )
            self.current[(pr_type, key)] = record
            made.append(record)
        return made
