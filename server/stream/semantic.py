"""Semantic endpointing: does the running transcript already read as a complete set?

When it does, the session ends the utterance as soon as the speculative transcript is back instead
of waiting out the silence timeout. The test is deliberately conservative: a wrong "complete" cuts
the lifter off mid-sentence, a wrong "incomplete" only costs the ordinary timeout.
"""

from __future__ import annotations

import re
from typing import Any

from models.parsed import ParsedSet

__all__ = ["ends_dangling", "reads_complete"]

# A transcript ending on one of these is waiting for its next word ("... at", "... and a").
_DANGLING = {
    "at",
    "for",
    "of",
    "and",
    "with",
    "by",
    "x",
    "times",
    "on",
    "a",
    "an",
    "the",
    "to",
    "rpe",
    "r",
    "p",
    "e",
    "point",
    "plus",
    "um",
    "uh",
    "like",
    "did",
    "then",
    "next",
    "now",
    "so",
}
_WORDS = re.compile(r"[a-z0-9']+")


def ends_dangling(text: str) -> bool:
    """The transcript stops on a word that waits for another ("... at RPE", "... for")."""
    words = _WORDS.findall(text.lower())
    return bool(words) and words[-1] in _DANGLING


def reads_complete(parser: Any, text: str, *, unit: str, previous: ParsedSet | None = None) -> bool:
    words = _WORDS.findall(text.lower())
    if not words or words[-1] in _DANGLING:
        return False
    parse = getattr(parser, "parse", None)
    if parse is None:
        return False
    result = parse(text, unit=unit, previous=previous)
    parsed, fields = result.parsed, set(result.trace.fields)
    if parsed.intent == "undo":
        return True
    if parsed.intent not in ("log_set", "correction") or parsed.exercise is None:
        return False
    # the utterance itself must state how much was done; a bare exercise name is a lifter mid-thought
    return bool(fields & {"reps", "duration_s"}) and parsed.confidence > 0
