"""What the lifter wants: log a set, correct the last one, undo it, or nothing at all (chatter).

Runs on the cleaned text before the grammar: an utterance that is only "scratch that" is an undo,
one that opens with "no," / "make that" / "actually" corrects the previous set, and the rest of it
is read by the grammar as the change.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["IntentSplit", "mark_self_corrections", "split_intent"]

_UNDO = re.compile(
    r"^[\s,]*(?:no,? )?(?:"
    r"(?:undo|scratch|delete|remove|cancel|erase|forget|kill|scrap|nix|drop|get rid of|ignore|take back|"
    r"take out|throw out|cross out)"
    r"(?: (?:that|it|this|(?:the |my )?(?:last|previous|latest)(?: one| set| entry| log| thing)?))?"
    r"(?: one| set| back| out)?|never ?mind|take (?:that|it) back|(?:that was|that's) (?:a )?mistake|"
    r"don't log (?:that|it)|do not log (?:that|it))(?: please)?[\s,.!]*$"
)
# A field named in a correction ("change the reps to 8") says where its bare number goes.
_FIELD = r"(?P<{}>weight|load|reps|rep count|sets|rpe|rir|exercise|unit|time|duration)"
_CORRECTION = re.compile(
    r"^[\s,]*(?:no+|nope|nah|actually|correction|wait|sorry|oops|my bad|"
    r"wrong(?: one| exercise| weight| reps| number)?|"
    r"(?:make|change|fix|update|correct|set) (?:that|it|the last(?: one| set)?|the "
    + _FIELD.format("field")
    + r")(?: to| into| as)?|(?:the )?"
    + _FIELD.format("field2")
    + r" (?:was|were|should be|should have been|is|are)|"
    r"(?:that|it) (?:should (?:be|have been)|was actually|was|were)|should (?:be|have been)|"
    r"i meant?|meant|not (?:[^,]+,|\S+))(?:[\s,.!]+|$)"
)
_CORRECTION_MORE = re.compile(
    r"^(?:(?:it|that) (?:was|should be|should have been|is)|make (?:that|it)|i meant?|actually)(?:[\s,.!]+|$)"
)
# How to say a bare number so the grammar files it under the named field.
_FIELD_FRAME = {
    "weight": "with {}",
    "load": "with {}",
    "reps": "{} reps",
    "rep count": "{} reps",
    "sets": "{} sets",
    "rpe": "rpe {}",
    "rir": "{} rir",
    "time": "for {} seconds",
    "duration": "for {} seconds",
}
_BARE_NUMBER = re.compile(r"^[\d.]+$|^[a-z ]+$")


# In the middle of an utterance these words take back what came just before them.
_SELF_FIX = re.compile(
    r"\b(?:oh,? )?(?:scratch that|i mean|i meant|no wait|wait no|wait|oops|my bad|correction|actually|"
    r"sorry|or rather|rather|make that)\b"
)


class IntentSplit(NamedTuple):
    intent: str  # "undo", "correction" or "" (decided later: log_set or unknown)
    rest: str  # the text left for the grammar


def split_intent(cleaned: str) -> IntentSplit:
    if _UNDO.match(cleaned):
        return IntentSplit("undo", "")
    m = _CORRECTION.match(cleaned)
    if m and m.end() < len(cleaned):
        rest = cleaned[m.end() :]
        m2 = _CORRECTION_MORE.match(rest)
        if m2:
            rest = rest[m2.end() :]
        rest = rest.strip(" ,.!")
        field = m.group("field") or m.group("field2")
        frame = _FIELD_FRAME.get(field or "")
        if frame and _BARE_NUMBER.match(rest) and not _has_unit_or_keyword(rest):
            rest = frame.format(rest)
        return IntentSplit("correction", rest)
    return IntentSplit("", cleaned)


def _has_unit_or_keyword(rest: str) -> bool:
    return bool(re.search(r"\b(?:reps?|sets?|lbs?|pounds?|kgs?|kilos?|rpe|rir|seconds?|minutes?)\b", rest))


def mark_self_corrections(text: str) -> str:
    """Every mid-utterance take-back becomes the one word the grammar looks for: "sorry"."""
    return _SELF_FIX.sub("sorry", text)
