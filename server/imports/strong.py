"""Strong's CSV export, as the app writes it: one row per set, the workout repeated on every row.

Columns: Date, Workout Name, Duration, Exercise Name, Set Order, Weight, Reps, Distance, Seconds, Notes,
Workout Notes, RPE. Weights are in the unit the lifter set in Strong (the export does not say which;
older exports have a "Weight Unit" column, read when present). Unused Distance/Seconds are written as 0.
"""

from __future__ import annotations

from datetime import timedelta

from server.imports.csvread import number, parse_duration, parse_rpe, parse_time, records
from server.imports.rows import ImportedWorkout, ImportFormatError, ImportRow, content_key

__all__ = ["STRONG_COLUMNS", "parse_strong"]

STRONG_COLUMNS = (
    "Date",
    "Workout Name",
    "Duration",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Reps",
    "Distance",
    "Seconds",
    "Notes",
    "Workout Notes",
    "RPE",
)
_REQUIRED = ("Date", "Workout Name", "Exercise Name", "Set Order", "Weight", "Reps")
# Newer exports mark warm-up, drop and failure sets with a letter instead of a number.
_KINDS = {"W": "warmup", "D": "drop", "F": "failure"}
_UNITS = {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb"}


def parse_strong(text: str, *, unit: str) -> list[ImportRow]:
    """Every row of the file, validated; the first bad row raises ImportFormatError naming its line."""
    delimiter, rows = records(text, _REQUIRED)
    comma = delimiter == ";"
    workouts: dict[str, ImportedWorkout] = {}
    seen: set[str] = set()
    out: list[ImportRow] = []
    for line, r in rows:
        get = r.get
        started = parse_time(get("Date", ""), "Date", line)
        name = get("Workout Name", "").strip() or None
        exercise = get("Exercise Name", "").strip()
        if not exercise:
            raise ImportFormatError(line, "Exercise Name is empty")
        wkey = content_key("strong-workout", started.isoformat(), name)
        duration = parse_duration(get("Duration", ""), "Duration", line)  # checked on every row
        workout = workouts.get(wkey)
        if workout is None:
            workout = ImportedWorkout(
                key=wkey,
                name=name,
                started_at=started,
                ended_at=started + timedelta(seconds=duration) if duration else None,
                notes=get("Workout Notes", "").strip() or None,
                raw={c: get(c, "") for c in ("Date", "Workout Name", "Duration", "Workout Notes")},
            )
            workouts[wkey] = workout
        order_text = get("Set Order", "").strip()
        skip: str | None = None
        kind = _KINDS.get(order_text.upper(), "normal")
        if order_text.isdigit():
            order = int(order_text)
        elif order_text.upper() in _KINDS:
            order = 0
        elif order_text.lower().startswith(("rest", "note")):
            order, skip = 0, "rest_timer"
        else:
            raise ImportFormatError(line, f"Set Order {order_text!r} is not a set number")
        weight = number(get("Weight", ""), "Weight", line, comma_decimal=comma)
        reps = number(get("Reps", ""), "Reps", line, comma_decimal=comma)
        distance = number(get("Distance", ""), "Distance", line, comma_decimal=comma)
        seconds = number(get("Seconds", ""), "Seconds", line, comma_decimal=comma)
        rpe = parse_rpe(number(get("RPE", ""), "RPE", line, comma_decimal=comma), "RPE", line)
        row_unit = _UNITS.get(get("Weight Unit", "").strip().lower(), unit)
        key = content_key(
            "strong",
            started.isoformat(),
            name,
            exercise,
            order_text,
            weight,
            reps,
            distance,
            seconds,
            rpe,
        )
        if skip is None and not (reps or seconds or distance):
            skip = "empty"
        if skip is None and key in seen:
            skip = "duplicate"
        seen.add(key)
        has_weight = bool(weight)
        out.append(
            ImportRow(
                line=line,
                key=key,
                workout=workout,
                exercise_name=exercise,
                order=order,
                kind=kind,
                reps=int(reps) if reps else None,
                weight=weight if has_weight else None,
                unit=row_unit if has_weight else None,
                rpe=rpe,
                duration_s=int(seconds) if seconds else None,
                distance=distance or None,
                notes=get("Notes", "").strip() or None,
                raw=dict(r),
                skip=skip,
            )
        )
    return out
