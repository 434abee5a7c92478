"""Whose voice is this window? The lifter at the phone, or sound behind them (another lifter talking).

Silero calls any voice speech, so another person talking across the room kept the endpointer in
`speaking` after the lifter had stopped, and the turn waited for that voice to pause (measured on the
dev family's babble clips: end of speech -> a pause of 320 ms, p50 1.9 s). The phone is at the
lifter's mouth: their voice arrives well above a voice across the room. So, once background sound is
present (the quiet floor of the last seconds is within `gate_floor_db` of the lifter's voice), a
window more than `margin_db` below the lifter's level is background: it does not keep the utterance
going, and a pause is not resumed by anything but a window within `resume_margin_db` of that level.
In quiet rooms the gate never acts, so clean speech is endpointed exactly as before.

The lifter's level is a high percentile of this utterance's foreground speech windows (robust to a
plate's clank); the floor is a low percentile of every window of the last few seconds.
"""

from __future__ import annotations

from collections import deque

import numpy as np

__all__ = ["ForegroundGate", "window_levels"]


def window_levels(windows: np.ndarray) -> list[float]:
    """Mean power of each row, in dB (full scale 0 dB for float audio in [-1, 1])."""
    power = np.mean(np.square(windows, dtype=np.float64), axis=1)
    return [float(x) for x in 10.0 * np.log10(power + 1e-10)]


class ForegroundGate:
    def __init__(
        self,
        *,
        margin_db: float | None = 16.0,
        resume_margin_db: float = 10.0,
        gate_floor_db: float = 40.0,
        floor_windows: int = 94,  # 3 s of 32 ms windows
        floor_percentile: float = 10.0,
        level_percentile: float = 80.0,
        min_speech_windows: int = 3,
    ) -> None:
        self.margin_db = margin_db
        self.resume_margin_db = resume_margin_db
        self.gate_floor_db = gate_floor_db
        self.floor_percentile = floor_percentile
        self.level_percentile = level_percentile
        self.min_speech_windows = min_speech_windows
        self._recent: deque[float] = deque(maxlen=floor_windows)
        self._speech: list[float] = []
        self._level: float | None = None  # lifter_level() of `_speech` as it stands, None: not yet read

    def observe(self, level_db: float) -> None:
        """Every window, speech or not: the floor follows the room."""
        self._recent.append(level_db)

    def speech(self, level_db: float) -> None:
        """A window the endpointer took as the lifter's speech."""
        self._speech.append(level_db)
        self._level = None

    def new_utterance(self) -> None:
        self._speech.clear()
        self._level = None

    def lifter_level(self) -> float | None:
        if len(self._speech) < self.min_speech_windows:
            return None
        if self._level is None:  # read again only when a speech window was added
            self._level = float(np.percentile(self._speech, self.level_percentile))
        return self._level

    def foreground(self, level_db: float, *, resuming: bool) -> bool:
        """Is a window at `level_db` the lifter's (True whenever the gate cannot tell)?"""
        if self.margin_db is None:
            return True
        lifter = self.lifter_level()
        if lifter is None or not self._recent:
            return True
        floor = float(np.percentile(self._recent, self.floor_percentile))
        if lifter - floor >= self.gate_floor_db:
            return True  # a quiet room: nothing behind the lifter to mistake for them
        margin = self.resume_margin_db if resuming else self.margin_db
        return level_db >= lifter - margin
