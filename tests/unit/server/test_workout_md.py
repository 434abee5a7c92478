"""Workout markdown: the exact set-line form; render → parse → render identity on 500 generated workouts."""

from __future__ import annotations

import random

import pytest

from server.workout_md.document import ExerciseBlock, SetLine, WorkoutDoc
from server.workout_md.parse import MarkdownError, parse_markdown, parse_set
from server.workout_md.render import render_markdown, render_set

EXERCISES = [
    ("Barbell_Squat", "Barbell Squat"),
    ("Barbell_Bench_Press_-_Medium_Grip", "Barbell Bench Press - Medium Grip"),
    ("Pullups", "Pullups"),
    ("Plank", "Plank"),
    ("Dumbbell_Bicep_Curl", "Dumbbell Bicep Curl"),
    ("3_4_Sit-Up", "3/4 Sit-Up"),
]
WORDS = ["felt heavy", "grindy", "fast", "left knee twinge", "belt on", "paused", "(tempo 3-1-1)", "100%"]


def random_set(rng: random.Random) -> SetLine:
    weighted = rng.random() < 0.8
    weight = None
    if weighted:
        weight = rng.choice([rng.randint(0, 400) * 2.5, round(rng.uniform(0, 2000), rng.randint(0, 3))])
    return SetLine(
        weight=weight,
        unit=rng.choice(["lb", "kg", None]) if weighted else None,
        reps=rng.choice([None, rng.randint(1, 30)]),
        duration_s=rng.choice([None, None, rng.randint(5, 600)]),
        rpe=rng.choice([None, rng.randint(2, 20) / 2]),
        pr=weighted and rng.random() < 0.1,
    )


def random_workout(rng: random.Random, n: int) -> WorkoutDoc:
    blocks = []
    for _ in range(rng.randint(0, 6)):
        ex_id, name = rng.choice(EXERCISES)
        blocks.append(
            ExerciseBlock(
                exercise_id=ex_id, name=name, sets=tuple(random_set(rng) for _ in range(rng.randint(1, 6)))
            )
        )
    return WorkoutDoc(
        id=f"w-{n:04d}",
        title=rng.choice(["Workout", "Push day", "Legs — heavy", "Tuesday #3"]),
        started_at=f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:00:00Z",
        ended_at=rng.choice([None, "2026-12-03T11:15:00.123456Z"]),
        blocks=tuple(blocks),
        notes=tuple(" ".join(rng.sample(WORDS, rng.randint(1, 5))) for _ in range(rng.randint(0, 2))),
    )


def test_set_lines_read_as_the_issue_writes_them() -> None:
    line = SetLine(weight=225.0, unit="lb", reps=5, rpe=8.0)
    assert render_set(line) == "- 225 lb × 5 @ RPE 8"
    assert parse_set("- 225 lb × 5 @ RPE 8") == line
    assert (
        render_set(SetLine(weight=22.5, unit="kg", reps=8, rpe=7.5, pr=True))
        == "- 22.5 kg × 8 @ RPE 7.5 (PR)"
    )
    assert render_set(SetLine(reps=12)) == "- bodyweight × 12"
    assert render_set(SetLine(duration_s=60)) == "- bodyweight for 60 s"


@pytest.mark.parametrize(
    "bad", ["- 225 pounds × 5", "225 lb × 5", "- 225 lb * 5", "- heavy × 5", "- 225 lb × 5 @ 8"]
)
def test_lines_that_are_no_set_are_refused(bad: str) -> None:
    with pytest.raises(MarkdownError):
        parse_set(bad)


def test_hand_edits_may_write_x_and_plural_units() -> None:
    assert parse_set("- 230 lbs x 5") == SetLine(weight=230.0, unit="lb", reps=5)
    doc = parse_markdown("# W\n- started: s\n- id: w\n## Front Squat\n- 100 kg × 3\n")
    assert (doc.blocks[0].exercise_id, doc.blocks[0].name) == ("", "Front Squat")


def test_render_parse_render_is_identical_on_500_generated_workouts() -> None:
    rng = random.Random(16)
    seen_sets = 0
    for n in range(500):
        doc = random_workout(rng, n)
        text = render_markdown(doc)
        back = parse_markdown(text)
        assert back == doc, text
        assert render_markdown(back) == text
        seen_sets += sum(len(b.sets) for b in doc.blocks)
    assert seen_sets > 3000  # the generator really made workouts with sets in them


def test_a_workout_reads_as_markdown() -> None:
    doc = WorkoutDoc(
        id="w1",
        title="Legs",
        started_at="2026-12-03T10:00:00Z",
        blocks=(
            ExerciseBlock(
                exercise_id="Barbell_Squat",
                name="Barbell Squat",
                sets=(
                    SetLine(weight=225.0, unit="lb", reps=5, rpe=8.0),
                    SetLine(weight=245.0, unit="lb", reps=3, pr=True),
                ),
            ),
        ),
        notes=("belt on",),
    )
    assert render_markdown(doc) == (
        "# Legs\n\n- started: 2026-12-03T10:00:00Z\n- id: w1\n\n"
        "## Barbell Squat <!-- Barbell_Squat -->\n\n- 225 lb × 5 @ RPE 8\n- 245 lb × 3 (PR)\n\n"
        "## PRs\n\n- Barbell Squat: 245 lb × 3\n\n## Notes\n\n- belt on\n"
    )


def test_a_set_line_outside_the_grammar_names_its_line() -> None:
    text = "# W\n\n- started: x\n- id: w\n\n## Plank <!-- Plank -->\n\n- 60 seconds\n"
    with pytest.raises(MarkdownError) as err:
        parse_markdown(text)
    assert err.value.line == 8
