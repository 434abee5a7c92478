"""`voicelog serve` without a websocket library refuses to start instead of answering 405 to every socket."""

from __future__ import annotations

import sys

import pytest

from server import cli


def _hide(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    # a None entry in sys.modules makes `import name` raise ImportError, as if it were not installed
    for name in names:
        monkeypatch.setitem(sys.modules, name, None)


def test_serve_refuses_to_start_and_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _hide(monkeypatch, *cli.WEBSOCKET_LIBRARIES)
    started: list[object] = []
    monkeypatch.setitem(sys.modules, "uvicorn", type(sys)("uvicorn"))
    sys.modules["uvicorn"].run = lambda *a, **k: started.append(a)  # type: ignore[attr-defined]
    assert cli.main(["serve", "--port", "1"]) == 2
    assert started == []
    err = capsys.readouterr().err
    assert "pip install websockets" in err and "/v1/stream" in err


def test_either_library_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli.websocket_library() in cli.WEBSOCKET_LIBRARIES
    _hide(monkeypatch, "websockets")
    try:
        import wsproto  # noqa: F401
    except ImportError:
        assert cli.websocket_library() is None
    else:
        assert cli.websocket_library() == "wsproto"
