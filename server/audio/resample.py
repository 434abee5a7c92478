"""Sample-rate conversion with soxr (a band-limited resampler, never sample dropping)."""

from __future__ import annotations

import numpy as np
import soxr

__all__ = ["Resampler", "resample"]


class Resampler:
    """Streaming conversion of float32 mono chunks; state carries across chunks so edges stay clean."""

    def __init__(self, in_rate: int, out_rate: int) -> None:
        self.in_rate = in_rate
        self.out_rate = out_rate
        self._stream = (
            None if in_rate == out_rate else soxr.ResampleStream(in_rate, out_rate, 1, dtype="float32")
        )

    def process(self, chunk: np.ndarray) -> np.ndarray:
        if self._stream is None:
            return chunk
        return self._stream.resample_chunk(chunk)

    def flush(self) -> np.ndarray:
        if self._stream is None:
            return np.zeros(0, dtype=np.float32)
        return self._stream.resample_chunk(np.zeros(0, dtype=np.float32), last=True)


def resample(audio: np.ndarray, in_rate: int, out_rate: int) -> np.ndarray:
    """Whole-buffer conversion (uploads)."""
    if in_rate == out_rate:
        return audio.astype(np.float32, copy=False)
    return soxr.resample(audio, in_rate, out_rate).astype(np.float32, copy=False)
