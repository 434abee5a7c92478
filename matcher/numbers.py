"""Spoken numbers: "two twenty five", "four oh five", "a hundred and thirty five", "sixty two point five".

`read_number(words, i)` reads the longest number starting at `words[i]` and says how it read it, so the
grammar can tell a plain "twenty" from a gym shorthand ("one ten" = 110) and a guessed "four" = "for".
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["NUMBER_WORDS", "NumberRead", "digits_value", "plural_spelling", "read_number"]

_ONES = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# "the seventy fives", "the twenties": a plural last word names a pair of dumbbells.
_PLURAL_ONES = {
    "ones": 1,
    "twos": 2,
    "threes": 3,
    "fours": 4,
    "fives": 5,
    "sixes": 6,
    "sevens": 7,
    "eights": 8,
    "nines": 9,
}
_PLURAL_TEENS = {w + "s": v for w, v in _TEENS.items()}
_PLURAL_TENS = {
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}

NUMBER_WORDS = frozenset(
    [*_ONES, *_TEENS, *_TENS, *_PLURAL_ONES, *_PLURAL_TEENS, *_PLURAL_TENS, "hundred", "hundreds", "thousand"]
)
# Words a number can start with besides the number words themselves.
_OH = frozenset({"oh", "o"})
# Words a small number counts, so it cannot end a bigger number before them.
_COUNTED = frozenset({"sets", "set", "rounds", "round"})


class NumberRead(NamedTuple):
    value: float
    end: int  # index just past the last word read
    plural: bool = False  # "seventy fives"
    shorthand: bool = False  # "two twenty five" = 225: hundreds said without "hundred"
    guessed_for: bool = False  # a trailing "four" was taken as the word "for"


def _word(words: list[str], i: int) -> str:
    return words[i] if i < len(words) else ""


def _small(words: list[str], i: int) -> tuple[int, int, str, bool] | None:
    """A number below 100 at i: (value, end, kind, plural); kind is 'ones', 'teen', 'tens' or 'tens+ones'."""
    w = _word(words, i)
    if w in _ONES:
        return _ONES[w], i + 1, "ones", False
    if w in _PLURAL_ONES:
        return _PLURAL_ONES[w], i + 1, "ones", True
    if w in _TEENS:
        return _TEENS[w], i + 1, "teen", False
    if w in _PLURAL_TEENS:
        return _PLURAL_TEENS[w], i + 1, "teen", True
    if w in _PLURAL_TENS:
        return _PLURAL_TENS[w], i + 1, "tens", True
    if w in _TENS:
        tens = _TENS[w]
        nxt = _word(words, i + 1)
        if nxt in _ONES and nxt != "zero":
            return tens + _ONES[nxt], i + 2, "tens+ones", False
        if nxt in _PLURAL_ONES:
            return tens + _PLURAL_ONES[nxt], i + 2, "tens+ones", True
        return tens, i + 1, "tens", False
    return None


def _below_thousand(words: list[str], i: int) -> tuple[int, int, bool, bool] | None:
    """(value, end, plural, shorthand) for 0..999 said with or without "hundred"."""
    lead = _word(words, i)
    if lead == "a" and _word(words, i + 1) == "hundred":
        head: tuple[int, int, str, bool] | None = (1, i + 1, "ones", False)
    elif lead in ("hundred", "hundreds"):  # "the hundreds", "the hundred and tens": a pair of dumbbells
        head = (1, i, "ones", False)
    else:
        head = _small(words, i)
    if head is None:
        return None
    value, end, kind, plural = head
    if not plural and _word(words, end) in ("hundred", "hundreds"):  # "two hundred", "twelve hundred"
        hundreds_plural = _word(words, end) == "hundreds"
        end += 1
        total = value * 100
        if hundreds_plural:
            return total, end, True, False
        j = end + 1 if _word(words, end) == "and" else end
        rest = _small(words, j)
        if rest is not None:
            return total + rest[0], rest[1], rest[3], False
        return total, end, False, False
    # Gym shorthand: "one ten", "two twenty five", "four oh five", "one fifteen".
    if kind == "ones" and not plural and value > 0:
        nxt = _word(words, end)
        if nxt in _OH and _word(words, end + 1) in _ONES and _word(words, end + 1) != "zero":
            return value * 100 + _ONES[words[end + 1]], end + 2, False, True
        if nxt in _OH and _word(words, end + 1) in _PLURAL_ONES:
            return value * 100 + _PLURAL_ONES[words[end + 1]], end + 2, True, True
        rest = _small(words, end)
        if rest is not None and rest[2] != "ones":
            return value * 100 + rest[0], rest[1], rest[3], True
    return value, end, plural, False


def _starts_number(words: list[str], i: int) -> bool:
    w = _word(words, i)
    return w in NUMBER_WORDS or w[:1].isdigit() or (w == "a" and _word(words, i + 1) == "hundred")


def read_number(words: list[str], i: int) -> NumberRead | None:
    """Read the spoken number starting at words[i] (lower-case words), or None if none starts there."""
    first = _below_thousand(words, i)
    if first is None:
        return None
    value, end, plural, shorthand = first
    if not plural and not shorthand and _word(words, end) == "thousand":
        end += 1
        value *= 1000
        j = end + 1 if _word(words, end) == "and" else end
        rest = _below_thousand(words, j)
        if rest is not None and not rest[3]:
            value += rest[0]
            end, plural = rest[1], rest[2]
    guessed_for = False
    # "one twenty four twelve": a closing "four" right before another number is the word "for".
    if (
        end - i >= 2
        and words[end - 1] == "four"
        and _starts_number(words, end)
        and _word(words, end) not in ("hundred", "thousand")
    ):
        value -= 4
        end -= 1
        guessed_for = True
    # "one twenty three sets of ten": the closing ones word counts the sets, it is not part of the load.
    if (
        end - i >= 2
        and not plural
        and _word(words, end) in _COUNTED
        and words[end - 1] in _ONES
        and words[end - 2] not in ("and", "oh", "o", "thousand")
    ):
        value -= _ONES[words[end - 1]]
        end -= 1
    result = float(value)
    if not plural and not guessed_for:
        if _word(words, end) == "point" and _word(words, end + 1) in _ONES.keys() | _PLURAL_ONES.keys():
            digits = ""
            j = end + 1
            while _word(words, j) in _ONES:
                digits += str(_ONES[words[j]])
                j += 1
            if _word(words, j) in _PLURAL_ONES:  # "the seventeen point fives": a pair of 17.5s
                digits += str(_PLURAL_ONES[words[j]])
                j += 1
                plural = True
            result = float(f"{value}.{digits}")
            end = j
        elif (
            _word(words, end) == "and"
            and _word(words, end + 1) == "a"
            and _word(words, end + 2) in ("half", "halfs", "halves", "half's")
        ):
            result = value + 0.5
            plural = words[end + 2] != "half"  # "the twelve and a halfs"
            end += 3
        elif (
            _word(words, end) == "and" and _word(words, end + 1) == "a" and _word(words, end + 2) == "quarter"
        ):
            result = value + 0.25
            end += 3
    return NumberRead(result, end, plural, shorthand, guessed_for)


def digits_value(token: str) -> tuple[float, bool] | None:
    """A digit token ("225", "62.5", "60s", "15's") as (value, plural), else None."""
    plural = token.endswith("s")
    core = token.rstrip("s").rstrip("'")
    try:
        return float(core), plural
    except ValueError:
        return None


def plural_spelling(word: str) -> str | None:
    """ "eighty's", "thirtys", "fifteen's" -> the plural number word ("eighties", ...), else None."""
    stem = word[:-2] if word.endswith("'s") else word[:-1] if word.endswith("s") else ""
    if stem in _TENS:
        return stem[:-1] + "ies"
    if stem in _ONES and stem != "zero":
        return "sixes" if stem == "six" else stem + "s"
    if stem in _TEENS:
        return stem + "s"
    return None
