"""How many readings the server asks whisper for: settings, then the environment, then the default."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from server.stt.factory import DEFAULT_NBEST, nbest_from


def test_settings_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICELOG_STT_NBEST", "5")
    assert nbest_from(SimpleNamespace(stt_nbest=2)) == 2
    assert nbest_from(SimpleNamespace()) == 5


def test_default_and_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOICELOG_STT_NBEST", raising=False)
    assert nbest_from(SimpleNamespace()) == DEFAULT_NBEST
    monkeypatch.setenv("VOICELOG_STT_NBEST", "0")
    assert nbest_from(SimpleNamespace()) == 1  # never fewer than one reading
    monkeypatch.setenv("VOICELOG_STT_NBEST", "-3")
    assert nbest_from(SimpleNamespace()) == 1


def test_a_bad_value_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICELOG_STT_NBEST", "three")
    with pytest.raises(ValueError, match="VOICELOG_STT_NBEST"):
        nbest_from(SimpleNamespace())
