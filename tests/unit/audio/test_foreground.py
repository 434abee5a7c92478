"""The foreground gate: another voice behind the lifter is told apart by level, only when sound is behind."""

from __future__ import annotations

import numpy as np

from server.audio.foreground import ForegroundGate, window_levels


def _gate(floor_db: float, lifter_db: float, **kw: float) -> ForegroundGate:
    gate = ForegroundGate(**kw)  # type: ignore[arg-type]
    for _ in range(50):
        gate.observe(floor_db)
    for _ in range(10):
        gate.observe(lifter_db)
        gate.speech(lifter_db)
    return gate


def test_levels_are_the_windows_power_in_db() -> None:
    windows = np.stack([np.full(512, 0.1, dtype=np.float32), np.zeros(512, dtype=np.float32)])
    loud, silent = window_levels(windows)
    assert abs(loud - -20.0) < 1e-4
    assert silent < -90


def test_in_a_quiet_room_every_window_is_the_lifters() -> None:
    gate = _gate(floor_db=-80, lifter_db=-20)
    assert gate.foreground(-60, resuming=False)
    assert gate.foreground(-60, resuming=True)


def test_with_sound_behind_the_lifter_a_much_quieter_window_is_that_sound() -> None:
    gate = _gate(floor_db=-42, lifter_db=-20)  # the room's floor 22 dB below the lifter
    assert not gate.foreground(-38, resuming=False)  # 18 dB below: another voice
    assert gate.foreground(-34, resuming=False)  # 14 dB below: the lifter's softer syllable
    assert not gate.foreground(-34, resuming=True)  # but resuming a pause takes more than that
    assert gate.foreground(-28, resuming=True)


def test_the_gate_waits_for_the_lifters_level_and_forgets_it_with_each_utterance() -> None:
    gate = ForegroundGate()
    for _ in range(50):
        gate.observe(-40)
    gate.speech(-20)
    gate.speech(-20)
    assert gate.foreground(-60, resuming=False)  # two windows are not yet a level
    gate.speech(-20)
    assert not gate.foreground(-60, resuming=False)
    gate.new_utterance()
    assert gate.foreground(-60, resuming=False)
    assert ForegroundGate(margin_db=None).foreground(-90, resuming=False)


def test_a_clank_does_not_become_the_lifters_level() -> None:
    gate = _gate(floor_db=-42, lifter_db=-20)
    gate.speech(0.0)  # one plate's ring, far above the voice
    assert gate.lifter_level() is not None and gate.lifter_level() < -15  # type: ignore[operator]
    assert gate.foreground(-30, resuming=False)
