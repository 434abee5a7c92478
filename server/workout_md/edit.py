"""PUT of an edited workout markdown: each changed value of each set becomes a correction (source
`markdown`), exactly as `PATCH /v1/sets/{id}` would record it, so the JSON and the markdown stay in step.

Sets are matched to lines in order; the edit may change values, exercises (a heading, by id or by name)
and the title, not how many sets there are: adding or removing a set is a voice or API action."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from models.api import SetPatch
from server.errors import BadInput, DomainError
from server.store.sets import apply_changes
from server.store.voice import user_default_unit
from server.store.workouts import load_sets, require_workout
from server.workout_md.parse import MarkdownError, parse_markdown

__all__ = ["SetCountChanged", "apply_markdown"]

_FIELDS = ("exercise_id", "weight", "unit", "reps", "duration_s", "rpe")


class SetCountChanged(DomainError):
    status = 409
    code = "set_count_changed"


async def apply_markdown(
    session: AsyncSession, user_id: str, workout_id: str, text: str, *, resolve: Any
) -> list[str]:
    """Applies the edit in the caller's transaction; returns "set N: field" for every value changed.

    `resolve(name) -> exercise id | None` places a heading written without its id comment."""
    workout = await require_workout(session, user_id, workout_id)
    try:
        doc = parse_markdown(text)
    except MarkdownError as exc:
        raise BadInput(str(exc), code="invalid_markdown") from exc
    if doc.id != workout.id:
        raise BadInput(f"this markdown is of workout {doc.id}, not {workout.id}", code="invalid_markdown")
    lines = []
    for block in doc.blocks:
        exercise_id = block.exercise_id or resolve(block.name)
        if not exercise_id:
            raise BadInput(f"no exercise in the catalog is called {block.name!r}", code="unknown_exercise")
        lines += [(exercise_id, s) for s in block.sets]
    rows = await load_sets(session, workout.id)
    if len(lines) != len(rows):
        raise SetCountChanged(
            f"the markdown has {len(lines)} sets and the workout {len(rows)}: edit values here; "
            "add or remove sets by voice, POST …/utterances or DELETE /v1/sets/{id}"
        )
    planned = []
    for number, (row, (exercise_id, line)) in enumerate(zip(rows, lines, strict=True), start=1):
        wanted = {
            "exercise_id": exercise_id,
            "weight": line.weight,
            "unit": line.unit if line.weight is not None else None,
            "reps": line.reps,
            "duration_s": line.duration_s,
            "rpe": line.rpe,
        }
        changes = {f: wanted[f] for f in _FIELDS if getattr(row, f) != wanted[f]}
        if not changes:
            continue
        try:
            msgspec.convert(changes, SetPatch)  # the same bounds a PATCH of the set is held to
        except msgspec.ValidationError as exc:
            raise BadInput(f"set {number}: {exc}", code="invalid_input") from exc
        planned.append((number, row, changes))
    unit = await user_default_unit(session, user_id)
    changed: list[str] = []
    for number, row, changes in planned:  # only after every set passed: a bad line changes nothing
        fields = await apply_changes(
            session, user_id=user_id, rows=[row], changes=changes, source="markdown", default_unit=unit
        )
        changed += [f"set {number}: {f}" for f in fields]
    title = None if doc.title == "Workout" and workout.name is None else doc.title
    if title != workout.name:
        workout.name = title
        changed.append("title")
    return changed
