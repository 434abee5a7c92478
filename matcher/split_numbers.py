"""Loads speech-to-text wrote in pieces: "130 five" (135), "200 and 80" (280), "eight 2.5" (82.5).

Whisper writes a spoken load as digits when it hears it as one number, and in pieces when the speaker
pauses inside it: "one thirty ... five" becomes "130 five", "two hundred and eighty" "200 and 80",
"eighty two point five" "eight two point five". Each piece is a number of its own to the grammar, so the
load loses its tail and the tail becomes a rep count. A piece is joined to the one before only where
the pieces cannot be two quantities of a set:

- hundreds "and" tens: "200 and 80" (the "and" of a spoken hundred; nobody says "200 and 80 reps");
- tens of a load over 100, then one digit, then a unit or the end of the load ("130 five lbs",
  "at 240 five" with nothing after): a load ends in a unit or a pause, a count is followed by "reps";
- one digit, then two, all digits, then "for N" / "x N" or a unit ("2 20 for 5" = 220);
- one digit, then a decimal under ten ("eight 2.5"): a load that ends in .5 with one digit before it,
  said after "at" / "with" or before a unit, "x" or "for".

Joins are soft guesses, named in the trace, so a reading that rests on one can still be asked about.
"""

from __future__ import annotations

from matcher.tokens import Token
from matcher.units import UNIT_WORDS

__all__ = ["JOINED", "join_split_numbers"]

JOINED = "split number joined"
_LOAD_BEFORE = frozenset({"at", "with", "@"})
_LOAD_AFTER = frozenset({"x", "for", "by"})  # what follows a load: "82.5 x 8", "82.5 for 8"
_COUNT_AFTER = frozenset({"rep", "reps", "times", "x", "by", "sets", "set", "for", "of", "each"})


def _num(t: Token | None) -> float | None:
    return t.value if t is not None and t.kind == "num" and not t.plural else None


def _word(t: Token | None) -> str:
    return t.text if t is not None and t.kind == "word" else ("," if t is not None else "")


def _count_follows(
    after: Token | None, then: Token | None, sign: frozenset[str] = frozenset({"for"})
) -> bool:
    """ "... for 8": the reps come next, so the pieces before them are the load. Not "x" / "by" for a
    whole-number piece: "230 4 by 8" is 230 for 4 sets of 8."""
    return _word(after) in sign and _num(then) is not None


def _in_digits(t: Token | None) -> bool:
    """A number written in digits: one said as words ("twenty") is no piece whisper split off."""
    return t is not None and not t.text.isalpha()


def _ends_load(after: Token | None) -> bool:
    """Nothing, a pause, a unit, or a word that is no count marker follows."""
    if after is None or after.kind == "punct":
        return True
    return after.kind == "word" and (after.text in UNIT_WORDS or after.text not in _COUNT_AFTER)


def join_split_numbers(tokens: list[Token], text: str) -> list[Token]:
    out: list[Token] = []
    k = 0
    while k < len(tokens):
        t = tokens[k]
        a = _num(t)
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        joined: tuple[float, int] | None = None  # (value, tokens used)
        if a is not None and a.is_integer():
            before = out[-1] if out else None
            third = tokens[k + 2] if k + 2 < len(tokens) else None
            fourth = tokens[k + 3] if k + 3 < len(tokens) else None
            b = _num(nxt)
            if 100 <= a <= 900 and a % 100 == 0 and _word(nxt) == "and":
                c = _num(third)
                if c is not None and c.is_integer() and 10 <= c <= 99:
                    joined = (a + c, 3)
            elif (
                b is not None
                and 100 <= a < 1000
                and a % 10 == 0
                and b.is_integer()
                and 1 <= b <= 9
                and (
                    _word(third) in UNIT_WORDS
                    or (_word(before) in _LOAD_BEFORE and _ends_load(third))
                    or _count_follows(third, fourth)
                )
            ):
                joined = (a + b, 2)
            elif (
                b is not None
                and 1 <= a <= 9
                and b.is_integer()
                and 10 <= b <= 99
                and _in_digits(t)
                and _in_digits(nxt)
                and (_word(third) in UNIT_WORDS or _count_follows(third, fourth))
                and _word(before) not in _COUNT_AFTER
            ):
                # "2 20 for 5": whisper's "two twenty" in digits, a load with its reps after "for"
                joined = (a * 100 + b, 2)
            elif (
                b is not None
                and 1 <= a <= 9
                and not b.is_integer()
                and 0 < b < 10
                and (
                    _word(before) in _LOAD_BEFORE
                    or _word(third) in UNIT_WORDS
                    or _count_follows(third, fourth, _LOAD_AFTER)
                )
            ):
                joined = (a * 10 + b, 2)
        if joined is None:
            out.append(t)
            k += 1
            continue
        value, used = joined
        last = tokens[k + used - 1]
        said = text[t.start : last.end]
        out.append(
            t._replace(
                text=said, end=last.end, value=value, guess=f"{JOINED}: {said} -> {value:g}", plural=False
            )
        )
        k += used
    return out
