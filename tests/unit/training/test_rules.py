"""Ranges, weeks, plateaus, success and the adaptive modifier, at their boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from server.training.modifiers import parse_week
from server.training.rules import WeekResult, is_plateau, modifier_for, parse_range, set_succeeded, week_start


@pytest.mark.parametrize(
    ("text", "days"),
    [("30d", 30), ("12w", 84), ("6m", 180), ("1y", 365), (" 7D ", 7), (None, 30), ("3660d", 3660), ("", 30)],
)
def test_ranges(text: str | None, days: int) -> None:
    assert parse_range(text) == timedelta(days=days)


def test_all_is_unbounded() -> None:
    assert parse_range("all") is None


@pytest.mark.parametrize("text", ["30", "0d", "3661d", "11y", "-1d", "1.5w", "month", "30 d"])
def test_ranges_not_understood(text: str) -> None:
    with pytest.raises(ValueError, match="range"):
        parse_range(text)


def test_weeks_start_on_monday() -> None:
    assert week_start(date(2026, 12, 4)) == date(2026, 11, 30)  # a Friday
    assert week_start(date(2026, 11, 30)) == date(2026, 11, 30)  # a Monday is its own week
    assert week_start(datetime(2026, 12, 6, 23, 59, tzinfo=UTC)) == date(2026, 11, 30)  # Sunday night
    assert parse_week("2026-W49") == date(2026, 11, 30)
    assert parse_week("2026-12-02") == date(2026, 11, 30)
    with pytest.raises(ValueError, match="week"):
        parse_week("last week")


@pytest.mark.parametrize(
    ("previous", "recent", "plateau"),
    [
        (100.0, [100.0, 100.0, 100.0], True),
        (100.0, [99.0, 100.49, 98.0], True),  # +0.49%
        (100.0, [99.0, 100.5, 98.0], False),  # +0.5% exactly beats it
        (116.66666666666667, [116.66666666666667, 116.66666666666667, 117.25], False),  # 100.5 × 7/6
        (100.0, [101.0, 90.0, 90.0], False),  # beaten in any of the three
        (100.0, [100.0, 100.0], False),  # two sessions are not enough to call it
        (None, [100.0, 100.0, 100.0], False),  # nothing before them to stall against
        (100.0, [120.0, 100.0, 100.0, 100.0], True),  # only the last three count
    ],
)
def test_plateau(previous: float | None, recent: list[float], plateau: bool) -> None:
    assert is_plateau(previous, recent) is plateau


SUCCESS_CASES = [
    (100, 5, 100, 5, True, True),
    (100, 5, 100, 6, True, True),
    (100, 5, 102.5, 5, True, True),  # heavier still meets the recommendation
    (100, 5, 100, 4, True, False),
    (100, 5, 97.5, 8, True, False),  # more reps at a lighter weight is not the recommendation
    (100, 5, 100, 5, False, False),  # not done
    (None, 12, None, 12, True, True),  # bodyweight
    (0, 12, None, 12, True, True),
    (100, 5, None, 5, True, False),
    (100, 5, 100, None, True, False),
]


@pytest.mark.parametrize(
    ("rec_weight", "rec_reps", "actual_weight", "actual_reps", "done", "ok"), SUCCESS_CASES
)
def test_set_succeeded(
    rec_weight: float | None,
    rec_reps: int,
    actual_weight: float | None,
    actual_reps: int | None,
    done: bool,
    ok: bool,
) -> None:
    assert set_succeeded(rec_weight, rec_reps, actual_weight, actual_reps, done) is ok


def test_the_sql_success_rule_is_the_python_one() -> None:
    """analytics counts successes in the database: the same rule, case for case."""
    from datetime import date as day

    from sqlalchemy import create_engine, insert, select

    from models.db_training import SessionSet
    from server.training.analytics import SUCCEEDED

    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        SessionSet.__table__.create(conn)  # type: ignore[attr-defined]
        rows = [
            dict(
                zip(("rec_weight", "rec_reps", "actual_weight", "actual_reps", "done"), case[:5], strict=True)
            )
            for case in SUCCESS_CASES
        ]
        for i, row in enumerate(rows):
            row |= {"id": str(i), "session_id": "s", "user_id": "u", "exercise_id": "e", "set_number": i + 1,
                    "unit": "kg", "performed_on": day(2026, 12, 1)}  # fmt: skip
        conn.execute(insert(SessionSet), rows)
        got = dict(conn.execute(select(SessionSet.id, SUCCEEDED)).all())
    assert [bool(got[str(i)]) for i in range(len(rows))] == [case[5] for case in SUCCESS_CASES]


def _week(successes: int, sets: int = 10) -> WeekResult:
    return WeekResult(week_start="2026-11-23", sets=sets, successes=successes)


@pytest.mark.parametrize(
    ("this", "before", "weighted", "percent", "reps", "rule"),
    [
        (_week(8), _week(8), True, 2.5, 0, "raise_two_weeks_at_0.8"),  # 0.8 two weeks running
        (_week(10), _week(9), True, 2.5, 0, "raise_two_weeks_at_0.8"),
        (_week(8), _week(7), True, 0.0, 0, "hold"),  # 0.8 only this week
        (_week(8), None, True, 0.0, 0, "hold"),  # no week before
        (_week(7), _week(10), True, 0.0, 0, "hold"),  # 0.7
        (_week(5), _week(10), True, 0.0, 0, "hold"),  # 0.5 exactly is not below 0.5
        (_week(4), _week(10), True, -2.5, 0, "lower_below_0.5"),
        (_week(49, 100), None, True, -2.5, 0, "lower_below_0.5"),  # 0.49
        (_week(4), _week(10), False, 0.0, -1, "one_rep_fewer_below_0.5"),  # bodyweight: a rep fewer
        (None, _week(10), True, 0.0, 0, "no_data"),
        (_week(0, 0), _week(10), True, 0.0, 0, "no_data"),
    ],
)
def test_modifier(
    this: WeekResult | None, before: WeekResult | None, weighted: bool, percent: float, reps: int, rule: str
) -> None:
    mod = modifier_for(this, before, weighted=weighted)
    assert (mod.percent, mod.rep_change, mod.rule) == (percent, reps, rule)
