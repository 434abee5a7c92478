"""What to do with an understood utterance, before anything is written: log it, correct the last set,
undo it, or ask (and what to ask). Pure: the same understanding and context always decide the same."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import msgspec

from matcher.parser import LOST_LOAD_NOTE, UNHEARD_LOAD_NOTE
from models.db import VoiceCommand
from models.parsed import ParsedSet, ParseResult

if TYPE_CHECKING:
    from server.understand import Understanding

__all__ = [
    "FIELD_OF",
    "Action",
    "Decision",
    "amends_last_set",
    "correction_changes",
    "decide",
    "out_of_bounds",
    "question",
]

# answered / profile_updated: an utterance that was no set, handed to the coach or the profile (issue 16).
Action = Literal[
    "logged", "clarify", "corrected", "undone", "ignored", "answered", "profile_updated", "exercise_created"
]

# Sanity bounds on what the grammar read; beyond them the server asks instead of logging.
_MAX_SETS = 50
_BOUNDS = {"reps": (1, 1000), "weight": (0, 2000), "rpe": (1, 10), "duration_s": (1, 86_400)}
FIELD_OF = {
    "exercise": "exercise_id",
    "reps": "reps",
    "weight": "weight",
    "unit": "unit",
    "rpe": "rpe",
    "duration_s": "duration_s",
}


class Decision(msgspec.Struct, kw_only=True):
    action: Action
    question: str | None = None
    changes: dict[str, Any] = msgspec.field(default_factory=dict)


def decide(
    understanding: Understanding, last: VoiceCommand | None, previous: ParsedSet | None, threshold: float
) -> Decision:
    parsed = understanding.result.parsed
    rescued = understanding.model_used != "grammar" and parsed.exercise is not None
    unsure = parsed.confidence < threshold and not rescued
    if understanding.impossible is not None and parsed.intent != "undo":
        return Decision(action="clarify", question=understanding.impossible)
    if parsed.intent == "undo":
        if last is None:
            return Decision(action="ignored", question="There is nothing to undo in this workout yet.")
        return Decision(action="undone")
    if parsed.intent == "correction":
        if last is None or previous is None:
            return Decision(action="clarify", question="There is no set to correct yet. What did you do?")
        changes = correction_changes(parsed, understanding.result.trace.fields, previous)
        if unsure or not changes or out_of_bounds(parsed):
            return Decision(action="clarify", question=question(parsed, correction=True))
        return Decision(action="corrected", changes=changes)
    if (
        parsed.intent == "log_set"
        and parsed.exercise is not None
        and not unsure
        and not out_of_bounds(parsed)
    ):
        return Decision(action="logged")
    notes = understanding.result.trace.notes
    lost_load = any(n.startswith((LOST_LOAD_NOTE, UNHEARD_LOAD_NOTE)) for n in notes)
    return Decision(action="clarify", question=question(parsed, lost_load=lost_load))


def amends_last_set(result: ParseResult) -> bool:
    """Words that finish the set just logged rather than log another: a set read from the previous one
    that states something ("felt like an eight", "at two twenty five", "in kilos") but names neither an
    exercise nor a set count ("again", "two more sets" are new sets)."""
    fields = set(result.trace.fields)
    return result.parsed.intent == "log_set" and bool(fields) and not fields & {"exercise", "sets"}


def correction_changes(parsed: ParsedSet, fields: list[str], previous: ParsedSet) -> dict[str, Any]:
    """The fields a spoken correction sets: those the utterance stated, else those that differ."""
    stated = [f for f in fields if f in FIELD_OF]
    if not stated:
        stated = [
            f for f in FIELD_OF if _value(parsed, f) is not None and _value(parsed, f) != _value(previous, f)
        ]
    changes = {FIELD_OF[f]: _value(parsed, f) for f in stated}
    if changes.get("exercise_id") is None:
        changes.pop("exercise_id", None)
    if "weight" in changes and parsed.unit is not None:
        changes.setdefault("unit", parsed.unit)
    return changes


def _value(parsed: ParsedSet, field: str) -> Any:
    if field == "exercise":
        return parsed.exercise.id if parsed.exercise is not None else None
    return getattr(parsed, field)


def out_of_bounds(parsed: ParsedSet) -> bool:
    if parsed.sets < 1 or parsed.sets > _MAX_SETS:
        return True
    for field, (low, high) in _BOUNDS.items():
        value = getattr(parsed, field)
        if value is not None and not low <= value <= high:
            return True
    return parsed.rpe is not None and (parsed.rpe * 2) % 1 != 0


def question(parsed: ParsedSet, *, correction: bool = False, lost_load: bool = False) -> str:
    if out_of_bounds(parsed):
        return "Those numbers look off. Could you say the set again?"
    if lost_load and parsed.exercise is not None:
        return f"I didn't catch the weight for {parsed.exercise.name}. What was it?"
    if parsed.intent == "unknown":
        return "Sorry, I didn't catch a set there. Could you say it again?"
    if parsed.exercise is None:
        return "Which exercise was that?"
    options = [parsed.exercise.name, *(a.name for a in parsed.alternatives[:2])]
    if len(options) > 1:
        return f"Did you mean {', '.join(options[:-1])} or {options[-1]}?"
    what = "correction" if correction else "set"
    return f"I'm not sure I got that {what} right: did you mean {parsed.exercise.name}?"
