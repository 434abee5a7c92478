"""What the coach retrieves from: the written knowledge base and the catalog's exercise instructions
(built once), and the lifter's own profile and history (built per question)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from typing import Any, Literal

import msgspec

from server.workout_md.render import format_number

__all__ = ["Chunk", "ChunkSource", "exercise_cue_chunks", "knowledge_chunks", "lifter_chunks"]

ChunkSource = Literal["knowledge_base", "exercise_cues", "profile", "history"]

# Catalog muscles → the body areas a constraint names ("left shoulder", "lower back").
_MUSCLE_AREAS = {
    "shoulders": "shoulder",
    "lower back": "back",
    "middle back": "back",
    "quadriceps": "knee",
    "forearms": "wrist",
    "neck": "neck",
}


class Chunk(msgspec.Struct, kw_only=True, frozen=True):
    source: ChunkSource
    id: str
    title: str
    text: str
    tags: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    """Body areas the advice loads: checked against the lifter's active constraints."""

    @property
    def ref(self) -> str:
        return f"{self.source}:{self.id}"


def knowledge_chunks() -> list[Chunk]:
    raw = json.loads(resources.files("fixtures").joinpath("coach_knowledge.json").read_text("utf-8"))
    return [
        Chunk(
            source="knowledge_base",
            id=e["id"],
            title=e["title"],
            text=e["text"],
            tags=tuple(e.get("tags", ())),
            areas=tuple(a for a in e.get("areas", ()) if a),
        )
        for e in raw
    ]


def exercise_cue_chunks(catalog: Iterable[dict[str, Any]] | None = None) -> list[Chunk]:
    if catalog is None:
        catalog = json.loads(resources.files("fixtures").joinpath("exercises.json").read_text("utf-8"))
    chunks = []
    for e in catalog:
        if not e.get("instructions"):
            continue
        muscles = [*e.get("primaryMuscles", ()), *e.get("secondaryMuscles", ())]
        areas = sorted({_MUSCLE_AREAS[m] for m in muscles if m in _MUSCLE_AREAS})
        if "press" in e["name"].lower() and "shoulders" in e.get("primaryMuscles", ()):
            areas = sorted({*areas, "shoulder"})
        chunks.append(
            Chunk(
                source="exercise_cues",
                id=e["id"],
                title=e["name"],
                text=" ".join(e["instructions"]),
                tags=tuple(m for m in (e.get("equipment"), *e.get("primaryMuscles", ())) if m),
                areas=tuple(areas),
            )
        )
    return chunks


def lifter_chunks(facts: dict[str, Any], history: dict[str, str]) -> list[Chunk]:
    """The AI context's facts as chunks (goal, each active constraint, ...) and one chunk a lift logged."""
    g, t, a, m, p = (facts[k] for k in ("goals", "training", "availability", "metrics", "preferences"))
    out: list[Chunk] = []

    def add(id_: str, title: str, parts: list[str | None], tags: tuple[str, ...] = ()) -> None:
        text = ". ".join(x for x in parts if x)
        if text:
            out.append(Chunk(source="profile", id=id_, title=title, text=text, tags=tags))

    add(
        "goals",
        "Your goal",
        [g["primaryGoal"], g["objective"], g["eventDate"] and f"event on {g['eventDate']}", g["timeline"]],
        ("goal", "objective", "event"),
    )
    add(
        "training",
        "Your training",
        [
            t["currentActivity"],
            t["program"] and f"program {t['program']}",
            t["weeksDone"] and f"week {t['weeksDone']}",
        ],
        ("program", "training"),
    )
    add(
        "availability",
        "Your schedule",
        [
            f"{a['daysPerWeek']} days a week" if a["daysPerWeek"] is not None else None,
            f"{a['minutesPerSession']} minutes a session" if a["minutesPerSession"] is not None else None,
            ", ".join(a["preferredTimes"]) or None,
        ],
        ("schedule", "days", "time"),
    )
    bw = m["bodyweight"]
    add(
        "metrics",
        "Your measurements",
        [
            bw and f"bodyweight {format_number(bw['value'])} {bw['unit']}",
            m["heightCm"] and f"height {format_number(m['heightCm'])} cm",
            *(
                f"PR {x['exercise']} {format_number(x['weight'])} {x['unit']} × {x['reps']}"
                for x in m["prLifts"]
            ),
        ],
        ("bodyweight", "weigh", "pr", "best"),
    )
    add(
        "preferences",
        "Your preferences",
        [
            p["style"],
            p["enjoyedExercises"] and "enjoys " + ", ".join(p["enjoyedExercises"]),
            p["dislikedExercises"] and "dislikes " + ", ".join(p["dislikedExercises"]),
        ],
    )
    for c in facts["constraints"]:
        out.append(
            Chunk(
                source="profile",
                id=f"constraint:{c['id']}",
                title=f"Your {c['type']}: {c['label']}",
                text=". ".join(
                    x
                    for x in (
                        c["label"],
                        c["severity"],
                        ", ".join(c["affectedAreas"]),
                        c["modifications"] and "modifications: " + ", ".join(c["modifications"]),
                    )
                    if x
                ),
                tags=(c["type"], "constraint", *c["affectedAreas"]),
            )
        )
    for exercise_id, text in sorted(history.items()):
        name = text.split(":", 1)[0]
        out.append(
            Chunk(
                source="history",
                id=exercise_id,
                title=f"Your {name} history",
                text=text,
                tags=("my", "best", "pr"),
            )
        )
    return out
