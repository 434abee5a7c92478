"""The audio half of a connection: frames in, endpoint events out, over a bounded 16 kHz buffer.

Synchronous and model-free apart from the small VAD, so it is tested without a server. The session
decides what each event means (speculate, finalize, drop).
"""

from __future__ import annotations

import numpy as np

from server.audio.endpoint import EndpointConfig, Endpointer, EndpointEvent, State
from server.audio.foreground import ForegroundGate
from server.audio.pcm import SAMPLE_RATE, FrameDecoder
from server.audio.vad import WINDOW, StreamingVad

__all__ = ["Listener"]


class Listener:
    def __init__(self, sample_rate: int, config: EndpointConfig | None = None) -> None:
        self.decoder = FrameDecoder(sample_rate)  # raises AudioFormatError for a rate it cannot take
        self.vad = StreamingVad()
        self.endpointer = Endpointer(config)
        self.gate = ForegroundGate(margin_db=self.endpointer.config.foreground_margin_db)
        cfg = self.endpointer.config
        # While quiet only the pre-roll (plus the windows that confirm a start) needs keeping.
        self._quiet_keep = (cfg.preroll_windows + cfg.start_windows + 4) * WINDOW
        self._max_keep = int((cfg.max_utterance_s + 2) * SAMPLE_RATE)
        # Chunks rather than one growing array: appending a 20 ms frame must not copy 15 s of audio.
        self._chunks: list[np.ndarray] = []
        self._buffered = 0
        self._buf_start = 0  # absolute 16 kHz sample index of the first buffered sample
        self.speech_end_at = 0.0  # clock time the last speech window arrived
        self.received_s = 0.0  # audio seconds received on this connection

    @property
    def state(self) -> State:
        return self.endpointer.state

    @property
    def now_sample(self) -> int:
        return self._buf_start + self._buffered

    def feed(self, frame: bytes, now: float) -> list[EndpointEvent]:
        """Decode one binary frame (AudioFormatError leaves all state untouched) and run the VAD."""
        audio = self.decoder.decode(frame)
        self.received_s += len(frame) / 2 / self.decoder.sample_rate
        if len(audio):
            self._chunks.append(audio)
            self._buffered += len(audio)
        events: list[EndpointEvent] = []
        ep = self.endpointer
        gate = self.gate
        for prob, level in self.vad.process_levels(audio):
            gate.observe(level)
            before = ep.speech_end
            # while quiet the endpointer does not ask whose voice it is: no work for the gate then
            foreground = ep.state is State.QUIET or gate.foreground(
                level, resuming=ep.state is State.STOPPING
            )
            events.extend(ep.feed(prob, foreground))
            if ep.speech_end != before:
                gate.speech(level)
                self.speech_end_at = now
        self._trim()
        return events

    def utterance_audio(self, end_window: int | None = None) -> np.ndarray:
        """The current utterance's audio from its (pre-rolled) start to `end_window`, else to now."""
        start = self.endpointer.speech_start * WINDOW
        end = self.now_sample if end_window is None else min(self.now_sample, end_window * WINDOW)
        lo = max(0, start - self._buf_start)
        hi = max(lo, end - self._buf_start)
        if not self._chunks:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(self._chunks)[lo:hi]

    def take(self) -> None:
        """The session has taken the current utterance: back to quiet."""
        self.endpointer.reset()
        self.gate.new_utterance()
        self._trim()

    def _trim(self) -> None:
        keep = self._quiet_keep if self.endpointer.state is State.QUIET else self._max_keep
        while self._chunks and self._buffered - len(self._chunks[0]) >= keep:
            dropped = self._chunks.pop(0)
            self._buffered -= len(dropped)
            self._buf_start += len(dropped)
