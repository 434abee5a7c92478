from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from server.audio.pcm import AudioFormatError
from server.audio.wav import read_wav


def _wav(samples: np.ndarray, rate: int, channels: int = 1, width: int = 2) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        if width == 2:
            w.writeframes((samples * 32767).astype("<i2").tobytes())
        else:
            w.writeframes(((samples + 1) * 127).astype(np.uint8).tobytes())
    return buf.getvalue()


@pytest.mark.parametrize("rate", [8000, 16000, 22050, 44100, 48000])
def test_any_common_rate_becomes_16k(rate: int) -> None:
    audio = read_wav(_wav(np.zeros(rate, dtype=np.float32), rate))
    assert audio.dtype == np.float32
    assert abs(len(audio) - 16000) <= 2


def test_stereo_is_averaged_to_mono() -> None:
    left = np.full(16000, 0.5, dtype=np.float32)
    right = np.zeros(16000, dtype=np.float32)
    interleaved = np.stack([left, right], axis=1).ravel()
    audio = read_wav(_wav(interleaved, 16000, channels=2))
    assert len(audio) == 16000
    assert float(np.mean(audio)) == pytest.approx(0.25, abs=1e-3)


@pytest.mark.parametrize(
    "data",
    [b"", b"RIFF\x00\x00\x00\x00WAVEjunk", b"not audio at all" * 10, b"ID3\x03\x00" + b"\x00" * 200],
)
def test_unreadable_bytes_are_refused(data: bytes) -> None:
    with pytest.raises(AudioFormatError) as err:
        read_wav(data)
    assert err.value.code == "bad_audio"


def test_eight_bit_is_refused_with_reason() -> None:
    with pytest.raises(AudioFormatError, match="16-bit"):
        read_wav(_wav(np.zeros(800, dtype=np.float32), 8000, width=1))


def test_too_long_is_refused() -> None:
    with pytest.raises(AudioFormatError) as err:
        read_wav(_wav(np.zeros(16000 * 3, dtype=np.float32), 16000), max_seconds=2)
    assert err.value.code == "audio_too_long"


def test_empty_wav_is_refused() -> None:
    with pytest.raises(AudioFormatError):
        read_wav(_wav(np.zeros(0, dtype=np.float32), 16000))
