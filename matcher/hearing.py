"""Where a transcript's numbers may have been misheard: a word nobody could read, among the numbers.

Typed, "bench two thirty high for four" is a typo; spoken, it is the ear's: speech-to-text turns a
number it half heard into some other word ("five" -> "high", "four sets" -> "force at"), and a reading
that skips that word logs the wrong load or count with full confidence. So in a transcript, a word the
reader left unexplained right beside a number, a unit or a "by" (with no pause between them) is taken
as a number that was not heard, and the set is asked about. Talk after a pause ("130 for ten, queen at
the top") stays talk.
"""

from __future__ import annotations

from collections.abc import Iterable

from matcher.numbers import NUMBER_WORDS
from matcher.units import UNIT_WORDS

__all__ = ["MISHEARD", "beside_numbers"]

MISHEARD = "a word no one could read sits among the numbers"
_PAUSE = (",", ".", "!", "?", ";", ":")
_ANCHORS = NUMBER_WORDS | frozenset(UNIT_WORDS) | frozenset({"by", "x", "point"})


def _anchor(word: str) -> bool:
    return word in _ANCHORS or word[:1].isdigit()


def beside_numbers(normalized: str, unread: Iterable[str]) -> list[str]:
    """The words of `unread` that sit next to a number, a unit or "by" in `normalized`, no pause between."""
    wanted = {w for phrase in unread for w in phrase.split()}
    if not wanted:
        return []
    tokens = normalized.split()
    words = [t.strip("".join(_PAUSE)) for t in tokens]
    paused = [t.endswith(_PAUSE) for t in tokens]
    found: list[str] = []
    for i, word in enumerate(words):
        if word not in wanted or _anchor(word):
            continue
        left = i > 0 and not paused[i - 1] and _anchor(words[i - 1])
        right = i + 1 < len(words) and not paused[i] and _anchor(words[i + 1])
        if (left or right) and word not in found:
            found.append(word)
    return found
