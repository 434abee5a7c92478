"""Semantic endpointing: does the running transcript already read as a complete set?

When it does, the session ends the utterance as soon as the speculative transcript is back instead
of waiting out the silence timeout. The test is deliberately conservative: a wrong "complete" cuts
the lifter off mid-sentence, a wrong "incomplete" only costs the ordinary timeout.
"""

from __future__ import annotations

import re
from typing import Any

from models.parsed import ParsedSet

__all__ = ["completeness", "ends_dangling", "reads_complete"]

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
    # a self-correction begun and not yet said ("... for five, no," / "..., sorry," / "..., I mean"):
    # ending here would log the value the lifter is taking back
    "no",
    "sorry",
    "wait",
    "actually",
    "mean",
    "meant",
    "scratch",
    "oops",
}
_WORDS = re.compile(r"[a-z0-9']+")


def ends_dangling(text: str) -> bool:
    """The transcript stops on a word that waits for another ("... at RPE", "... for")."""
    words = _WORDS.findall(text.lower())
    return bool(words) and words[-1] in _DANGLING


def completeness(parser: Any, text: str, *, unit: str, previous: ParsedSet | None = None) -> float:
    """How sure a complete reading of `text` is (the parse's confidence), 0 when it is not complete.
    The session ends at once on a sure reading and waits out a longer pause on an unsure one: a
    misheard fragment at a mid-sentence pause ("eight pulls" for "face pulls, ...") can read complete."""
    words = _WORDS.findall(text.lower())
    if not words or words[-1] in _DANGLING:
        return 0.0
    parse = getattr(parser, "parse", None)
    if parse is None:
        return 0.0
    result = parse(text, unit=unit, previous=previous, spoken=True)
    parsed, fields = result.parsed, set(result.trace.fields)
    if parsed.intent == "undo":
        return max(float(parsed.confidence), 0.01)
    if parsed.intent not in ("log_set", "correction") or parsed.exercise is None:
        return 0.0
    # the utterance itself must state how much was done; a bare exercise name is a lifter mid-thought
    if not fields & {"reps", "duration_s"}:
        return 0.0
    return float(parsed.confidence)


def reads_complete(parser: Any, text: str, *, unit: str, previous: ParsedSet | None = None) -> bool:
    return completeness(parser, text, unit=unit, previous=previous) > 0
