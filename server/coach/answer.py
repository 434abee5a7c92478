"""The answer without an LLM: the best retrieved cues, quoted and cited, honestly labelled as retrieval;
and the warning any answer carries when its advice loads an area an active constraint protects."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from server.coach.chunks import Chunk
from server.coach.text import tokens

__all__ = ["constraint_warnings", "extractive_answer"]

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_OPENERS = {
    "friendly": "Here's what the coaching notes say.",
    "tough-love": "Straight answer, no fluff.",
    "clinical": "Relevant guidance, from the coaching notes:",
    "cheerleader": "Great question — you've got this!",
}
_AREAS = ("shoulder", "knee", "back", "elbow", "wrist", "hip", "ankle", "neck")


def _areas_of(constraint: dict[str, Any]) -> set[str]:
    words = " ".join([constraint["label"], *constraint["affectedAreas"]]).lower()
    return {a for a in _AREAS if a in words}


def constraint_warnings(constraints: Sequence[dict[str, Any]], chunks: Sequence[Chunk]) -> list[str]:
    """One warning per active constraint whose body area the retrieved advice loads."""
    loaded = {a for c in chunks for a in c.areas}
    warnings = []
    for c in constraints:
        hit = sorted(_areas_of(c) & loaded)
        if c["status"] != "active" or not hit:
            continue
        mods = f" Your modifications: {', '.join(c['modifications'])}." if c["modifications"] else ""
        warnings.append(
            f"Caution: you have an active {c['type']} ({c['label']}) and this advice loads the "
            f"{' and '.join(hit)}.{mods} Work pain-free and get it cleared before loading it heavily."
        )
    return warnings


def _best_sentences(question: str, text: str, keep: int = 2) -> str:
    """The `keep` sentences sharing most words with the question, in their original order."""
    asked = set(tokens(question))
    sentences = _SENTENCE.split(text.strip())
    ranked = sorted(range(len(sentences)), key=lambda i: (-len(asked & set(tokens(sentences[i]))), i))
    return " ".join(sentences[i] for i in sorted(ranked[:keep]))


def extractive_answer(question: str, chunks: Sequence[Chunk], tone: str, warnings: Sequence[str]) -> str:
    if not chunks:
        return (
            "No language model is configured, and nothing in the coaching notes or your history matches "
            "that question. Try naming the exercise or the problem."
        )
    lines = [
        _OPENERS.get(tone, _OPENERS["friendly"]) + " (Retrieved from the coaching notes; no language model.)"
    ]
    lines += list(warnings)
    for n, chunk in enumerate(chunks, start=1):
        lines.append(f"[{n}] {chunk.title}: {_best_sentences(question, chunk.text)}")
    return "\n".join(lines)
