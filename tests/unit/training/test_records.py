"""PR detection (server/training/records.py) against hand-computed sequences."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from server.training.records import Book, Record, SetFact

_T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)


def _book() -> Book:
    counter = itertools.count(1)
    return Book(new_id=lambda: f"pr{next(counter)}")


def _set(i: int, weight: float | None, reps: int | None, *, workout: str = "w1", unit: str | None = "lb",
         duration_s: int | None = None) -> SetFact:  # fmt: skip
    return SetFact(
        set_id=f"s{i}",
        workout_id=workout,
        at=_T0 + timedelta(minutes=i),
        weight=weight,
        unit=unit if weight is not None else None,
        reps=reps,
        duration_s=duration_s,
    )


def _by_type(records: list[Record]) -> dict[str, Record]:
    return {r.pr_type: r for r in records}


def test_first_set_sets_every_record_it_can_with_no_previous() -> None:
    made = _by_type(_book().detect(_set(1, 200, 5)))
    assert set(made) == {"1rm", "3rm", "5rm", "e1rm", "volume_set", "volume_session", "reps_at_weight"}
    assert made["e1rm"].value == pytest.approx(233.3333, abs=1e-4)  # 200 × (1 + 5/30)
    assert made["volume_set"].value == 1000
    assert made["reps_at_weight"].value == 5
    assert all(r.previous_pr_id is None and r.improvement_percent is None for r in made.values())


def test_heavier_set_beats_the_weight_and_e1rm_records_with_improvement_percent() -> None:
    book = _book()
    first = _by_type(book.detect(_set(1, 200, 5, workout="w1")))
    made = _by_type(book.detect(_set(2, 210, 5, workout="w2")))
    assert made["1rm"].previous_pr_id == first["1rm"].id
    assert made["1rm"].improvement_percent == pytest.approx(5.0)  # 210 / 200 − 1
    assert made["e1rm"].value == pytest.approx(245.0)  # 210 × 7/6
    assert made["e1rm"].improvement_percent == pytest.approx(5.0)
    # 210 × 5 is a new weight: its reps record is a first one (nothing done at 210 before)
    assert made["reps_at_weight"].previous_pr_id is None
    assert made["volume_session"].previous_pr_id == first["volume_session"].id
    assert made["volume_session"].improvement_percent == pytest.approx(5.0)


def test_equal_is_not_a_record_and_fewer_reps_only_moves_the_1rm() -> None:
    book = _book()
    book.detect(_set(1, 200, 5, workout="w1"))
    assert [r.pr_type for r in book.detect(_set(2, 200, 5, workout="w2"))] == []
    made = _by_type(book.detect(_set(3, 220, 2, workout="w3")))
    # 220 × 2: heavier single and e1rm 234.67 > 233.33; not a 3RM or 5RM; volume 440 < 1000
    assert set(made) == {"1rm", "e1rm", "reps_at_weight"}
    assert made["e1rm"].value == pytest.approx(234.6667, abs=1e-4)


def test_more_reps_at_the_same_weight() -> None:
    book = _book()
    first = _by_type(book.detect(_set(1, 100, 8, workout="w1")))
    made = _by_type(book.detect(_set(2, 100, 10, workout="w2")))
    assert made["reps_at_weight"].previous_pr_id == first["reps_at_weight"].id
    assert made["reps_at_weight"].improvement_percent == pytest.approx(25.0)
    assert "1rm" not in made and "5rm" not in made
    assert made["e1rm"].value == pytest.approx(133.3333, abs=1e-4)


def test_session_volume_is_one_record_per_workout_raised_in_place() -> None:
    book = _book()
    (w1,) = [r for r in book.detect(_set(1, 100, 10, workout="w1")) if r.pr_type == "volume_session"]
    book.detect(_set(2, 100, 10, workout="w1"))  # 2000 in w1: the same record, raised
    assert book.current[("volume_session", "")].id == w1.id
    assert book.current[("volume_session", "")].value == 2000
    book.detect(_set(3, 100, 10, workout="w2"))  # w2 at 1000: no record yet
    made = _by_type(book.detect(_set(4, 100, 11, workout="w2")))  # 2100 > 2000
    assert made["volume_session"].id != w1.id
    assert made["volume_session"].previous_pr_id == w1.id
    assert made["volume_session"].improvement_percent == pytest.approx(5.0)


def test_units_compare_in_kg_and_keep_their_own_unit() -> None:
    book = _book()
    book.detect(_set(1, 100, 5, unit="kg", workout="w1"))
    assert book.detect(_set(2, 220, 5, unit="lb", workout="w2")) == []  # 220 lb = 99.79 kg
    made = _by_type(book.detect(_set(3, 225, 5, unit="lb", workout="w3")))  # 102.06 kg
    assert made["1rm"].value == 225 and made["1rm"].unit == "lb"
    assert made["1rm"].improvement_percent == pytest.approx(2.0583, abs=1e-3)


def test_reps_at_weight_counts_only_sets_no_heavier_set_matched() -> None:
    book = _book()
    book.detect(_set(1, 200, 5, workout="w1"))
    assert book.detect(_set(2, 150, 3, workout="w2")) == []  # 200 × 5 already did more, heavier
    assert book.detect(_set(3, 150, 5, workout="w3")) == []  # equal reps, heavier: still dominated
    (made,) = [r for r in book.detect(_set(4, 150, 6, workout="w4")) if r.pr_type == "reps_at_weight"]
    assert made.previous_pr_id is None and made.key == "68.04"  # first record at 150 lb (68.04 kg)
    (again,) = [r for r in book.detect(_set(5, 150, 8, workout="w5")) if r.pr_type == "reps_at_weight"]
    assert again.previous_pr_id == made.id and again.improvement_percent == pytest.approx(100 / 3)


def test_bodyweight_sets_and_holds() -> None:
    book = _book()
    assert [r.pr_type for r in book.detect(_set(1, None, 12))] == ["reps_at_weight"]
    (more,) = book.detect(_set(2, None, 15))
    assert more.value == 15 and more.improvement_percent == pytest.approx(25.0)
    (hold,) = book.detect(_set(3, None, None, duration_s=60))
    assert hold.pr_type == "duration" and hold.value == 60
    assert book.detect(_set(4, None, None, duration_s=60)) == []
