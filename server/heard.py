"""What the ear's doubt does to a spoken set (`server.stt.reading`): asked about, then settled by the lifter.

A reading speech-to-text was unsure of is not logged; the question quotes what was heard. The lifter
settles it either way a person would: by saying "yes" (the quoted reading is logged as heard), or by
saying the set again: a second hearing that reads the same set is logged (two hearings that agree are
evidence a single unsure one is not). Anything else is a new utterance like any other.
"""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession

from models.db import VoiceCommand
from models.parsed import ParsedSet
from server.store import voice

__all__ = ["affirms", "doubted_command", "heard_question", "same_set"]

# "yes", "yeah that's right", "correct, log it": a short answer that agrees and says nothing else
_YES = re.compile(
    r"^(?:yes|yeah|yep|yup|correct|right|exactly|that'?s (?:right|correct|it)|sure)"
    r"(?:[\s,.!]+(?:yes|yeah|that'?s (?:right|correct|it)|correct|right|please|log it|save it))*[\s.!]*$"
)
_FIELDS = ("sets", "reps", "weight", "unit", "rpe", "duration_s")


def affirms(text: str) -> bool:
    return bool(_YES.match(text.strip().lower()))


_ASKED = "I heard "


def heard_question(text: str) -> str:
    return f'{_ASKED}"{text.strip()}", but not clearly. Say "yes" to log it, or say the set again.'


async def doubted_command(session: AsyncSession, workout_id: str) -> VoiceCommand | None:
    """The workout's newest utterance, when it was asked about because of the ear's doubt (and only that:
    a "yes" to "did you mean A or B?" names neither)."""
    asked = await voice.last_command(session, workout_id)
    if asked is None or asked.action != "clarify" or not (asked.trace or {}).get("stt_doubt"):
        return None
    return asked if (asked.clarify_question or "").startswith(_ASKED) else None


def same_set(a: ParsedSet | None, b: ParsedSet) -> bool:
    if a is None or a.exercise is None or b.exercise is None or a.exercise.id != b.exercise.id:
        return False
    return all(getattr(a, f) == getattr(b, f) for f in _FIELDS)
