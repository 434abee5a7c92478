"""Uploaded WAV files → float32 mono 16 kHz, or a clear `AudioFormatError`."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np

from server.audio.pcm import SAMPLE_RATE, AudioFormatError
from server.audio.resample import resample

__all__ = ["read_wav", "write_wav"]


# The only formats read; everything else is refused by name rather than guessed at.
_PCM = 1
_EXTENSIBLE = 0xFFFE
_UNREADABLE = "unreadable_audio"


def read_wav(data: bytes, *, max_seconds: float = 30.0) -> np.ndarray:
    """Any common rate, mono or stereo, 16-bit PCM. Stereo is averaged to mono.

    Raises only `AudioFormatError`: `unreadable_audio` when the bytes are not a well-formed WAV (the
    chunk sizes are checked against the file, never trusted), `bad_audio` for a WAV of a format not
    served, `audio_too_long`. Python's `wave` module raised RuntimeError, struct.error and
    MemoryError on impossible chunk sizes, so the RIFF chunks are walked here.
    """
    if not data:
        raise AudioFormatError("bad_audio", "the audio body is empty")
    fmt, frames = _chunks(bytes(data))
    tag, channels, rate, bits = fmt
    if tag != _PCM:
        raise AudioFormatError("bad_audio", f"only PCM WAV is supported, got format tag {tag:#06x}")
    if bits != 16:
        raise AudioFormatError("bad_audio", f"only 16-bit PCM WAV is supported, got {bits}-bit")
    if channels not in (1, 2):
        raise AudioFormatError("bad_audio", f"only mono or stereo WAV is supported, got {channels}")
    if not 8000 <= rate <= 96000:
        raise AudioFormatError("bad_audio", f"sample rate {rate} Hz is out of range")
    n = len(frames) // (2 * channels)
    if n / rate > max_seconds:
        raise AudioFormatError("audio_too_long", f"audio is {n / rate:.1f} s; at most {max_seconds:g} s")
    if n == 0:
        raise AudioFormatError("bad_audio", "the WAV file holds no samples")
    samples = np.frombuffer(frames[: n * 2 * channels], dtype="<i2").astype(np.float32) / 32768.0
    if channels == 2:
        samples = samples.reshape(-1, 2).mean(axis=1)
    return resample(samples, rate, SAMPLE_RATE)


def _chunks(data: bytes) -> tuple[tuple[int, int, int, int], bytes]:
    """(format tag, channels, rate, bits per sample) of the `fmt ` chunk, and the `data` chunk's bytes."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioFormatError(_UNREADABLE, "not a WAV file: it does not start with a RIFF/WAVE header")
    fmt: tuple[int, int, int, int] | None = None
    pos = 12
    while pos + 8 <= len(data):
        chunk_id, size = data[pos : pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        body = pos + 8
        name = chunk_id.decode("ascii", "replace")
        if chunk_id == b"fmt ":
            if size < 16 or body + size > len(data):
                raise AudioFormatError(
                    _UNREADABLE,
                    f"the fmt chunk claims {size} bytes; it needs 16 and the file holds {len(data)}",
                )
            fmt = _format(data, body, size)
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioFormatError(_UNREADABLE, "the data chunk comes before any fmt chunk")
            # Streaming writers leave the data size unset (0xFFFFFFFF): the samples are what is there.
            return fmt, data[body : min(body + size, len(data))]
        elif body + size > len(data):
            raise AudioFormatError(
                _UNREADABLE, f"the {name!r} chunk claims {size} bytes, past the end of the file"
            )
        pos = body + size + (size & 1)  # chunks are padded to an even length
    missing = "fmt" if fmt is None else "data"
    raise AudioFormatError(_UNREADABLE, f"not a readable WAV file: no {missing} chunk")


def _format(data: bytes, at: int, size: int) -> tuple[int, int, int, int]:
    tag, channels, rate, _byte_rate, _align, bits = struct.unpack_from("<HHIIHH", data, at)
    if tag == _EXTENSIBLE and size >= 40:
        tag = struct.unpack_from("<H", data, at + 24)[0]  # the first two bytes of the sub-format GUID
    return tag, channels, rate, bits


def write_wav(path: Path, audio: np.ndarray, rate: int = SAMPLE_RATE) -> None:
    """float32 mono → 16-bit PCM WAV (kept utterance audio)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
