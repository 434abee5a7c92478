"""WorkoutDoc → markdown. Every number is written so that the parser reads back exactly it."""

from __future__ import annotations

from server.workout_md.document import SetLine, WorkoutDoc

__all__ = ["format_number", "render_markdown", "render_set"]


def format_number(value: float) -> str:
    """Shortest exact form: 225 for 225.0, 22.5 for 22.5 (repr round-trips every float)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def render_set(line: SetLine) -> str:
    if line.weight is None:
        load = "bodyweight"
    else:
        load = format_number(line.weight) + (f" {line.unit}" if line.unit else "")
    parts = [f"- {load}"]
    if line.reps is not None:
        parts.append(f"× {line.reps}")
    if line.duration_s is not None:
        parts.append(f"for {line.duration_s} s")
    if line.rpe is not None:
        parts.append(f"@ RPE {format_number(line.rpe)}")
    if line.pr:
        parts.append("(PR)")
    return " ".join(parts)


def render_markdown(doc: WorkoutDoc) -> str:
    lines = [f"# {doc.title}", "", f"- started: {doc.started_at}"]
    if doc.ended_at:
        lines.append(f"- ended: {doc.ended_at}")
    lines.append(f"- id: {doc.id}")
    for block in doc.blocks:
        # The catalog id rides in an HTML comment: invisible when rendered, exact when parsed back.
        lines += ["", f"## {block.name} <!-- {block.exercise_id} -->", ""]
        lines += [render_set(s) for s in block.sets]
    prs = [(b.name, s) for b in doc.blocks for s in b.sets if s.pr]
    if prs:
        lines += ["", "## PRs", ""]
        lines += [f"- {name}: {render_set(s)[2:].removesuffix(' (PR)')}" for name, s in prs]
    if doc.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {note}" for note in doc.notes]
    return "\n".join(lines) + "\n"
