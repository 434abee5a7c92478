"""Training questions said aloud, answered from the data with no LLM: "what's my bench PR", "what did I do
last time on squats", "what should I hit next". `server.coach.voice.VoiceAssistant` asks here before the
coach, for an utterance the pipeline would otherwise answer with a clarify question."""

from __future__ import annotations

import re
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db import WorkoutSet
from server.store.voice import recent_exercise_ids
from server.training.formulas import to_unit
from server.training.modifiers import next_set
from server.training.store import aware, current_records

__all__ = ["TrainingAnswers", "training_intent"]

Intent = Literal["pr", "last_time", "next"]
_ASKING = re.compile(r"^\s*(?:hey coach,?\s+|coach,?\s+)?(?:what|whats|what's|how|tell me|show me)\b", re.I)
_INTENTS: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    ("next", re.compile(r"\b(?:next|should i (?:hit|do|lift|go for|aim for))\b", re.I)),
    ("last_time", re.compile(r"\b(?:last time|last (?:session|workout)|did i (?:do|lift|hit))\b", re.I)),
    ("pr", re.compile(r"\b(?:prs?|p\.r\.?|personal (?:record|best)s?|one rep max|1rm|e1rm|max)\b", re.I)),
)
# words of the question itself; what is left names the exercise
_FILLER = re.compile(
    r"\b(?:hey|coach|what|whats|what's|how|tell|show|me|is|was|are|my|the|on|for|at|in|of|with|pr|prs|p\.r\.?|"
    r"personal|records?|bests?|one|rep|max|1rm|e1rm|estimated|current|did|i|do|lift|lifted|hit|last|time|"
    r"session|workout|should|next|set|go|aim|to|today|much|heavy|heavier|weight)\b|[?.,!']",
    re.I,
)


def training_intent(text: str) -> tuple[Intent, str] | None:
    """(intent, the words naming the exercise) for a training question, else None."""
    if not (_ASKING.match(text) or text.strip().endswith("?")):
        return None
    for intent, pattern in _INTENTS:
        if pattern.search(text):
            words = text.replace("'", "").replace("\u2019", "")  # what's → whats
            return intent, " ".join(_FILLER.sub(" ", words).split())
    return None


def _kg_or_lb(weight: float | None, unit: str | None, shown: str) -> str:
    if weight is None or weight <= 0:
        return "bodyweight"
    return f"{round(to_unit(weight, unit, shown), 1):g} {shown}"


class TrainingAnswers:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], matcher: Any, threshold: float
    ) -> None:
        self._sessions = sessionmaker
        self._matcher = matcher
        self._threshold = threshold

    async def answer(self, user_id: str, text: str, *, default_unit: str) -> str | None:
        found = training_intent(text)
        if found is None:
            return None
        intent, phrase = found
        async with self._sessions() as session:
            recent = await recent_exercise_ids(session, user_id)
            exercise_id = None
            if phrase:
                match = self._matcher.match(phrase, recent)
                if match.exercise is None or match.score < self._threshold:
                    return None  # words that name no exercise ("next week"): a question for the coach
                exercise_id = str(match.exercise.id)
            if exercise_id is None:
                if not recent:
                    return "You have no sets logged yet."
                exercise_id = recent[0]  # "what should I hit next": the exercise in hand
            known = self._matcher.catalog.get(exercise_id)
            name = known.name if known is not None else exercise_id
            if intent == "pr":
                return await self._pr(session, user_id, exercise_id, name, default_unit)
            if intent == "last_time":
                return await self._last_time(session, user_id, exercise_id, name, default_unit)
            equipment = known.equipment if known is not None else None
            target = await next_set(session, user_id, default_unit, exercise_id, equipment)
            if target.reps is None:
                return f"No {name} logged yet, so no target: start light and log it."
            change = f" (modifier {target.modifier_percent:+g}%)" if target.modifier_percent else ""
            load = _kg_or_lb(target.weight, target.unit, target.unit)
            return f"Next set of {name}: {load} × {target.reps}{change}."

    async def _pr(self, session: AsyncSession, user_id: str, exercise_id: str, name: str, unit: str) -> str:
        records = {
            r.pr_type: r
            for r in await current_records(session, user_id, exercise_id)
            if r.pr_type != "reps_at_weight"
        }
        heaviest, e1rm = records.get("1rm"), records.get("e1rm")
        if heaviest is None and e1rm is None:
            held = records.get("duration")
            if held is not None:
                return f"Your {name} record: {held.value:g} s."
            return f"No {name} record yet."
        parts = []
        if heaviest is not None:
            parts.append(f"heaviest {_kg_or_lb(heaviest.weight, heaviest.unit, unit)} × {heaviest.reps}")
        if e1rm is not None:
            parts.append(
                f"best estimated 1RM {_kg_or_lb(e1rm.value, e1rm.unit, unit)} "
                f"({_kg_or_lb(e1rm.weight, e1rm.unit, unit)} × {e1rm.reps}, {aware(e1rm.achieved_at).date()})"
            )
        return f"Your {name} PR: " + "; ".join(parts) + "."

    async def _last_time(
        self, session: AsyncSession, user_id: str, exercise_id: str, name: str, unit: str
    ) -> str:
        last = await session.scalar(
            select(WorkoutSet.workout_id)
            .where(WorkoutSet.user_id == user_id, WorkoutSet.exercise_id == exercise_id)
            .order_by(WorkoutSet.created_at.desc())
            .limit(1)
        )
        if last is None:
            return f"No {name} logged yet."
        sets = list(
            (
                await session.execute(
                    select(WorkoutSet)
                    .where(WorkoutSet.workout_id == last, WorkoutSet.exercise_id == exercise_id)
                    .order_by(WorkoutSet.created_at, WorkoutSet.set_number)
                )
            ).scalars()
        )
        shown = ", ".join(
            f"{_kg_or_lb(s.weight, s.unit, unit)} × {s.reps}" if s.reps else f"{s.duration_s or 0} s"
            for s in sets
        )
        day = aware(sets[0].created_at).date()
        return f"Last time on {name} ({day}): {len(sets)} set{'s' if len(sets) != 1 else ''}: {shown}."
