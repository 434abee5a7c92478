"""Numbers written in a form no set can hold: "1e999", "-5", "rpe 9.75".

The grammar reads words the way a lifter says them, so it read "1e999" as 999, "-5 for -3" as 5 × 3 and
"1e10 minutes" as ten minutes, and dropped "rpe 9.75": each logged as something else than what was
written, at full confidence. Rather than guess, the server asks (issue 19). This looks only at literals
typed or transcribed as digits; spoken number words never produce these forms.
"""

from __future__ import annotations

import re

__all__ = ["impossible_number"]

# 1e999, 2.5E2, 1e-3: scientific notation, which no one says and the grammar cannot read.
_EXPONENT = re.compile(r"(?<![\w.])\d+(?:\.\d+)?[eE][+-]?\d+\b")
# -5, but not the range "8-10", a word with a hyphen ("t-bar") or a dash between phrases ("3 sets - 5 reps").
_NEGATIVE = re.compile(r"(?:^|(?<=[\s(:=,]))[-−]\d")
# No field of a set needs more than six digits (86400 s is five); 400 nines read as infinity.
_TOO_LONG = re.compile(r"\d{7,}")
# RPE is 1 to 10 in steps of 0.5 (docs/protocol.md); "rpe of 9.75", "@rpe11", "rpe: 7.3".
_RPE = re.compile(r"\brpe\s*(?:of|at|:|=)?\s*(\d+(?:\.\d+)?)\b", re.IGNORECASE)


def impossible_number(text: str) -> str | None:
    """Why a number in `text` cannot be part of a set, as a question to put to the lifter; None if all
    numbers are of forms a set can hold."""
    if match := _EXPONENT.search(text):
        return f"I can't log {match.group(0)!r} as a number. Could you say the set again with plain numbers?"
    if _TOO_LONG.search(text):
        return "That number is longer than any set holds. Could you say the set again?"
    if _NEGATIVE.search(text):
        return "A set can't have negative numbers. Could you say it again?"
    for match in _RPE.finditer(text):
        value = float(match.group(1))
        if not 1 <= value <= 10 or (value * 2) % 1:
            return f"RPE goes from 1 to 10 in half steps; {match.group(1)} isn't one. What was the RPE?"
    return None
