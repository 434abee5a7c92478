"""Whisper's spelling habits, undone before the grammar reads a transcript.

Trained on written English, whisper writes a spoken "fifty pounds" as "£50" and, once it has
started, sprinkles "£" onto later numbers ("£50 for £10"). The lifter said pounds at most once, so
the first "£N" becomes "N pounds" (unless "pounds" follows anyway) and every other "£" is dropped.
It also hears "with" as "win" or "wind" before a load ("win the fifties", "wind 70 pounds"), which
nobody says while logging a set. And it drops the t of "next set" ("neck set"), which then names a neck
exercise.
"""

from __future__ import annotations

import re

__all__ = ["tidy_transcript"]

_POUND_AMOUNT = re.compile(r"£\s*(\d[\d,]*(?:\.\d+)?)(\s*(?:pounds?|lbs?|quid)\b)?", re.IGNORECASE)
# "£8 reps" is a count with a stray sign, not a load
_COUNT_NEXT = re.compile(r"\s*(?:reps?|times|sets?|seconds?|minutes?)\b", re.IGNORECASE)
_BARE_POUND = re.compile(r"\s*£\s*")
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
)
_WIN_THE = re.compile(rf"\bwind? (?=the\b|\d|{_NUMBER_WORD}\b)", re.IGNORECASE)
_NECK_SET = re.compile(r"\bneck (?=sets?\b)", re.IGNORECASE)
_SPACES = re.compile(r"\s{2,}")


def tidy_transcript(text: str) -> str:
    said_pounds = False

    def amount(match: re.Match[str]) -> str:
        nonlocal said_pounds
        number = match.group(1).replace(",", "")
        if match.group(2):  # "£50 pounds": the unit is there already
            said_pounds = True
            return number + match.group(2)
        if said_pounds or _COUNT_NEXT.match(match.string, match.end()):
            return number
        said_pounds = True
        return f"{number} pounds"

    text = _POUND_AMOUNT.sub(amount, text)
    text = _BARE_POUND.sub(" ", text)
    text = _WIN_THE.sub(lambda m: "with " if m.group(0).islower() else "With ", text)
    text = _NECK_SET.sub(lambda m: "next " if m.group(0).islower() else "Next ", text)
    return _SPACES.sub(" ", text).strip()
