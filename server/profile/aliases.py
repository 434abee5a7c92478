"""Names a client may reasonably send for a profile field, folded into the profile's own names before
validation: `primaryGoal` at the top level (it lives in `goals`), `height` (cm, or `{value, unit}`),
`bodyFat`, `minutes`/`sessionMinutes`, a constraint's `start`/`end`. Anything else unknown is still
refused. Folding runs on every state (PUT bodies, patched documents, replay), so it is deterministic."""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["fold_aliases"]

_CM_PER_UNIT = {"cm": 1.0, "m": 100.0, "in": 2.54, "ft": 30.48}


def _rename(section: Any, old: str, new: str) -> None:
    # An unset (null) field of the profile's own name takes the alias: a PATCH that adds one works too.
    if isinstance(section, dict) and old in section and section.get(new) is None:
        section[new] = section.pop(old)


def _height_cm(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"value", "unit"} and value["unit"] in _CM_PER_UNIT:
        number = value["value"]
        if isinstance(number, (int, float)) and not isinstance(number, bool):
            return round(number * _CM_PER_UNIT[value["unit"]], 1)
    return value  # anything else is validated (and refused) as it is


def fold_aliases(document: Any) -> Any:
    if not isinstance(document, dict):
        return document
    doc = copy.deepcopy(document)
    if "primaryGoal" in doc:
        goals = doc.setdefault("goals", {})
        if isinstance(goals, dict) and goals.get("primaryGoal") is None:
            goals["primaryGoal"] = doc.pop("primaryGoal")
    metrics = doc.get("metrics")
    if isinstance(metrics, dict):
        if "height" in metrics and metrics.get("heightCm") is None:
            metrics["heightCm"] = _height_cm(metrics.pop("height"))
        _rename(metrics, "bodyFat", "bodyFatPercent")
    availability = doc.get("availability")
    for old in ("minutes", "sessionMinutes", "minutesPerDay"):
        _rename(availability, old, "minutesPerSession")
    for constraint in doc.get("constraints") or ():
        _rename(constraint, "start", "startDate")
        _rename(constraint, "end", "endDate")
    return doc
