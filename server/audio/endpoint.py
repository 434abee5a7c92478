"""Endpointing as an explicit state machine over VAD window probabilities: quiet → speaking → stopping.

Hysteresis both ways: speech starts only after `start_windows` windows at or above `start_threshold`,
and a pause begins only after `pause_windows` windows below `stop_threshold` (a lower bar), so a
single noisy window neither starts nor ends an utterance. A pause that lasts `silence_ms` ends the
utterance; so does reaching `max_utterance_s`. The session may end it sooner (push-to-talk,
semantic endpointing) with `force_end`.
"""

from __future__ import annotations

import enum

import msgspec

from server.audio.vad import WINDOW

__all__ = ["EndpointConfig", "EndpointEvent", "Endpointer", "State"]

_WINDOW_MS = WINDOW / 16


class State(enum.Enum):
    QUIET = "quiet"
    SPEAKING = "speaking"
    STOPPING = "stopping"


class EndpointEvent(enum.Enum):
    STARTED = "started"  # speech began
    PAUSED = "paused"  # speaking → stopping: the speech may be over
    RESUMED = "resumed"  # stopping → speaking: it was not
    ENDED = "ended"  # the pause lasted silence_ms
    TOO_LONG = "too_long"  # max_utterance_s reached while speaking


class EndpointConfig(msgspec.Struct, kw_only=True, frozen=True):
    start_threshold: float = 0.5
    stop_threshold: float = 0.35
    start_windows: int = 3
    pause_windows: int = 2
    silence_ms: float = 700.0
    max_utterance_s: float = 15.0
    # windows kept before the detected start: Silero confirms speech late, and whisper reads a first
    # word far better with its onset and a breath of lead-in (dev audio, offline: 8 windows 62.5%
    # full turn, 24 windows 75%, the whole clip 72.5%; benchmarks/stream_latency.py)
    preroll_windows: int = 24
    # an utterance with less speech than this is noise: it is dropped, never transcribed
    min_speech_ms: float = 200.0
    # a run this long of windows that are quiet or another voice behind the lifter (see
    # server.audio.foreground) begins a pause; longer than `pause_windows`, so the lifter's own soft
    # syllables do not break their sentence (dev family, 352 clips replayed: premature pauses of >= 250 ms
    # 6 -> 11, babble end of speech -> pause p50 1948 -> 96 ms)
    background_windows: int = 4
    # how far below the lifter's level a window is another voice behind them; None: never
    foreground_margin_db: float | None = 16.0


class Endpointer:
    """Feed it one probability per window; it answers the events that window caused.

    Positions are window indices since the stream began; `speech_start` and `speech_end`
    (exclusive) bound the current utterance's speech.
    """

    def __init__(self, config: EndpointConfig | None = None) -> None:
        self.config = config or EndpointConfig()
        self.state = State.QUIET
        self.window = 0  # index of the next window
        self.speech_start = 0
        self.speech_end = 0
        self.speech_windows = 0
        self._run = 0  # consecutive windows on the far side of the current state's threshold
        self._background = 0  # consecutive windows, while speaking, that were not the lifter's speech
        self._floor = 0  # the pre-roll never reaches back into an utterance already taken

    @property
    def silence_ms(self) -> float:
        return (self.window - self.speech_end) * _WINDOW_MS if self.state is State.STOPPING else 0.0

    @property
    def speech_ms(self) -> float:
        return self.speech_windows * _WINDOW_MS

    def feed(self, prob: float, foreground: bool = True) -> list[EndpointEvent]:
        """`foreground`: the window is the lifter's own voice, not sound behind them; a background
        window neither keeps an utterance going nor resumes a pause."""
        cfg = self.config
        i = self.window
        self.window += 1
        events: list[EndpointEvent] = []
        match self.state:
            case State.QUIET:
                self._run = self._run + 1 if prob >= cfg.start_threshold else 0
                if self._run >= cfg.start_windows:
                    self.state = State.SPEAKING
                    self.speech_start = max(self._floor, i + 1 - self._run - cfg.preroll_windows)
                    self.speech_end = i + 1
                    self.speech_windows = self._run
                    self._run = self._background = 0
                    events.append(EndpointEvent.STARTED)
            case State.SPEAKING:
                if prob >= cfg.stop_threshold and foreground:
                    self._run = self._background = 0
                    self.speech_end = i + 1
                    self.speech_windows += 1
                else:
                    self._background += 1
                    self._run = self._run + 1 if prob < cfg.stop_threshold else 0
                    if self._run >= cfg.pause_windows or self._background >= cfg.background_windows:
                        self.state = State.STOPPING
                        self._run = self._background = 0
                        events.append(EndpointEvent.PAUSED)
            case State.STOPPING:
                if prob >= cfg.start_threshold and foreground:
                    self.state = State.SPEAKING
                    self.speech_end = i + 1
                    self.speech_windows += 1
                    events.append(EndpointEvent.RESUMED)
                elif self.silence_ms >= cfg.silence_ms:
                    events.append(EndpointEvent.ENDED)
        if (
            self.state is not State.QUIET
            and EndpointEvent.ENDED not in events
            and (self.window - self.speech_start) * _WINDOW_MS >= cfg.max_utterance_s * 1000
        ):
            events.append(EndpointEvent.TOO_LONG)
        return events

    def reset(self) -> None:
        """Back to quiet after the session took the utterance (ended, forced or dropped)."""
        self.state = State.QUIET
        self._run = self._background = 0
        self.speech_windows = 0
        self.speech_start = self.speech_end = self._floor = self.window
