"""The README is the operator's manual: every setting the server reads must be documented there."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import msgspec

from server.settings import Settings

__all__: list[str] = []

ROOT = Path(__file__).resolve().parents[2]


def _table_rows() -> list[tuple[str, str, str]]:
    spec = importlib.util.spec_from_file_location("settings_table", ROOT / "scripts" / "settings_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.rows()


def test_every_setting_has_a_documented_variable() -> None:
    rows = _table_rows()
    assert len(rows) == len(msgspec.structs.fields(Settings))
    for var, text, _default in rows:
        assert var.isupper() and text, f"a Settings field lacks a 'VARIABLE: what it does' docstring: {var!r}"


def test_readme_lists_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [var for var, _text, _default in _table_rows() if f"`{var}`" not in readme]
    assert not missing, f"README.md does not document {missing}; regenerate with scripts/settings_table.py"


def test_readme_quickstart_commands_are_real() -> None:
    readme = (ROOT / "README.md").read_text()
    first_screen = "\n".join(readme.splitlines()[:40])
    assert "voicelog serve" in first_screen and "./scripts/test" in first_screen
    assert (ROOT / "scripts" / "test").stat().st_mode & 0o111
