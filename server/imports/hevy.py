"""Hevy's CSV export: one row per set, the workout on every row, weights in the column's own unit.

Columns: title, start_time, end_time, description, exercise_title, superset_id, exercise_notes, set_index,
set_type (normal | warmup | dropset | failure), weight_kg or weight_lbs, reps, distance_km or
distance_miles, duration_seconds, rpe. Times are written like "26 Feb 2024, 18:05" (local time).
"""

from __future__ import annotations

from server.imports.csvread import number, parse_rpe, parse_time, records
from server.imports.rows import ImportedWorkout, ImportFormatError, ImportRow, content_key

__all__ = ["parse_hevy"]

_REQUIRED = ("title", "start_time", "exercise_title", "set_index", "reps")
_KINDS = {"normal": "normal", "warmup": "warmup", "dropset": "drop", "failure": "failure", "": "normal"}


def parse_hevy(text: str, *, unit: str) -> list[ImportRow]:
    """Every row, validated; `unit` is only used when the export has no weight column at all."""
    _delimiter, rows = records(text, _REQUIRED)
    workouts: dict[str, ImportedWorkout] = {}
    seen: set[str] = set()
    out: list[ImportRow] = []
    for line, r in rows:
        get = r.get
        started = parse_time(get("start_time", ""), "start_time", line)
        ended = parse_time(get("end_time", ""), "end_time", line) if get("end_time", "").strip() else None
        title = get("title", "").strip() or None
        exercise = get("exercise_title", "").strip()
        if not exercise:
            raise ImportFormatError(line, "exercise_title is empty")
        wkey = content_key("hevy-workout", started.isoformat(), title)
        workout = workouts.setdefault(
            wkey,
            ImportedWorkout(
                key=wkey,
                name=title,
                started_at=started,
                ended_at=ended,
                notes=get("description", "").strip() or None,
                raw={c: get(c, "") for c in ("title", "start_time", "end_time", "description")},
            ),
        )
        index_text = get("set_index", "").strip()
        if not index_text.isdigit():
            raise ImportFormatError(line, f"set_index {index_text!r} is not a set number")
        kind_text = get("set_type", "").strip().lower()
        if kind_text not in _KINDS:
            raise ImportFormatError(
                line, f"set_type {kind_text!r} is not one of {sorted(k for k in _KINDS if k)}"
            )
        if "weight_lbs" in r:
            weight, row_unit = number(get("weight_lbs", ""), "weight_lbs", line), "lb"
        elif "weight_kg" in r:
            weight, row_unit = number(get("weight_kg", ""), "weight_kg", line), "kg"
        else:
            weight, row_unit = None, unit
        distance_col = "distance_miles" if "distance_miles" in r else "distance_km"
        distance = number(get(distance_col, ""), distance_col, line)
        seconds = number(get("duration_seconds", ""), "duration_seconds", line)
        reps = number(get("reps", ""), "reps", line)
        rpe = parse_rpe(number(get("rpe", ""), "rpe", line), "rpe", line)
        key = content_key(
            "hevy",
            started.isoformat(),
            title,
            exercise,
            index_text,
            kind_text,
            weight,
            reps,
            distance,
            seconds,
            rpe,
        )
        skip = None
        if not (reps or seconds or distance):
            skip = "empty"
        elif key in seen:
            skip = "duplicate"
        seen.add(key)
        out.append(
            ImportRow(
                line=line,
                key=key,
                workout=workout,
                exercise_name=exercise,
                order=int(index_text) + 1,
                kind=_KINDS[kind_text],
                reps=int(reps) if reps else None,
                weight=weight or None,
                unit=row_unit if weight else None,
                rpe=rpe,
                duration_s=int(seconds) if seconds else None,
                distance=distance or None,
                notes=get("exercise_notes", "").strip() or None,
                raw=dict(r),
                skip=skip,
            )
        )
    return out
