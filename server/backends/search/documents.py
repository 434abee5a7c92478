"""The documents of the `exercises`, `exercise_cues` and `knowledge_base` indexes, built from the catalog,
the alias data and the coach's written cues."""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources
from typing import Any

from server.backends.search.base import Document

__all__ = [
    "CUES_INDEX",
    "EXERCISES_INDEX",
    "KNOWLEDGE_INDEX",
    "cue_documents",
    "exercise_documents",
    "knowledge_documents",
    "load_sources",
]

EXERCISES_INDEX = "exercises"
CUES_INDEX = "exercise_cues"
KNOWLEDGE_INDEX = "knowledge_base"


def load_sources() -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The packaged catalog (raw, with instructions and muscles) and the alias lists by id."""
    files = resources.files("fixtures")
    catalog = json.loads(files.joinpath("exercises.json").read_text(encoding="utf-8"))
    aliases = json.loads(files.joinpath("aliases.json").read_text(encoding="utf-8")).get("aliases", {})
    return catalog, aliases


def exercise_documents(catalog: list[dict[str, Any]], aliases: dict[str, list[str]]) -> list[Document]:
    by_id: dict[str, list[str]] = defaultdict(list)
    for ex_id, names in aliases.items():
        by_id[ex_id].extend(names)
    docs = []
    for ex in catalog:
        muscles = [*ex.get("primaryMuscles", []), *ex.get("secondaryMuscles", [])]
        docs.append(
            Document(
                id=ex["id"],
                content={
                    "name": ex["name"],
                    "aliases": ", ".join(by_id.get(ex["id"], [])),
                    "muscles": ", ".join(muscles),
                    "equipment": ex.get("equipment") or "",
                },
                metadata={"category": ex.get("category") or ""},
            )
        )
    return docs


def cue_documents(catalog: list[dict[str, Any]]) -> list[Document]:
    """Coaching cues (the catalog's instructions), searched when a lifter asks how to do a lift."""
    return [
        Document(id=ex["id"], content={"name": ex["name"], "cues": " ".join(ex.get("instructions", []))})
        for ex in catalog
        if ex.get("instructions")
    ]


def knowledge_documents() -> list[Document]:
    """The coach's written cues (fixtures/coach_knowledge.json), searched when a lifter asks the coach."""
    raw = json.loads(resources.files("fixtures").joinpath("coach_knowledge.json").read_text(encoding="utf-8"))
    return [
        Document(
            id=e["id"], content={"title": e["title"], "text": e["text"], "tags": ", ".join(e.get("tags", []))}
        )
        for e in raw
    ]
