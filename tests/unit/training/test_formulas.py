"""Estimated 1RM, units and loadable rounding against hand-computed values."""

from __future__ import annotations

import pytest

from server.training.formulas import estimated_1rm, load_step, round_to_load, to_kg, to_unit


@pytest.mark.parametrize(
    ("weight", "reps", "formula", "expected"),
    [
        (100, 1, "epley", 103.3333),  # literal Epley, also at one rep: 100 × 31/30
        (100, 5, "epley", 116.6667),  # 100 × (1 + 5/30)
        (225, 5, "epley", 262.5),
        (100, 10, "epley", 133.3333),
        (100, 30, "epley", 200.0),  # Epley keeps estimating past its useful range (contract)
        (100, 5, "brzycki", 112.5),  # 100 × 36 / 32
        (100, 10, "brzycki", 133.3333),  # 100 × 36 / 27: the last rep count Brzycki is valid for
        (100, 11, "brzycki", None),  # past 10 reps: no estimate
        (100, 36, "brzycki", None),  # (and it would divide by 1, then by 0 at 37)
        (100, 5, "oconner", 112.5),  # 100 × (1 + 5/40)
        (100, 13, "oconner", None),
        (100, 10, "lombardi", 125.8925),  # 100 × 10^0.1
    ],
)
def test_estimated_1rm(weight: float, reps: int, formula: str, expected: float | None) -> None:
    got = estimated_1rm(weight, reps, formula)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(("weight", "reps"), [(None, 5), (0, 5), (100, None), (100, 0)])
def test_bodyweight_and_holds_have_no_1rm(weight: float | None, reps: int | None) -> None:
    assert estimated_1rm(weight, reps) is None


def test_unknown_formula_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown 1RM formula"):
        estimated_1rm(100, 5, "wathen-typo")


def test_units() -> None:
    assert to_kg(225, "lb") == pytest.approx(102.0583, abs=1e-4)
    assert to_kg(100, "kg") == 100
    assert to_unit(100, "kg", "lb") == pytest.approx(220.4623, abs=1e-4)
    assert to_unit(225, "lb", "lb") == 225
    assert to_unit(to_unit(225, "lb", "kg"), "kg", "lb") == pytest.approx(225)


@pytest.mark.parametrize(
    ("raw", "base", "step", "direction", "expected"),
    [
        (230.625, 225, 5, 1, 230),  # +2.5% on 225 lb
        (97.375, 95, 5, 1, 100),  # +2.5% rounds back to 95: a raise is never rounded away
        (102.5, 100, 2.5, 1, 102.5),  # +2.5% on 100 kg is loadable as it is
        (219.375, 225, 5, -1, 220),  # −2.5% on 225 lb
        (97.5, 100, 2.5, -1, 97.5),
        (4.0, 5, 5, -1, 5),  # never below one step
        (0, 102.4, 2.5, 0, 102.5),  # no change: the base, loadable
        (232.5, 225, 5, 1, 235),  # halves round up
    ],
)
def test_round_to_load(raw: float, base: float, step: float, direction: int, expected: float) -> None:
    assert round_to_load(raw, base, step, direction) == expected


def test_load_steps_by_equipment_and_unit() -> None:
    assert load_step("barbell", "lb") == 5
    assert load_step("barbell", "kg") == 2.5
    assert load_step("dumbbell", "kg") == 2
    assert load_step(None, "lb") == 5
    assert load_step("machine", "kg") == 2.5
