"""The grammar alone (no exercise matching): which number is what, and what the exercise phrase is."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from matcher.grammar import Slots
from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher
from tests.unit.matcher.test_numbers import int_to_words


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


def read(parser: Parser, text: str) -> tuple[Slots, str | None]:
    r = parser.read(text, unit="lb")
    return r.slots, r.exercise_phrase


def nums(s: Slots) -> tuple[int | None, int | None, float | None, float | None, int | None]:
    return s.sets, s.reps, s.weight, s.rpe, s.duration_s


@pytest.mark.parametrize(
    "text",
    [
        "4x8 hack squat 230",
        "4 x 8 hack squat at 230",
        "four sets of eight hack squat at two thirty",
        "hack squat 230 4 by 8",
        "hack squat, two thirty, four by eight",
        "230 for 8 on hack squat, 4 sets",
        "hack squat 4 sets of 8 with 230",
    ],
)
def test_sets_reps_weight_in_any_order(parser: Parser, text: str) -> None:
    s, phrase = read(parser, text)
    assert nums(s) == (4, 8, 230, None, None)
    assert phrase == "hack squat"


@pytest.mark.parametrize(
    ("text", "reps", "weight"),
    [
        ("hack squat, six reps, three ten", 6, 310),
        ("310 for 6 on hack squat", 6, 310),
        ("hack squat three ten for six", 6, 310),
        ("hack squat six reps at 310", 6, 310),
        ("6 reps of hack squat with 310", 6, 310),
        ("hack squat, 6 reps, 310", 6, 310),
        ("hack squat a single at 400", 1, 400),
    ],
)
def test_reps_and_weight(parser: Parser, text: str, reps: int, weight: float) -> None:
    s, phrase = read(parser, text)
    assert (s.reps, s.weight, s.sets) == (reps, weight, None)
    assert phrase == "hack squat"


@pytest.mark.parametrize(
    ("text", "rpe"),
    [
        ("arnold press 40 for 10 rpe 7", 7),
        ("arnold press 40 for 10 at rpe 7", 7),
        ("arnold press 40 for 10 RPE seven and a half", 7.5),
        ("arnold press 40 for 10 r p e seven point five", 7.5),
        ("arnold press 40 for 10, rpe of 6", 6),
        ("arnold press 40 for 10 at an eight", 8),
        ("arnold press 40 for 10 at a seven", 7),
        ("arnold press 40 for 10 at 9", 9),
        ("arnold press 40 for 10, three reps in reserve", 7),
        ("arnold press 40 for 10 with one rep in reserve", 9),
        ("arnold press 40 for 10, 2 RIR", 8),
        ("arnold press 40 for 10 with zero in the tank", 10),
    ],
)
def test_rpe_and_rir(parser: Parser, text: str, rpe: float) -> None:
    s, phrase = read(parser, text)
    assert (s.weight, s.reps, s.rpe) == (40, 10, rpe)
    assert phrase == "arnold press"


def test_at_before_any_load_is_the_load(parser: Parser) -> None:
    s, _ = read(parser, "cable curl, twelve reps at eight")
    assert (s.reps, s.weight, s.rpe) == (12, 8, None)


def test_comments_do_not_set_rpe(parser: Parser) -> None:
    for comment in ("felt heavy", "that was really hard", "nice and smooth", "ugh", "felt easy"):
        s, phrase = read(parser, f"arnold press 40 for 10, {comment}")
        assert (s.weight, s.reps, s.rpe) == (40, 10, None), comment
        assert phrase == "arnold press"
        assert s.leftover == []


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("wall sit for 75 seconds", 75),
        ("wall sit seventy five seconds", 75),
        ("wall sit for a minute", 60),
        ("wall sit for two minutes", 120),
        ("wall sit one and a half minutes", 90),
    ],
)
def test_holds(parser: Parser, text: str, seconds: int) -> None:
    s, phrase = read(parser, text)
    assert (s.duration_s, s.reps, s.weight) == (seconds, None, None)
    assert phrase == "wall sit"


def test_sets_of_a_hold(parser: Parser) -> None:
    s, phrase = read(parser, "three sets of forty second wall sit")
    assert (s.sets, s.duration_s, s.reps) == (3, 40, None)
    assert phrase == "wall sit"


def test_carry_with_load_and_time(parser: Parser) -> None:
    s, _ = read(parser, "farmer carry with the 70s for fifty seconds")
    assert (s.weight, s.duration_s, s.reps, s.per_hand) == (70, 50, None, True)


def test_sets_are_unset_unless_spoken(parser: Parser) -> None:
    s, _ = read(parser, "leg extension 110 for 15")
    assert s.sets is None


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("uh okay so I just did 12 reps of preacher curl with 60", "preacher curl"),
        ("alright, logging preacher curl 60 for 12, felt good", "preacher curl"),
        ("um next set, 60 for 12 on the preacher curl machine", "preacher curl machine"),
        ("then preacher curls, twelve reps, sixty", "preacher curls"),
        ("14 reps of calf raises on the leg press with 270", "calf raises on the leg press"),
    ],
)
def test_phrase_is_what_is_left(parser: Parser, text: str, phrase: str) -> None:
    assert read(parser, text)[1] == phrase


def test_self_correction_of_a_number(parser: Parser) -> None:
    s, _ = read(parser, "seated row 150 for 9, sorry, 10")
    assert (s.weight, s.reps) == (150, 10)
    s, _ = read(parser, "seated row 150, I mean 160, for 9")
    assert (s.weight, s.reps) == (160, 9)


def test_self_correction_of_the_exercise(parser: Parser) -> None:
    s, phrase = read(parser, "lunges, scratch that, step ups with the 25s for 10")
    assert phrase == "step ups"
    assert (s.weight, s.reps) == (25, 10)


def test_four_as_for_and_to_as_two(parser: Parser) -> None:
    s, _ = read(parser, "incline press one forty four ten")
    assert (s.weight, s.reps) == (140, 10)
    assert "four as for" in s.guesses
    s, _ = read(parser, "incline press to thirty five for three")
    assert (s.weight, s.reps) == (235, 3)


# Sentence shapes of our own, filled with any numbers in digits or words, must read back exactly.
_SHAPES = [
    ("{ex} {w} for {r}", False),
    ("{w} for {r} on {ex}", False),
    ("{s} sets of {r} {ex} at {w}", True),
    ("{ex}, {r} reps at {w} {u}", False),
    ("just did {r} reps of {ex} with {w}", False),
    ("{sd}x{rd} {ex} {w}", True),
    ("{ex} {w} {u}, {s} by {r}", True),
    ("did {ex}, {r} reps, {w}", False),
    ("{ex} {w} {u} {r} reps", False),
    ("{ex} with {w} {u} for {r}", False),
    ("{r} {ex} with the {w} {u}", False),
]
_EXERCISES = ["lat pulldown", "calf raise", "back squat", "leg press", "cable row", "pull down", "step up"]


@st.composite
def _spoken(draw: st.DrawFn, n: int, gym: bool) -> str:
    style = draw(st.sampled_from(["digits", "formal", "plain", "a", "gym"] if gym else ["digits", "formal"]))
    if style == "digits":
        return str(n)
    if (style == "a" and n // 100 != 1) or (style == "gym" and (n < 100 or n % 100 == 0)):
        style = "plain"
    return int_to_words(n, style=style)


@given(data=st.data())
@settings(max_examples=300, deadline=None)
def test_any_numbers_in_our_shapes_read_back(parser: Parser, data: st.DataObject) -> None:
    shape, has_sets = data.draw(st.sampled_from(_SHAPES))
    w = data.draw(st.integers(min_value=5, max_value=995))
    r = data.draw(st.integers(min_value=1, max_value=30))
    s = data.draw(st.integers(min_value=2, max_value=9))
    text = shape.format(
        ex=data.draw(st.sampled_from(_EXERCISES)),
        w=data.draw(_spoken(w, True)),
        r=data.draw(_spoken(r, False)),
        s=data.draw(_spoken(s, False)),
        sd=s,
        rd=r,
        u=data.draw(st.sampled_from(["lb", "pounds", "kilos", "kg"])),
    )
    # "one leg press" is a single-leg press as much as one rep of leg press: the name reading wins.
    assume(" one leg press" not in f" {text}")
    slots, phrase = read(parser, text)
    assert (slots.sets, slots.reps, slots.weight) == (s if has_sets else None, r, w), text
    assert phrase in _EXERCISES, text


def test_one_arm_names_the_exercise_not_a_count(parser: Parser) -> None:
    s, phrase = read(parser, "one arm cable row 40 for 12")
    assert phrase == "one arm cable row"
    assert (s.reps, s.weight, s.sets) == (12, 40, None)
    s, phrase = read(parser, "single leg press, 10 reps, two hundred")
    assert phrase == "single leg press"
    assert (s.reps, s.weight) == (10, 200)
    s, phrase = read(parser, "4 sets of 10 one arm cable row at 40")
    assert phrase == "one arm cable row"
    assert (s.sets, s.reps, s.weight) == (4, 10, 40)


@pytest.mark.parametrize(
    ("text", "phrase", "numbers"),
    [
        ("hit 5 reps on incline press with 155", "incline press", (None, 5, 155, None, None)),
        ("went 315 for 2 on sumo deadlift, new PR", "sumo deadlift", (None, 2, 315, None, None)),
        ("top set of box squat 275 for 3, last set was rough", "box squat", (None, 3, 275, None, None)),
        ("3 rounds of 12 wall balls", "wall balls", (3, 12, None, None, None)),
        ("two sets of one leg press at 300", "leg press", (2, 1, 300, None, None)),
    ],
)
def test_more_ways_of_saying_it(parser: Parser, text: str, phrase: str, numbers: tuple) -> None:
    s, got = read(parser, text)
    assert got == phrase
    assert nums(s) == numbers
    assert s.leftover == []


@pytest.mark.parametrize(
    ("text", "phrase", "numbers"),
    [
        # Speech-to-text habits: commas inside a name, "at" heard as "that", "of" as "and",
        # "four by" as "for my".
        ("two sets of 9, seated, cable, row at fifty kilos.", "seated cable row", (2, 9, 50, None, None)),
        ("five sets of ten leg, extension that forty.", "leg extension", (5, 10, 40, None, None)),
        ("three sets and eight hack squat at 200", "hack squat", (3, 8, 200, None, None)),
        ("leg press two hundred pounds for my 15.", "leg press", (4, 15, 200, None, None)),
    ],
)
def test_transcription_habits(parser: Parser, text: str, phrase: str, numbers: tuple) -> None:
    s, got = read(parser, text)
    assert got == phrase
    assert nums(s) == numbers


@pytest.mark.parametrize(
    ("text", "rpe"),
    [("arnold press 40 for 10, two reps left", 8), ("arnold press 40 for 10 to failure", 10)],
)
def test_reps_left_and_failure(parser: Parser, text: str, rpe: float) -> None:
    s, phrase = read(parser, text)
    assert (s.weight, s.reps, s.rpe) == (40, 10, rpe)
    assert phrase == "arnold press"


def test_sets_of_a_hold_with_x(parser: Parser) -> None:
    s, phrase = read(parser, "hollow hold 4 x 40 seconds")
    assert (s.sets, s.duration_s, s.reps) == (4, 40, None)
    assert phrase == "hollow hold"


def test_a_couple_more_sets(parser: Parser) -> None:
    s, _ = read(parser, "a couple more sets of 12")
    assert (s.sets, s.reps, s.same_again) == (2, 12, True)


def test_a_distance_is_never_reps(parser: Parser) -> None:
    s, phrase = read(parser, "yoke walk 300 pounds for 40 meters")
    assert (s.weight, s.reps, s.duration_s) == (300, None, None)
    assert phrase == "yoke walk"
    assert any("distance" in g for g in s.guesses)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("rack pull 495 x 3 x 2", (2, 3, 495, None, None)), ("rack pull 4x6x315", (4, 6, 315, None, None))],
)
def test_three_numbers_by_x(parser: Parser, text: str, numbers: tuple) -> None:
    s, phrase = read(parser, text)
    assert nums(s) == numbers
    assert phrase == "rack pull"


def test_bodyweight_said_as_a_load_is_not_a_name(parser: Parser) -> None:
    s, phrase = read(parser, "chin-ups, bodyweight, 9 reps")
    assert phrase == "chin-ups"
    assert (s.reps, s.weight) == (9, None)
    assert read(parser, "bodyweight squats, 25 reps")[1] == "bodyweight squats"


@pytest.mark.parametrize(
    ("text", "weight", "reps"),
    [
        ("hack squat 270 for 6, sorry, 270 for 7", 270, 7),
        ("hack squat 270 for 6, sorry, 280 pounds", 280, 6),
        ("hack squat 270 for 6, no wait, 8", 270, 8),
        ("hack squat 270, actually 290, for 6", 290, 6),
    ],
)
def test_self_corrections_replace_what_they_restate(
    parser: Parser, text: str, weight: float, reps: int
) -> None:
    s, phrase = read(parser, text)
    assert (s.weight, s.reps) == (weight, reps)
    assert phrase == "hack squat"
