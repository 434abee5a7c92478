"""Uploaded WAV files → float32 mono 16 kHz, or a clear `AudioFormatError`."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np

from server.audio.pcm import SAMPLE_RATE, AudioFormatError
from server.audio.resample import resample

__all__ = ["read_wav", "write_wav"]


def read_wav(data: bytes, *, max_seconds: float = 30.0) -> np.ndarray:
    """Any common rate, mono or stereo, 16-bit PCM. Stereo is averaged to mono."""
    if not data:
        raise AudioFormatError("bad_audio", "the audio body is empty")
    try:
        with wave.open(io.BytesIO(data), "rb") as w:
            channels, width, rate, n = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
            if width != 2:
                raise AudioFormatError("bad_audio", f"only 16-bit PCM WAV is supported, got {8 * width}-bit")
            if channels not in (1, 2):
                raise AudioFormatError("bad_audio", f"only mono or stereo WAV is supported, got {channels}")
            if not 8000 <= rate <= 96000:
                raise AudioFormatError("bad_audio", f"sample rate {rate} Hz is out of range")
            if n / rate > max_seconds:
                raise AudioFormatError(
                    "audio_too_long", f"audio is {n / rate:.1f} s; at most {max_seconds:g} s"
                )
            raw = w.readframes(n)
    except (wave.Error, EOFError) as exc:
        raise AudioFormatError("bad_audio", f"not a readable WAV file: {exc}") from exc
    usable = len(raw) - len(raw) % (2 * channels)
    samples = np.frombuffer(raw[:usable], dtype="<i2").astype(np.float32) / 32768.0
    if channels == 2:
        samples = samples.reshape(-1, 2).mean(axis=1)
    if samples.size == 0:
        raise AudioFormatError("bad_audio", "the WAV file holds no samples")
    return resample(samples, rate, SAMPLE_RATE)


def write_wav(path: Path, audio: np.ndarray, rate: int = SAMPLE_RATE) -> None:
    """float32 mono → 16-bit PCM WAV (kept utterance audio)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
