"""The CLI sits on top: server/cli.py imports the command modules, nothing imports server.cli back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from server.cli import COMMANDS, main

__all__: list[str] = []

SERVER = Path(__file__).resolve().parents[3] / "server"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_no_module_imports_the_cli_back() -> None:
    offenders = [
        str(p.relative_to(SERVER))
        for p in SERVER.rglob("*.py")
        if p.name != "cli.py" and {"server.cli", "server.cli.command"} & _imports(p)
    ]
    assert offenders == []


def test_the_services_never_import_the_commands() -> None:
    for name in ("services.py", "app.py", "pipeline.py"):
        assert not any(i.startswith("server.commands") for i in _imports(SERVER / name)), name


def test_every_command_is_registered() -> None:
    expected = {"serve", "user", "export", "db", "search", "llm", "stt-worker", "analytics", "import"}
    assert expected <= set(COMMANDS)


def test_serve_in_workers_mode_needs_redis(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VOICELOG_STT_MODE", "workers")
    monkeypatch.delenv("VOICELOG_REDIS_URL", raising=False)
    monkeypatch.setenv("VOICELOG_DATA_DIR", "/tmp/voicelog-unused")
    assert main(["serve", "--port", "1"]) == 2
    assert "VOICELOG_REDIS_URL" in capsys.readouterr().err
