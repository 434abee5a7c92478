"""The priming prompt that biases whisper towards how lifters speak.

Unprimed, tiny.en writes "two twenty five for five" as "2545" and rarely spells exercise names
right. A prompt in the spoken style (numbers as words, units, RPE) plus exercise words fixes most of
that. The words come from the catalog (its most frequent name words: equipment and movements) and
from this lifter's recent exercises, which come first because they are the likeliest next.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["STYLE", "build_prompt", "catalog_vocabulary", "prompt_for"]

# Spoken-style examples: the shape of an utterance, not any particular test sentence.
STYLE = (
    "bench press two twenty five for five reps, three sets of ten at RPE eight, "
    "sixty kilos for twelve, two reps in reserve, plank for sixty seconds."
)

_STOP = {"a", "an", "and", "the", "on", "of", "to", "with", "in", "for", "up", "v", "vs", "or", "ii"}
_WORD = re.compile(r"[a-z]+")


def catalog_vocabulary(names: Iterable[str], *, top: int = 48) -> list[str]:
    """The `top` most frequent words of exercise names (ties by first appearance). 48 words (cut to
    the prompt's length cap) read 65% of the dev clips fully right against 55% with 24
    (benchmarks/stt_priming.py)."""
    counts: Counter[str] = Counter()
    for name in names:
        counts.update(w for w in _WORD.findall(name.lower()) if len(w) > 2 and w not in _STOP)
    return [w for w, _ in counts.most_common(top)]


def build_prompt(
    vocabulary: Sequence[str] = (),
    recent: Sequence[str] = (),
    *,
    style: str = STYLE,
    max_chars: int = 400,
) -> str:
    """The style examples, then this lifter's recent exercise names, then catalog words.

    Words are joined by spaces, not commas: whisper copies a prompt's punctuation, and a
    comma-separated word list made it write "barbell, squat," which no longer reads as one name.
    Capped in length because every prompt token is decoded before the audio's own.
    """
    words: list[str] = []
    seen: set[str] = set()
    for name in recent:
        for w in _WORD.findall(name.lower()):
            if w not in seen:
                seen.add(w)
                words.append(w)
    words += [w for w in vocabulary if w not in seen]
    prompt = f"{style} {' '.join(words)}." if words else style
    if len(prompt) > max_chars:
        prompt = prompt[:max_chars].rsplit(" ", 1)[0]
    return prompt


_VOCABULARY: dict[int, list[str]] = {}


def prompt_for(catalog: Any, recent_ids: Sequence[str] = ()) -> str:
    """The prompt for a lifter: `catalog` is a `matcher.catalog.Catalog` (its vocabulary is computed
    once per catalog), `recent_ids` their recent exercise ids, most recent first."""
    if catalog is None:
        return build_prompt()
    if id(catalog) not in _VOCABULARY:
        _VOCABULARY[id(catalog)] = catalog_vocabulary(e.name for e in catalog)
    names = [ex.name for i in recent_ids if (ex := catalog.get(i)) is not None]
    return build_prompt(_VOCABULARY[id(catalog)], names[:4])
