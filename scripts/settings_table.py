"""Print the README's settings table from `server/settings.py`: one row per field, from its docstring."""

from __future__ import annotations

import ast
from pathlib import Path

__all__ = ["rows"]

SETTINGS = Path(__file__).resolve().parents[1] / "server" / "settings.py"


def rows() -> list[tuple[str, str, str]]:
    """(environment variable, what it does, default) for every Settings field, in source order."""
    tree = ast.parse(SETTINGS.read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Settings")
    out: list[tuple[str, str, str]] = []
    body = cls.body
    for i, node in enumerate(body):
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        doc = ""
        if i + 1 < len(body) and isinstance(body[i + 1], ast.Expr):
            value = body[i + 1].value  # type: ignore[attr-defined]
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                doc = " ".join(value.value.split())
        var, _, text = doc.partition(":")
        default = ast.unparse(node.value) if node.value is not None else "see text"
        out.append((var.strip(), text.strip(), default))
    return out


if __name__ == "__main__":
    print("| variable | what it switches | default |")
    print("| --- | --- | --- |")
    for var, text, default in rows():
        print(f"| `{var}` | {text.replace('|', '/')} | `{default}` |")
