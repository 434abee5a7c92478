"""The number reader: every way a lifter says a number, and the "for"/"four", "to"/"two" homophones."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.normalize import normalize
from matcher.numbers import read_number

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def words_below_100(n: int) -> str:
    if n < 10:
        return _ONES[n]
    if n < 20:
        return _TEENS[n - 10]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + ("" if ones == 0 else " " + _ONES[ones])


def int_to_words(n: int, *, style: str = "formal") -> str:
    """Our own int → words, written independently of the reader under test.

    formal: "one hundred and thirty five"; plain: "one hundred thirty five"; a: "a hundred and thirty five";
    gym: "one thirty five" (hundreds without "hundred").
    """
    if n == 1000:
        return "one thousand"
    if n < 100:
        return words_below_100(n)
    hundreds, rest = divmod(n, 100)
    if style == "gym" and rest >= 10:
        return f"{_ONES[hundreds]} {words_below_100(rest)}"
    if style == "gym" and rest > 0:
        return f"{_ONES[hundreds]} oh {_ONES[rest]}"
    head = "a hundred" if style == "a" and hundreds == 1 else f"{_ONES[hundreds]} hundred"
    if rest == 0:
        return head
    joiner = " " if style == "plain" else " and "
    return head + joiner + words_below_100(rest)


def spoken(text: str) -> float:
    words = text.split()
    r = read_number(words, 0)
    assert r is not None, text
    assert r.end == len(words), f"{text!r} read only {words[: r.end]}"
    return r.value


@given(st.integers(min_value=0, max_value=1000))
def test_every_integer_in_words_reads_back(n: int) -> None:
    assert spoken(int_to_words(n)) == n


@given(st.integers(min_value=100, max_value=999), st.sampled_from(["plain", "a", "gym"]))
def test_hundreds_in_every_style_read_back(n: int, style: str) -> None:
    if (style == "a" and n // 100 != 1) or (style == "gym" and n % 100 == 0):
        style = "plain"  # "a" only fits one hundred; "two hundred" has no shorthand
    assert spoken(int_to_words(n, style=style)) == n


@given(st.integers(min_value=0, max_value=300))
def test_halves_read_back(n: int) -> None:
    assert spoken(int_to_words(n) + " and a half") == n + 0.5


@given(st.integers(min_value=0, max_value=300), st.integers(min_value=1, max_value=9))
def test_point_decimals_read_back(n: int, tenth: int) -> None:
    assert spoken(f"{int_to_words(n)} point {_ONES[tenth]}") == n + tenth / 10


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["", "lb", "kg"]))
def test_digits_read_back_through_normalize(n: int, unit: str) -> None:
    nums = [t.value for t in normalize(f"squat {n}{unit} for 5").tokens if t.kind == "num"]
    assert nums == [n, 5]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("two twenty five", 225),
        ("four oh five", 405),
        ("a hundred and thirty five", 135),
        ("sixty two point five", 62.5),
        ("twelve and a half", 12.5),
        ("one ten", 110),
        ("three fifteen", 315),
        ("nine point five", 9.5),
        ("one thousand", 1000),
    ],
)
def test_issue_examples(text: str, value: float) -> None:
    assert spoken(text) == value


def test_plural_number_words_mark_a_pair_of_dumbbells() -> None:
    r = read_number(["seventy", "fives"], 0)
    assert r is not None and r.value == 75 and r.plural
    r = read_number(["thirties"], 0)
    assert r is not None and r.value == 30 and r.plural


def values(text: str) -> list[tuple[str, float | None]]:
    return [
        (t.kind, t.value) if t.kind == "num" else (t.kind, None)
        for t in normalize(text).tokens
        if t.kind != "punct"
    ]


def test_four_before_another_number_is_for() -> None:
    toks = [t for t in normalize("one twenty four twelve").tokens]
    assert [(t.kind, t.value or t.text) for t in toks] == [("num", 120), ("word", "for"), ("num", 12)]
    assert toks[1].guess == "four as for"


def test_lone_four_between_numbers_is_for() -> None:
    toks = normalize("two twenty five four five").tokens
    assert [(t.kind, t.value or t.text) for t in toks] == [("num", 225), ("word", "for"), ("num", 5)]


def test_four_before_a_word_stays_four() -> None:
    toks = normalize("twenty four kilo kettlebell").tokens
    assert toks[0].value == 24


def test_to_before_a_tens_word_is_two_hundred() -> None:
    toks = normalize("bench to twenty five for five").tokens
    assert [t.value for t in toks if t.kind == "num"] == [225, 5]


def test_to_after_drop_stays_to() -> None:
    toks = normalize("drop to one eighty five").tokens
    assert [(t.kind, t.value or t.text) for t in toks] == [("word", "drop"), ("word", "to"), ("num", 185)]
    toks = normalize("drop two one eighty five").tokens
    assert [(t.kind, t.value or t.text) for t in toks] == [("word", "drop"), ("word", "to"), ("num", 185)]


def test_sets_by_reps_and_rep_words() -> None:
    assert [t.value for t in normalize("3x10").tokens if t.kind == "num"] == [3, 10]
    single = [t for t in normalize("a single at 315").tokens if t.kind == "num"]
    assert single[0].value == 1 and single[0].rep_word and single[1].value == 315


def test_no_number_words_no_numbers() -> None:
    assert all(t.kind != "num" for t in normalize("a set of lat pulldowns").tokens)


@pytest.mark.parametrize(("text", "value"), [("twelve hundred", 1200), ("fifteen hundred and fifty", 1550)])
def test_hundreds_of_a_teen(text: str, value: float) -> None:
    assert spoken(text) == value


@pytest.mark.parametrize(
    ("text", "value"), [("the eighty's", 80), ("the thirtys", 30), ("the fifteen's", 15)]
)
def test_loose_plural_spellings(text: str, value: float) -> None:
    nums = [t for t in normalize(text).tokens if t.kind == "num"]
    assert len(nums) == 1 and nums[0].value == value and nums[0].plural


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the twelve and a halfs", 12.5),
        ("the twelve and a half's", 12.5),
        ("the seventeen point fives", 17.5),
        ("the 22.5s", 22.5),
        ("the thirty two and a halfs", 32.5),
    ],
)
def test_fractional_dumbbell_pairs_are_plural(text: str, value: float) -> None:
    nums = [t for t in normalize(text).tokens if t.kind == "num"]
    assert len(nums) == 1 and nums[0].value == value and nums[0].plural


@pytest.mark.parametrize(("text", "reps"), [("single", 1), ("a double", 2), ("triple", 3), ("double", 2)])
def test_rep_words_alone_or_with_an_article(text: str, reps: int) -> None:
    nums = [t for t in normalize(f"deadlift {text} at 405").tokens if t.kind == "num"]
    assert nums[0].rep_word and nums[0].value == reps


def test_single_before_a_limb_names_the_exercise() -> None:
    assert all(not t.rep_word for t in normalize("single leg press 90 for 10").tokens)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("one forty two sets of ten", [140, 2, 10]),
        ("two hundred four sets of six", [200, 4, 6]),
        ("thirty two sets of twelve", [30, 2, 12]),
        ("one forty two for ten", [142, 10]),
    ],
)
def test_a_ones_word_before_sets_counts_the_sets(text: str, values: list[float]) -> None:
    assert [t.value for t in normalize(text).tokens if t.kind == "num"] == values


def test_rep_word_before_a_name_word_is_part_of_the_name() -> None:
    toks = normalize("two sets of ten reverse double hyperextensions").tokens
    assert [t.value for t in toks if t.kind == "num"] == [2, 10]
