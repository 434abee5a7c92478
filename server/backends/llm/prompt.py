"""What the model is told: the house conventions, then the case as JSON."""

from __future__ import annotations

from typing import Any

import msgspec

from server.backends.llm.base import ExtractionRequest

__all__ = ["SYSTEM_PROMPT", "build_messages"]

SYSTEM_PROMPT = """\
You read one utterance a lifter said between sets (a speech-to-text transcript, so expect misheard \
words) and return the set it logs as JSON in the given schema.
Rules:
- exercise: choose the id of one of the listed candidates, or null when none fits; never invent an id.
- weight is as spoken, never converted; unit is the spoken unit, else the default unit when a weight \
is given, else null. Dumbbell weights are per hand. "N plates" on a barbell is 45 + 90*N lb.
- rpe 1-10 in steps of 0.5; "N reps in reserve" is rpe 10-N; comments like "felt heavy" set no rpe.
- sets is 1 unless a count is spoken. duration_s is seconds for holds and carries.
- When the lifter corrects themselves mid-sentence, the corrected value wins.
- A turn that names no exercise continues the previous set (given as context): carry exercise, \
weight, unit and reps unless restated; relative changes ("add ten pounds") apply to the carried weight.
- intent: log_set, correction ("make that six reps"), undo ("scratch that"), or unknown.
- alternatives: other plausible candidates, best first, at most 3. confidence 0-1: how sure you are.
"""


def _set(parsed: Any) -> Any:
    return None if parsed is None else msgspec.to_builtins(parsed)


def build_messages(request: ExtractionRequest) -> list[dict[str, str]]:
    case = {
        "utterance": request.text,
        "default_unit": request.unit,
        "grammar_reading": _set(request.grammar),
        "candidates": [{"id": c.id, "name": c.name, "score": round(c.score, 3)} for c in request.candidates],
        "previous_set": _set(request.previous),
        "recent_exercise_ids": list(request.recent),
    }
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    if request.context:
        # Who is speaking (units, injuries, what they train) helps read a garbled turn; the rules come first.
        messages.append({"role": "system", "content": request.context})
    messages.append({"role": "user", "content": msgspec.json.encode(case).decode()})
    return messages
