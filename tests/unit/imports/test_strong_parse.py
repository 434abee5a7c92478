from __future__ import annotations

import pytest

from server.imports.csvread import parse_duration
from server.imports.rows import ImportFormatError
from server.imports.strong import STRONG_COLUMNS, parse_strong

HEADER = ",".join(STRONG_COLUMNS) + "\n"


def test_rows_keep_their_first_line_across_quoted_newlines() -> None:
    text = (
        HEADER
        + '2023-05-01 18:00:00,Push,1h 5m,Bench Press (Barbell),1,100.0,5,0,0,"two\nlines",,8\n'
        + "2023-05-01 18:00:00,Push,1h 5m,Bench Press (Barbell),2,100.0,abc,0,0,,,\n"
    )
    with pytest.raises(ImportFormatError) as caught:
        parse_strong(text, unit="kg")
    assert caught.value.line == 4
    assert "Reps 'abc'" in caught.value.message


def test_a_set_row_becomes_numbers_with_the_exports_unit() -> None:
    text = HEADER + "2023-05-01 18:00:00,Push,1h 5m,Bench Press (Barbell),1,100.5,5,0,0,slow,tired,8.5\n"
    (row,) = parse_strong(text, unit="lb")
    assert (row.weight, row.unit, row.reps, row.rpe, row.duration_s) == (100.5, "lb", 5, 8.5, None)
    assert row.workout.ended_at is not None
    assert (row.workout.ended_at - row.workout.started_at).total_seconds() == 3900
    assert row.raw["Notes"] == "slow" and row.raw["Workout Notes"] == "tired"
    assert row.skip is None


def test_semicolon_exports_use_a_decimal_comma() -> None:
    text = HEADER.replace(",", ";") + "2023-05-01 18:00:00;Push;45m;Squat (Barbell);1;102,5;5;0;0;;;\n"
    (row,) = parse_strong(text, unit="kg")
    assert row.weight == 102.5


def test_rest_timers_empty_sets_and_repeats_are_kept_but_skipped() -> None:
    base = "2023-05-01 18:00:00,Push,45m,Plank,"
    text = HEADER + base + "1,0,0,0,60,,,\n" + base + "Rest Timer,0,0,0,90,,,\n" + base + "2,0,0,0,0,,,\n"
    text += base + "1,0,0,0,60,,,\n"
    rows = parse_strong(text, unit="kg")
    assert [r.skip for r in rows] == [None, "rest_timer", "empty", "duplicate"]
    assert rows[0].duration_s == 60 and rows[0].reps is None


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("2023-13-45 18:00:00,Push,45m,Plank,1,0,5,0,0,,,", "Date"),
        ("2023-05-01 18:00:00,Push,forever,Plank,1,0,5,0,0,,,", "Duration"),
        ("2023-05-01 18:00:00,Push,45m,Plank,first,0,5,0,0,,,", "Set Order"),
        ("2023-05-01 18:00:00,Push,45m,Plank,1,-5,5,0,0,,,", "negative"),
        ("2023-05-01 18:00:00,Push,45m,Plank,1,0,5,0,0,,,14", "RPE"),
        ("2023-05-01 18:00:00,Push,45m,Plank,1,0,5", "fields"),
        ("2023-05-01 18:00:00,Push,45m,,1,0,5,0,0,,,", "Exercise Name"),
    ],
)
def test_a_bad_row_names_its_line(bad: str, message: str) -> None:
    good = "2023-05-01 18:00:00,Push,45m,Plank,1,0,0,0,60,,,\n"
    with pytest.raises(ImportFormatError) as caught:
        parse_strong(HEADER + good + good.replace(",1,", ",2,") + bad + "\n", unit="kg")
    assert caught.value.line == 4
    assert message in caught.value.message


def test_a_file_without_strongs_columns_is_refused_at_line_one() -> None:
    with pytest.raises(ImportFormatError) as caught:
        parse_strong("Date,Exercise,Weight\n2023-05-01,Bench,100\n", unit="kg")
    assert caught.value.line == 1 and "Workout Name" in caught.value.message


@pytest.mark.parametrize(
    ("text", "seconds"), [("1h 5m", 3900), ("45m", 2700), ("2h", 7200), ("90", 90), ("", None)]
)
def test_durations(text: str, seconds: int | None) -> None:
    assert parse_duration(text, "Duration", 2) == seconds
