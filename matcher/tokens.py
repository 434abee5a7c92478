"""A token of a cleaned utterance: a word, a (spoken or written) number, or a pause."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Token"]


class Token(NamedTuple):
    kind: str  # "num", "word" or "punct"
    text: str
    start: int
    end: int
    value: float | None = None
    plural: bool = False  # "the 60s", "the seventy fives"
    guess: str = ""  # why this token is a guess ("four as for", "to as two"); empty when certain
    rep_word: bool = False  # "a single", "a double": a count of reps said as a word
