"""Markdown → WorkoutDoc: the inverse of `render_markdown`, strict about set lines so edits that do not
read as a set are reported instead of silently dropped."""

from __future__ import annotations

import re

from server.workout_md.document import ExerciseBlock, SetLine, WorkoutDoc

__all__ = ["MarkdownError", "parse_markdown", "parse_set"]

_NUMBER = r"\d+(?:\.\d+)?(?:e[+-]?\d+)?"
# Hand edits may write "x" for "×" and "lbs"/"kgs"; the renderer always writes "×", "lb" and "kg".
_SET = re.compile(
    rf"^- (?:bodyweight|(?P<weight>{_NUMBER})(?: (?P<unit>lb|kg)s?)?)"
    r"(?: [×x] (?P<reps>\d+))?"
    r"(?: for (?P<duration>\d+) s)?"
    rf"(?: @ RPE (?P<rpe>{_NUMBER}))?"
    r"(?P<pr> \(PR\))?$"
)
# The id comment is optional in an edit: a heading without one is resolved by name.
_HEADING = re.compile(r"^## (?P<name>.+?)(?: <!-- (?P<id>\S+) -->)?$")
_META = re.compile(r"^- (?P<key>started|ended|id): (?P<value>.+)$")


class MarkdownError(ValueError):
    """A line the workout markdown cannot hold; `line` is 1-based."""

    def __init__(self, line: int, text: str, why: str) -> None:
        super().__init__(f"line {line}: {why}: {text!r}")
        self.line = line


def parse_set(text: str, *, line: int = 0) -> SetLine:
    m = _SET.match(text)
    if m is None:
        raise MarkdownError(line, text, "not a set line like '- 225 lb × 5 @ RPE 8'")
    g = m.groupdict()
    return SetLine(
        weight=float(g["weight"]) if g["weight"] is not None else None,
        unit=g["unit"],
        reps=int(g["reps"]) if g["reps"] is not None else None,
        duration_s=int(g["duration"]) if g["duration"] is not None else None,
        rpe=float(g["rpe"]) if g["rpe"] is not None else None,
        pr=g["pr"] is not None,
    )


def parse_markdown(text: str) -> WorkoutDoc:
    title: str | None = None
    meta: dict[str, str] = {}
    blocks: list[ExerciseBlock] = []
    notes: list[str] = []
    section = "head"  # head | block | prs | notes
    current: tuple[str, str, list[SetLine]] | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            blocks.append(ExerciseBlock(exercise_id=current[1], name=current[0], sets=tuple(current[2])))
            current = None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line:
            continue
        if title is None:
            if not line.startswith("# "):
                raise MarkdownError(number, line, "the first line must be the '# title'")
            title = line[2:]
            continue
        if line.startswith("## "):
            close()
            if line in ("## PRs", "## Notes"):
                section = "prs" if line == "## PRs" else "notes"
                continue
            heading = _HEADING.match(line)
            if heading is None:
                raise MarkdownError(number, line, "an exercise heading is '## Name <!-- id -->'")
            current = (heading["name"], heading["id"] or "", [])
            section = "block"
            continue
        if section == "head":
            m = _META.match(line)
            if m is None:
                raise MarkdownError(number, line, "expected '- started:', '- ended:' or '- id:'")
            meta[m["key"]] = m["value"]
        elif section == "block" and current is not None:
            current[2].append(parse_set(line, line=number))
        elif section == "notes":
            if not line.startswith("- "):
                raise MarkdownError(number, line, "a note is a '- ' bullet")
            notes.append(line[2:])
        # "## PRs" repeats what the (PR) marks on set lines say; it is derived, so not read back.
    close()
    if title is None:
        raise MarkdownError(1, "", "empty document")
    if "id" not in meta or "started" not in meta:
        raise MarkdownError(1, title, "the head needs '- started:' and '- id:'")
    return WorkoutDoc(
        id=meta["id"],
        title=title,
        started_at=meta["started"],
        ended_at=meta.get("ended"),
        blocks=tuple(blocks),
        notes=tuple(notes),
    )
