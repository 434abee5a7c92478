"""The AI context: the profile as facts (JSON) and as prose, one bullet per section, that every LLM call
can carry. Pure and deterministic: the same profile, PRs and day give byte-identical prose."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from server.imports.biometrics import BodyMass
from server.profile.prs import LoggedPr
from server.workout_md.render import format_number

__all__ = ["ProfileContext", "build_context"]


class ProfileContext(msgspec.Struct, kw_only=True):
    facts: dict[str, Any]
    prose: str


def _join(parts: list[str | None], empty: str = "not set") -> str:
    kept = [p for p in parts if p]
    return "; ".join(kept) if kept else empty


def _list(label: str, items: list[str]) -> str | None:
    return f"{label}: {', '.join(items)}" if items else None


def _load(weight: float, unit: str | None, reps: int | None) -> str:
    text = format_number(weight) + (f" {unit}" if unit else "")
    return f"{text} × {reps}" if reps else text


def _goal(g: dict[str, Any]) -> str:
    return _join(
        [
            g["primaryGoal"],
            g["objective"],
            f"event {g['eventDate']}" if g["eventDate"] else None,
            f"timeline {g['timeline']}" if g["timeline"] else None,
        ]
    )


def _training(t: dict[str, Any]) -> str:
    return _join(
        [
            t["currentActivity"],
            f"program {t['program']}" if t["program"] else None,
            f"{t['weeksDone']} weeks done" if t["weeksDone"] is not None else None,
        ]
    )


def _availability(a: dict[str, Any]) -> str:
    return _join(
        [
            f"{a['daysPerWeek']} days/week" if a["daysPerWeek"] is not None else None,
            f"{a['minutesPerSession']} min/session" if a["minutesPerSession"] is not None else None,
            _list("preferred times", a["preferredTimes"]),
        ]
    )


def _equipment(e: dict[str, Any]) -> str:
    return _join([e["access"], _list("items", e["items"]), _list("limits", e["constraints"])])


def _constraint(c: dict[str, Any]) -> str:
    details = _join(
        [
            c["type"],
            c["severity"],
            _list("areas", c["affectedAreas"]),
            _list("modifications", c["modifications"]),
            f"since {c['startDate']}" if c["startDate"] else None,
            f"until {c['endDate']}" if c["endDate"] else None,
        ],
        empty="",
    )
    return f"{c['label']} ({details})" if details else c["label"]


def _preferences(p: dict[str, Any]) -> str:
    return _join(
        [
            f"coaching tone {p['coachingTone']}",
            f"style {p['style']}" if p["style"] else None,
            _list("enjoys", p["enjoyedExercises"]),
            _list("dislikes", p["dislikedExercises"]),
        ]
    )


def _metrics(m: dict[str, Any], logged: list[LoggedPr], measured: BodyMass | None = None) -> str:
    bw = m["bodyweight"]
    # the profile's own bodyweight first; else the last one measured (an imported history), so dated
    weighed = None
    if measured is not None and not bw:
        day = measured.measured_at.date().isoformat()
        weighed = f"bodyweight {format_number(round(measured.kg, 1))} kg (measured {day}, {measured.source})"
    prs = [
        f"{p['exercise']} {_load(p['weight'], p['unit'], p['reps'])}"
        + (f" ({p['date']})" if p["date"] else "")
        for p in m["prLifts"]
    ]
    prs += [f"{p.exercise} {_load(p.weight, p.unit, p.reps)} ({p.date}, logged)" for p in logged]
    return _join(
        [
            f"bodyweight {format_number(bw['value'])} {bw['unit']}" if bw else weighed,
            f"height {format_number(m['heightCm'])} cm" if m["heightCm"] is not None else None,
            f"body fat {format_number(m['bodyFatPercent'])}%" if m["bodyFatPercent"] is not None else None,
            _list("PRs", prs),
        ]
    )


def build_context(
    profile: dict[str, Any], logged: list[LoggedPr], as_of: date, *, measured: BodyMass | None = None
) -> ProfileContext:
    """`profile` is a canonical profile (server.profile.ledger.canonical); `logged` the lifter's best sets;
    `measured` the last body mass of the biometrics history by then."""
    active = [c for c in profile["constraints"] if c["status"] == "active"]
    facts = {
        "asOf": as_of.isoformat(),
        "goals": profile["goals"],
        "training": profile["training"],
        "availability": profile["availability"],
        "equipment": profile["equipment"],
        "constraints": active,
        "preferences": profile["preferences"],
        "metrics": profile["metrics"],
        "loggedPrs": msgspec.to_builtins(logged),
    }
    if measured is not None:
        facts["measuredBodyweight"] = {
            "kg": round(measured.kg, 2),
            "measuredAt": measured.measured_at.isoformat().replace("+00:00", "Z"),
            "source": measured.source,
        }
    lines = [
        f"USER PROFILE (as of {as_of.isoformat()})",
        f"- GOAL: {_goal(profile['goals'])}",
        f"- TRAINING: {_training(profile['training'])}",
        f"- AVAILABILITY: {_availability(profile['availability'])}",
        f"- EQUIPMENT: {_equipment(profile['equipment'])}",
        f"- CONSTRAINTS: {'; '.join(_constraint(c) for c in active) if active else 'none active'}",
        f"- PREFERENCES: {_preferences(profile['preferences'])}",
        f"- METRICS: {_metrics(profile['metrics'], logged, measured)}",
    ]
    return ProfileContext(facts=facts, prose="\n".join(lines))
