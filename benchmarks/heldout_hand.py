"""Builds `benchmarks/data/heldout_hand.jsonl` from the hand-written turns in `heldout_hand.txt`.

The turns were written by hand for issue 13, in the styles lifters use (lead-ins, commentary, number roles,
whisper-style numbers, effort, self-corrections, damaged names, slang, context), before any reader change,
and are read only as a number (never tuned on). The text file is the source; this script turns it into the
dev set's JSON-lines format and checks every exercise id against the catalog.

    python benchmarks/heldout_hand.py           # rewrites heldout_hand.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matcher.catalog import load_catalog

__all__ = ["LIFTS", "build", "main"]

DATA = Path(__file__).resolve().parent / "data"
SOURCE = DATA / "heldout_hand.txt"
TARGET = DATA / "heldout_hand.jsonl"

# Which catalog ids count as right for each lift key (the dev set's answer convention).
LIFTS: dict[str, tuple[str, ...]] = {
    "bench": ("Barbell_Bench_Press_-_Medium_Grip", "Bench_Press_-_Powerlifting"),
    "squat": ("Barbell_Squat", "Barbell_Full_Squat"),
    "dl": ("Barbell_Deadlift",),
    "ohp": ("Standing_Military_Press", "Barbell_Shoulder_Press"),
    "rdl": ("Romanian_Deadlift",),
    "sldl": ("Stiff-Legged_Barbell_Deadlift",),
    "row": ("Bent_Over_Barbell_Row",),
    "pulldown": ("Wide-Grip_Lat_Pulldown",),
    "cablerow": ("Seated_Cable_Rows",),
    "facepull": ("Face_Pull",),
    "skull": ("EZ-Bar_Skullcrusher", "Lying_Triceps_Press"),
    "hammer": ("Hammer_Curls", "Alternate_Hammer_Curl"),
    "bbcurl": ("Barbell_Curl",),
    "dbcurl": ("Dumbbell_Bicep_Curl", "Dumbbell_Alternate_Bicep_Curl"),
    "preacher": ("Preacher_Curl",),
    "pushdown": ("Triceps_Pushdown_-_Rope_Attachment", "Triceps_Pushdown"),
    "lateral": ("Side_Lateral_Raise",),
    "legpress": ("Leg_Press",),
    "legext": ("Leg_Extensions",),
    "legcurl": ("Lying_Leg_Curls", "Seated_Leg_Curl", "Standing_Leg_Curl"),
    "adductor": ("Thigh_Adductor",),
    "abductor": ("Thigh_Abductor",),
    "hipthrust": ("Barbell_Hip_Thrust",),
    "dbbench": ("Dumbbell_Bench_Press",),
    "incdb": ("Incline_Dumbbell_Press",),
    "inclinebench": ("Barbell_Incline_Bench_Press_-_Medium_Grip",),
    "dbrow": ("One-Arm_Dumbbell_Row",),
    "dbpress": ("Dumbbell_Shoulder_Press", "Seated_Dumbbell_Press"),
    "front": ("Front_Barbell_Squat", "Front_Squat_Clean_Grip"),
    "goblet": ("Goblet_Squat",),
    "kbswing": ("One-Arm_Kettlebell_Swings",),
    "split": ("Split_Squat_with_Dumbbells", "Split_Squats"),
    "calf": ("Standing_Calf_Raises", "Standing_Barbell_Calf_Raise", "Standing_Dumbbell_Calf_Raise"),
    "seatedcalf": ("Seated_Calf_Raise", "Barbell_Seated_Calf_Raise"),
    "shrug": ("Barbell_Shrug",),
    "dbshrug": ("Dumbbell_Shrug",),
    "crossover": ("Cable_Crossover",),
    "fly": ("Butterfly",),
    "upright": ("Upright_Barbell_Row",),
    "trapbar": ("Trap_Bar_Deadlift",),
    "sumo": ("Sumo_Deadlift",),
    "cgbench": ("Close-Grip_Barbell_Bench_Press",),
    "kickback": ("Tricep_Dumbbell_Kickback",),
    "hack": ("Hack_Squat",),
    "pushpress": ("Push_Press",),
    "clean": ("Power_Clean",),
    "pullup": ("Pullups",),
    "chin": ("Chin-Up",),
    "pushup": ("Pushups",),
    "dip": ("Dips_-_Triceps_Version", "Parallel_Bar_Dip", "Dips_-_Chest_Version"),
    "hlr": ("Hanging_Leg_Raise",),
    "invrow": ("Inverted_Row",),
    "situp": ("Sit-Up",),
    "benchdip": ("Bench_Dips",),
    "lunge": ("Bodyweight_Walking_Lunge",),
    "plank": ("Plank",),
}


def _value(text: str, kind: type) -> Any:
    return None if text == "-" else kind(text)


def build(source: Path = SOURCE) -> list[dict[str, Any]]:
    known = {e.id for e in load_catalog()}
    sessions: list[dict[str, Any]] = []
    for n, line in enumerate(source.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        unit, text, keys, numbers, classes = (part.strip() for part in line.split("|"))
        ids = [i for key in keys.split() for i in LIFTS[key]]
        missing = [i for i in ids if i not in known]
        if missing:
            raise SystemExit(f"{source.name}:{n}: not in the catalog: {missing}")
        sets, reps, weight, wunit, rpe, duration = numbers.split()
        turn = {
            "text": text,
            "expected": {
                "exercise_ids": ids,
                "sets": int(sets),
                "reps": _value(reps, int),
                "weight": _value(weight, float),
                "unit": _value(wunit, str),
                "rpe": _value(rpe, float),
                "duration_s": _value(duration, int),
            },
            "tags": {"classes": classes.split(), "line": n},
        }
        if unit == ">":
            sessions[-1]["turns"].append(turn)
        else:
            sessions.append({"id": f"hand-{len(sessions):04d}", "default_unit": unit, "turns": [turn]})
    return sessions


def render(sessions: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(s) + "\n" for s in sessions)


def main() -> None:
    sessions = build()
    TARGET.write_text(render(sessions))
    print(f"{TARGET}: {len(sessions)} sessions, {sum(len(s['turns']) for s in sessions)} turns")


if __name__ == "__main__":
    main()
