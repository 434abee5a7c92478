"""Realistic exports of other apps, written for the tests: a seeded lifter training for years in Strong.

Each generator returns the file's text and what an honest import of it must report, computed here from
the generator's own choices (never from the importer).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

__all__ = ["STRONG_LIFTS", "UNKNOWN_NAMES", "Expected", "strong_csv"]

# Strong's own exercise names → the catalog id the matcher must give them.
STRONG_LIFTS = {
    "Bench Press (Barbell)": ("Barbell_Bench_Press_-_Medium_Grip", 60, 2.5),
    "Squat (Barbell)": ("Barbell_Squat", 80, 2.5),
    "Deadlift (Barbell)": ("Barbell_Deadlift", 100, 5),
    "Overhead Press (Barbell)": ("Standing_Military_Press", 40, 1.25),
    "Bent Over Row (Barbell)": ("Bent_Over_Barbell_Row", 50, 2.5),
    "Lat Pulldown (Cable)": ("Wide-Grip_Lat_Pulldown", 45, 2.5),
    "Bicep Curl (Dumbbell)": ("Dumbbell_Bicep_Curl", 10, 1),
    "Lateral Raise (Dumbbell)": ("Side_Lateral_Raise", 6, 0.5),
    "Romanian Deadlift (Barbell)": ("Romanian_Deadlift", 70, 2.5),
    "Leg Press": ("Leg_Press", 120, 5),
    "Hip Thrust (Barbell)": ("Barbell_Hip_Thrust", 60, 5),
    "Face Pull (Cable)": ("Face_Pull", 20, 1),
    "Incline Bench Press (Dumbbell)": ("Incline_Dumbbell_Press", 20, 1),
}
BODYWEIGHT = {"Pull Up": "Pullups", "Chin Up": "Chin-Up"}
TIMED = {"Plank": "Plank"}
CARDIO = {"Running": "Running_Treadmill"}
# Names the matcher must not be sure of: a home-made lift and a typo of nothing.
UNKNOWN_NAMES = ("Zercher Frobnicate", "Quux Flarp")
HEADER = [
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
]
_NOTES = ("", "", "", "felt heavy", 'grip slipped, "chalk" next time', "paused reps\nslow eccentric", "belt")


@dataclass
class Expected:
    rows: int = 0
    workouts: int = 0
    sets: int = 0
    unresolved: int = 0
    skipped: int = 0
    volume: float = 0.0
    best: dict[str, float] = field(default_factory=dict)  # catalog id → heaviest set
    sets_per_exercise: dict[str, int] = field(default_factory=dict)
    first_day: str = ""
    last_day: str = ""


def _duration(seconds: int) -> str:
    h, m = divmod(seconds // 60, 60)
    return f"{h}h {m}m" if h else f"{m}m"


def strong_csv(*, years: int = 3, seed: int = 18, start: datetime | None = None) -> tuple[str, Expected]:
    """A Strong export (kg) of `years` of training, 3-4 sessions a week, with warm-ups, rest-timer and
    empty rows, timed and distance sets, notes with commas, quotes and newlines, and RPE on some sets."""
    rnd = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    exp = Expected()
    day = start or datetime(2022, 1, 3, 18, 0, 0)
    end = day + timedelta(days=365 * years)
    lifts = list(STRONG_LIFTS)
    progress = {name: 0.0 for name in lifts}

    def add(row: list[object]) -> None:
        writer.writerow(row)
        exp.rows += 1

    while day < end:
        stamp = day.replace(
            hour=rnd.choice((6, 7, 12, 17, 18, 19)), minute=rnd.randrange(60), second=rnd.randrange(60)
        )
        date = stamp.strftime("%Y-%m-%d %H:%M:%S")
        name = rnd.choice(("Push Day", "Pull Day", "Leg Day", "Full Body", "Evening Workout"))
        duration = _duration(rnd.randrange(40 * 60, 100 * 60))
        wnotes = rnd.choice(("", "", "deload week", "gym crowded, swapped order"))
        made_set = False
        chosen = rnd.sample(lifts, rnd.randint(3, 5))
        if rnd.random() < 0.3:
            chosen.append(rnd.choice(list(BODYWEIGHT)))
        if rnd.random() < 0.15:
            chosen.append("Plank")
        if rnd.random() < 0.1:
            chosen.append("Running")
        if rnd.random() < 0.03:
            chosen.append(rnd.choice(UNKNOWN_NAMES))
        for exercise in chosen:
            common = [date, name, duration, exercise]
            if exercise in STRONG_LIFTS:
                ex_id, base, step = STRONG_LIFTS[exercise]
                progress[exercise] += step * rnd.choice((0, 0, 0.1, 0.2))
                work = round((base + progress[exercise]) / step) * step
                if rnd.random() < 0.5:  # a warm-up set, marked W
                    warm = round(round(work * 0.5 / step) * step, 1)
                    add([*common, "W", f"{warm:.1f}", 8, 0, 0, "", wnotes, ""])
                    exp.sets += 1
                    exp.volume += warm * 8
                    exp.sets_per_exercise[ex_id] = exp.sets_per_exercise.get(ex_id, 0) + 1
                    made_set = True
                for order in range(1, rnd.randint(3, 5) + 1):
                    reps = rnd.randint(3, 12)
                    weight = round(work + rnd.choice((0, 0, step, -step)), 1)  # as written: one decimal
                    rpe = rnd.choice(("", "", "7", "8", "8.5", "9", "10"))
                    add([*common, order, f"{weight:.1f}", reps, 0, 0, rnd.choice(_NOTES), wnotes, rpe])
                    exp.sets += 1
                    exp.volume += weight * reps
                    exp.best[ex_id] = max(exp.best.get(ex_id, 0.0), weight)
                    exp.sets_per_exercise[ex_id] = exp.sets_per_exercise.get(ex_id, 0) + 1
                    made_set = True
                if rnd.random() < 0.2:  # Strong's rest timer row
                    add([*common, "Rest Timer", 0, 0, 0, 90, "", wnotes, ""])
                    exp.skipped += 1
                if rnd.random() < 0.05:  # a set added and never filled in
                    add([*common, 9, 0, 0, 0, 0, "", wnotes, ""])
                    exp.skipped += 1
            elif exercise in BODYWEIGHT:
                for order in range(1, 4):
                    add([*common, order, 0, rnd.randint(5, 12), 0, 0, "", wnotes, ""])
                    exp.sets += 1
                    made_set = True
            elif exercise in TIMED:
                for order in range(1, 3):
                    add([*common, order, 0, 0, 0, rnd.choice((45, 60, 90)), "", wnotes, ""])
                    exp.sets += 1
                    made_set = True
            elif exercise in CARDIO:
                add([*common, 1, 0, 0, round(rnd.uniform(2, 8), 2), rnd.randrange(900, 3000), "", wnotes, ""])
                exp.sets += 1
                made_set = True
            else:
                for order in range(1, 3):
                    add([*common, order, "20.0", 10, 0, 0, "", wnotes, ""])
                    exp.unresolved += 1
        if made_set:
            exp.workouts += 1
            exp.first_day = exp.first_day or date
            exp.last_day = date
        day += timedelta(days=rnd.choice((1, 2, 2, 3)))
    return out.getvalue(), exp


HEVY_HEADER = [
    "title",
    "start_time",
    "end_time",
    "description",
    "exercise_title",
    "superset_id",
    "exercise_notes",
    "set_index",
    "set_type",
    "WEIGHT",
    "reps",
    "DISTANCE",
    "duration_seconds",
    "rpe",
]


def hevy_csv(*, weeks: int = 52, seed: int = 7, unit: str = "kg") -> tuple[str, Expected]:
    """A Hevy export: weight_kg/distance_km (or weight_lbs/distance_miles), 0-based set_index, set_type,
    supersets, times written like "5 Jan 2023, 07:30", quoted everything as Hevy does."""
    rnd = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    weight_col, distance_col = (
        ("weight_kg", "distance_km") if unit == "kg" else ("weight_lbs", "distance_miles")
    )
    writer.writerow([{"WEIGHT": weight_col, "DISTANCE": distance_col}.get(h, h) for h in HEVY_HEADER])
    exp = Expected()
    day = datetime(2023, 1, 2, 7, 30)
    factor = 1.0 if unit == "kg" else 2.2
    for _ in range(weeks * 3):
        start = day.replace(minute=rnd.randrange(60))
        end = start + timedelta(minutes=rnd.randrange(45, 90))
        fmt = "%-d %b %Y, %H:%M"
        common = ["Upper" if rnd.random() < 0.5 else "Lower", start.strftime(fmt), end.strftime(fmt), ""]
        made = False
        for n, exercise in enumerate(rnd.sample(list(STRONG_LIFTS), 4)):
            ex_id, base, step = STRONG_LIFTS[exercise]
            superset = str(n // 2) if rnd.random() < 0.3 else ""
            for index in range(rnd.randint(2, 4)):
                kind = (
                    "warmup"
                    if index == 0 and rnd.random() < 0.4
                    else rnd.choice(["normal"] * 8 + ["failure", "dropset"])
                )
                weight = round(base * factor + step * rnd.randint(-2, 4), 1)
                reps = rnd.randint(4, 12)
                row = [
                    *common,
                    exercise,
                    superset,
                    "",
                    index,
                    kind,
                    weight,
                    reps,
                    "",
                    "",
                    rnd.choice(["", "8", "9"]),
                ]
                writer.writerow(row)
                exp.rows += 1
                exp.sets += 1
                exp.volume += weight * reps
                exp.best[ex_id] = max(exp.best.get(ex_id, 0.0), weight)
                exp.sets_per_exercise[ex_id] = exp.sets_per_exercise.get(ex_id, 0) + 1
                made = True
        if rnd.random() < 0.1:
            writer.writerow(
                [*common, "Running", "", "", 0, "normal", "", "", round(rnd.uniform(2, 6), 2), 1500, ""]
            )
            exp.rows += 1
            exp.sets += 1
        if rnd.random() < 0.05:
            writer.writerow([*common, "Quux Flarp", "", "", 0, "normal", 20, 10, "", "", ""])
            exp.rows += 1
            exp.unresolved += 1
        if rnd.random() < 0.05:
            writer.writerow([*common, "Plank", "", "", 0, "normal", "", "", "", "", ""])  # never filled in
            exp.rows += 1
            exp.skipped += 1
        exp.workouts += int(made)
        day += timedelta(days=rnd.choice((2, 2, 3)))
    return out.getvalue(), exp


__all__ += ["hevy_csv"]
