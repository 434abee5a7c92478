"""Generates the held-out and train splits of typed turns (`benchmarks/data/heldout.jsonl`, `train.jsonl`).

Written for issue 13, from templates, fillers, commentary, exercise phrasings and number styles made up
here, not drawn from `../shared/eval/` or `benchmarks/data/probe.jsonl`. The exercise *ids* follow the dev
set's answer convention (which ids count as right for a lift); the words that name them are this file's.

The two splits come from different seeds, and each has vocabulary the other never uses: phrasings,
templates, lead-ins and commentary marked `HELD` appear only in held-out, those marked `TRAIN` only in
train. Tune on train; read held-out only as a number. The held-out file is frozen once written: re-running
this script must reproduce it byte for byte (a test checks), so a change here shows up as a diff.

    python benchmarks/heldout_gen.py            # rewrites both files
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.heldout_vocab import EXERCISES, Lift
from benchmarks.heldout_words import (
    COMMENTARY,
    EFFORT,
    LEAD_INS,
    TEMPLATES,
    say_number,
    say_weight,
)

__all__ = ["generate", "main"]

DATA = Path(__file__).resolve().parent / "data"
SPLITS = {"heldout": (20261203, 1100), "train": (4417, 1100)}


def _pick(rng: random.Random, items: list[tuple[str, str]], split: str) -> str:
    """Items are (text, where): where is "both", "held" or "train"."""
    pool = [t for t, where in items if where == "both" or where == split]
    return rng.choice(pool)


def _load(rng: random.Random, lift: Lift, unit: str) -> float:
    lo, hi, step = lift.load_lb if unit == "lb" else lift.load_kg
    return float(rng.randrange(int(lo / step), int(hi / step) + 1) * step)


def _expected(
    lift: Lift,
    sets: int,
    reps: int | None,
    weight: float | None,
    unit: str | None,
    rpe: float | None,
    duration: int | None,
) -> dict[str, Any]:
    return {
        "exercise_ids": list(lift.ids),
        "sets": sets,
        "reps": reps,
        "weight": weight,
        "unit": unit if weight is not None else None,
        "rpe": rpe,
        "duration_s": duration,
    }


def _turn(rng: random.Random, split: str, default_unit: str) -> dict[str, Any]:
    lift = rng.choice(EXERCISES)
    name = _pick(rng, lift.names, split)
    reps = rng.randint(*lift.reps)
    weight: float | None = None
    unit: str | None = None
    said_unit = ""
    if lift.loaded:
        unit = default_unit if rng.random() < 0.7 else ("kg" if default_unit == "lb" else "lb")
        weight = _load(rng, lift, unit)
        said_unit = unit if unit != default_unit or rng.random() < 0.5 else ""
    sets = 1 if rng.random() < 0.65 else rng.randint(2, 5)
    rpe: float | None = None
    effort = ""
    classes: list[str] = []
    if rng.random() < 0.3:
        rpe_value, effort = rng.choice([e for e in EFFORT if e[2] in ("both", split)])[:2]
        rpe = rpe_value
        classes.append("effort")
    template, tcls = rng.choice(
        [
            (t, c)
            for t, c, where in TEMPLATES
            if where in ("both", split) and (lift.loaded == ("{w}" in t)) and ((sets > 1) == ("{s}" in t))
        ]
    )
    style = rng.choice(("digits", "words", "mixed", "whisper"))
    w_text = (
        say_weight(weight, unit or default_unit, said_unit, rng, style, lift) if weight is not None else ""
    )
    text = template.format(
        ex=name,
        w=w_text,
        r=say_number(reps, rng, style),
        s=say_number(sets, rng, style),
        rx=say_number(max(1, reps + rng.choice((-2, -1, 1, 2, 3))), rng, style),
    )
    if tcls != "plain":
        classes.append(tcls)
    if style == "whisper" and weight is not None:
        classes.append("spoken_numbers")
    if effort:
        text = f"{text}{rng.choice([', ', ' ', ' at '] if effort.startswith('rpe') else [', ', ' '])}{effort}"
    if rng.random() < 0.35:
        text = f"{_pick(rng, LEAD_INS, split)} {text}"
        classes.append("commentary")
    if rng.random() < 0.35:
        text = f"{text}, {_pick(rng, COMMENTARY, split)}"
        classes.append("commentary")
    if name in lift.slang:
        classes.append("slang")
    if name in lift.damaged:
        classes.append("phonetic")
    if rng.random() < 0.15:
        text = text[0].upper() + text[1:] + rng.choice((".", "", "!"))
    expected = _expected(lift, sets, reps, weight, unit, rpe, None)
    return {
        "text": text,
        "expected": expected,
        "tags": {
            "classes": sorted(set(classes)) or ["plain"],
            "lift": lift.ids[0],
            "numbers": style,
            "group": "+".join(sorted(set(classes))) or "plain",
        },
    }


def generate(split: str) -> list[dict[str, Any]]:
    seed, n = SPLITS[split]
    rng = random.Random(seed)
    sessions = []
    for k in range(n):
        unit = "lb" if rng.random() < 0.75 else "kg"
        sessions.append({"id": f"{split}-{k:04d}", "default_unit": unit, "turns": [_turn(rng, split, unit)]})
    return sessions


def write(split: str, path: Path) -> None:
    path.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in generate(split)))


def main() -> int:
    for split in SPLITS:
        write(split, DATA / f"{split}.jsonl")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
