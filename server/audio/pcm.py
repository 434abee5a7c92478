"""Raw PCM s16le frames from the websocket → float32 mono at 16 kHz, with the frame rules of the contract."""

from __future__ import annotations

import numpy as np

from server.audio.resample import Resampler

__all__ = [
    "MAX_FRAME_S",
    "SAMPLE_RATE",
    "SUPPORTED_RATES",
    "AudioFormatError",
    "FrameDecoder",
    "decode_s16le",
]

SAMPLE_RATE = 16000
SUPPORTED_RATES = (8000, 16000, 22050, 24000, 32000, 44100, 48000)
# The contract promises frames up to 1 s; a little slack absorbs clients that round up.
MAX_FRAME_S = 1.05


class AudioFormatError(ValueError):
    """Audio the server cannot read; `code` is the wire error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def decode_s16le(data: bytes) -> np.ndarray:
    """Little-endian signed 16-bit samples → float32 in [-1, 1)."""
    if len(data) % 2:
        raise AudioFormatError("bad_frame", f"PCM s16le needs an even number of bytes, got {len(data)}")
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


class FrameDecoder:
    """Checks and decodes one connection's binary frames, resampling them to 16 kHz as a stream.

    A bad frame raises `AudioFormatError` and leaves the decoder as it was, so the next good frame
    continues the stream.
    """

    def __init__(self, sample_rate: int) -> None:
        if sample_rate not in SUPPORTED_RATES:
            raise AudioFormatError(
                "unsupported_rate",
                f"sample_rate {sample_rate} is not supported; use one of {list(SUPPORTED_RATES)}",
            )
        self.sample_rate = sample_rate
        self.max_frame_bytes = int(sample_rate * MAX_FRAME_S) * 2
        self._resampler = Resampler(sample_rate, SAMPLE_RATE)

    def decode(self, data: bytes) -> np.ndarray:
        if not data:
            raise AudioFormatError("bad_frame", "empty audio frame")
        if len(data) > self.max_frame_bytes:
            raise AudioFormatError(
                "frame_too_large",
                f"audio frame of {len(data)} bytes is longer than 1 s at {self.sample_rate} Hz",
            )
        return self._resampler.process(decode_s16le(data))

    def flush(self) -> np.ndarray:
        return self._resampler.flush()
