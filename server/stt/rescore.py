"""Pick, among the decoder's n-best readings, the one the set grammar reads best.

tiny.en often ranks a garbled reading ("cable rumors fly that") just above the right one; the
grammar knows which of them is a set. Each hypothesis gets `total = score + weight · reading`,
where `score` is whisper's mean token log-probability and `reading` the parser's confidence in a
logged set (0 for chatter, an unknown intent or a set with no exercise), and the highest total wins;
ties keep whisper's order. Every hypothesis keeps its numbers, so the choice can be explained later.
"""

from __future__ import annotations

from typing import Any

import msgspec

from models.parsed import ParsedSet
from server.stt.base import Transcription

__all__ = ["DEFAULT_WEIGHT", "grammar_reading", "pick_reading"]

# log-probabilities of tiny.en's beams differ by ~0.01-0.3; one unit of parser confidence is worth
# more than that, so a reading the grammar understands beats a slightly likelier garble
DEFAULT_WEIGHT = 1.0


def grammar_reading(parser: Any, text: str, *, unit: str, previous: ParsedSet | None = None) -> float:
    """How well `text` reads as something the lifter meant to log (0..1)."""
    if not text.strip():
        return 0.0
    parsed = parser.parse(text, unit=unit, previous=previous, spoken=True).parsed
    if parsed.intent == "undo":
        return float(parsed.confidence)
    if parsed.intent not in ("log_set", "correction") or parsed.exercise is None:
        return 0.0
    return float(parsed.confidence)


def pick_reading(
    parser: Any,
    result: Transcription,
    *,
    unit: str,
    previous: ParsedSet | None = None,
    weight: float = DEFAULT_WEIGHT,
) -> Transcription:
    """`result` with `text` set to the best-read hypothesis (unchanged when there is nothing to choose)."""
    if len(result.hypotheses) < 2 or not result.text:
        return result
    scored = []
    for h in result.hypotheses:
        reading = grammar_reading(parser, h.text, unit=unit, previous=previous)
        scored.append(
            msgspec.structs.replace(h, reading=round(reading, 4), total=round(h.score + weight * reading, 4))
        )
    best = max(range(len(scored)), key=lambda i: (scored[i].total or 0.0, -i))
    return msgspec.structs.replace(result, text=scored[best].text, hypotheses=scored, chosen=best)
