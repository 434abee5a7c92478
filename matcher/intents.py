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
    r"^[\s,]*(?:no,? )?(?:undo(?: that| it| the last(?: one| set)?)?|scratch that(?: one)?|"
    r"(?:delete|remove|cancel|drop|erase|forget|kill|scrap|nix) "
    r"(?:that|it|this|the last(?: one| set| entry)?|"
    r"(?:my|the) last (?:set|one|entry))(?: set| one)?|never ?mind|take (?:that|it) back|"
    r"(?:that was|that's) (?:a )?mistake|ignore (?:that|it)|cancel)[\s,.!]*$"
)
_CORRECTION = re.compile(
    r"^[\s,]*(?:no+|nope|nah|actually|correction|wait|sorry|oops|my bad|"
    r"(?:make|change|fix|update) (?:that|it|the last(?: one| set)?)(?: to| into)?|"
    r"(?:that|it) (?:should (?:be|have been)|was actually|was|were)|should (?:be|have been)|"
    r"i meant?|meant|not \S+,? )(?:[\s,.!]+|$)"
)
_CORRECTION_MORE = re.compile(
    r"^(?:(?:it|that) (?:was|should be|should have been|is)|make (?:that|it)|i meant?|actually)(?:[\s,.!]+|$)"
)
# In the middle of an utterance these words take back what came just before them.
_SELF_FIX = re.compile(
    r"\b(?:scratch that|i mean|i meant|no wait|wait no|wait|oops|my bad|correction|actually|"
    r"sorry|rather|make that)\b"
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
        return IntentSplit("correction", rest.strip(" ,"))
    return IntentSplit("", cleaned)


def mark_self_corrections(text: str) -> str:
    """Every mid-utterance take-back becomes the one word the grammar looks for: "sorry"."""
    return _SELF_FIX.sub("sorry", text)
