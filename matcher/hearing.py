"""Where a transcript's numbers may have been misheard: a word nobody could read, among the numbers.

Typed, "bench two thirty high for four" is a typo; spoken, it is the ear's: speech-to-text turns a
number it half heard into some other word ("five" -> "high", "four sets" -> "force at"), and a reading
that skips that word logs the wrong load or count with full confidence. So in a transcript, a word the
reader left unexplained right beside a number, a unit or a "by" (with no pause between them) is taken
as a number that was not heard, and the set is asked about. Talk after a pause ("130 for ten, queen at
the top") stays talk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from matcher.numbers import NUMBER_WORDS
from matcher.units import UNIT_WORDS

__all__ = ["MISHEARD", "beside_numbers", "unheard_load"]

MISHEARD = "a word no one could read sits among the numbers"
_PAUSE = (",", ".", "!", "?", ";", ":")
_ANCHORS = NUMBER_WORDS | frozenset(UNIT_WORDS) | frozenset({"by", "x", "point"})


# "with the forties", "holding a thirty five", "using the 50s": the words after these say the load
_LOAD_MARKERS = frozenset({"with", "holding", "using"})
_DETERMINERS = frozenset({"the", "a", "an", "some", "my", "those", "these", "pair", "of"})


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


def unheard_load(phrase: str, explained: Callable[[str], bool]) -> list[str]:
    """The words of an exercise phrase that stand where its load was said and that no one could read.

    Dumbbell loads are said as "with the forties", and the ear turns such plurals into other words
    ("with the fog is", "with the forwarding"): the reader then kept them in the exercise's name and
    logged the set with no load. Words after a load marker that neither the exercise's name (`explained`)
    nor a number accounts for are that load, unheard: the set is asked about. "curls with the rope" is
    the name's own word and stays."""
    words = phrase.split()
    for i, word in enumerate(words):
        if word not in _LOAD_MARKERS:
            continue
        after = [w for w in words[i + 1 :] if w not in _DETERMINERS]
        if after and not any(_anchor(w) for w in after) and not any(explained(w) for w in after):
            return after
    return []
