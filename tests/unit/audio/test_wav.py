from __future__ import annotations

import io
import random
import struct
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
    [b"RIFF\x00\x00\x00\x00WAVEjunk", b"not audio at all" * 10, b"ID3\x03\x00" + b"\x00" * 200],
)
def test_unreadable_bytes_are_refused(data: bytes) -> None:
    with pytest.raises(AudioFormatError) as err:
        read_wav(data)
    assert err.value.code == "unreadable_audio"


def test_an_empty_body_says_so() -> None:
    with pytest.raises(AudioFormatError, match="empty") as err:
        read_wav(b"")
    assert err.value.code == "bad_audio"


def _set_u32(data: bytes, offset: int, value: int) -> bytes:
    out = bytearray(data)
    out[offset : offset + 4] = struct.pack("<I", value)
    return bytes(out)


@pytest.mark.parametrize("size", [0xFFFFFFF0, 0x7FFFFFFF, 0x10000, 17, 2, 0])
def test_impossible_fmt_sizes_are_unreadable_audio(size: int) -> None:
    data = _set_u32(_wav(np.zeros(1600, dtype=np.float32), 16000), 16, size)
    with pytest.raises(AudioFormatError) as err:
        read_wav(data)
    assert err.value.code == "unreadable_audio"


def test_a_streamed_wav_with_an_unset_data_size_reads_what_is_there() -> None:
    data = _wav(np.full(1600, 0.25, dtype=np.float32), 16000)
    at = data.index(b"data") + 4
    audio = read_wav(_set_u32(_set_u32(data, at, 0xFFFFFFFF), 4, 0xFFFFFFFF))
    assert len(audio) == 1600 and float(audio.mean()) == pytest.approx(0.25, abs=1e-3)


def test_an_extensible_pcm_header_is_read() -> None:
    import uuid

    pcm = uuid.UUID("00000001-0000-0010-8000-00aa00389b71").bytes_le
    fmt = struct.pack("<HHIIHHHHI", 0xFFFE, 1, 16000, 32000, 2, 16, 22, 16, 4) + pcm
    frames = np.zeros(800, dtype="<i2").tobytes()
    body = (
        b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", len(frames))
        + frames
    )
    assert len(read_wav(b"RIFF" + struct.pack("<I", len(body)) + body)) == 800


def test_random_header_mutations_raise_only_audio_format_errors() -> None:
    """The outside tester's 20,000 mutations found 11.6% escaping as a 500; 4,000 here, seeded."""
    rng = random.Random(19)
    base = _wav(np.zeros(1600, dtype=np.float32), 16000)
    for _ in range(4000):
        data = bytearray(base)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(0, 48)
            if rng.random() < 0.5:
                data[at : at + 4] = struct.pack(
                    "<I", rng.choice([0, 1, 2, 0xFFFFFFFF, 0xFFFFFFF0, rng.getrandbits(32)])
                )
            else:
                data[at] = rng.getrandbits(8)
        if rng.random() < 0.2:
            data = data[: rng.randrange(0, len(data))]
        try:
            audio = read_wav(bytes(data))
        except AudioFormatError as exc:
            assert exc.code in ("unreadable_audio", "bad_audio", "audio_too_long"), exc.code
        else:
            assert audio.dtype == np.float32 and audio.size > 0


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
