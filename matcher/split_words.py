"""Speech-to-text splits one unfamiliar word in two: "pel off" for "pallof", "cross over" for
"crossover", "zot man" for "zottman". A pair of adjacent words is joined back when the joined word is
a catalog word, or sounds like one (a shared metaphone/NYSIIS key) and is spelt close to it, and at
least one half is not a catalog word on its own: two known words ("cable row", "bent over") are a
phrase, never a split.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rapidfuzz.distance import Levenshtein

__all__ = ["MIN_SPELLING", "rejoin_split_words"]

MIN_SPELLING = 0.5  # normalized Levenshtein similarity the joined word needs to its sound-alike


def rejoin_split_words(
    tokens: tuple[str, ...],
    known: Callable[[str], bool],
    sound_alikes: Callable[[str], Mapping[str, float]],
) -> tuple[str, ...]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens):
            joined = _join(tokens[i], tokens[i + 1], known, sound_alikes)
            if joined is not None:
                out.append(joined)
                i += 2
                continue
        out.append(tokens[i])
        i += 1
    return tuple(out)


def _join(
    left: str,
    right: str,
    known: Callable[[str], bool],
    sound_alikes: Callable[[str], Mapping[str, float]],
) -> str | None:
    if not (left.isalpha() and right.isalpha()) or (known(left) and known(right)):
        return None
    joined = left + right
    if known(joined):
        return joined
    scored = [
        (Levenshtein.normalized_similarity(joined, word), word)
        for word in sound_alikes(joined)
        if known(word)
    ]
    scored = [(sim, word) for sim, word in scored if sim >= MIN_SPELLING]
    if not scored:
        return None
    best_sim = max(sim for sim, _ in scored)
    best = sorted(word for sim, word in scored if sim == best_sim)
    # two words equally close ("chi up": chop or ship?) is no evidence for either: leave it as said
    return best[0] if len(best) == 1 else None
