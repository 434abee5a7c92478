from __future__ import annotations

import numpy as np
import pytest

from server.audio.pcm import AudioFormatError, FrameDecoder, decode_s16le
from server.audio.resample import Resampler, resample


def _tone(freq: float, rate: int, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _peak_hz(audio: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    return float(np.fft.rfftfreq(len(audio), 1 / rate)[int(np.argmax(spectrum))])


def test_decode_s16le_scales_and_keeps_sign() -> None:
    data = np.array([0, 16384, -32768, 32767], dtype="<i2").tobytes()
    assert decode_s16le(data).tolist() == pytest.approx([0.0, 0.5, -1.0, 32767 / 32768])


def test_odd_byte_count_is_refused() -> None:
    with pytest.raises(AudioFormatError) as err:
        decode_s16le(b"\x00\x01\x02")
    assert err.value.code == "bad_frame"


@pytest.mark.parametrize("rate", [44100, 48000])
def test_streaming_resample_keeps_pitch_and_length(rate: int) -> None:
    tone = _tone(440.0, rate, 2.0)
    resampler = Resampler(rate, 16000)
    # uneven chunk sizes, as a client's frames would be
    sizes = [int(rate * s) for s in (0.01, 0.02, 0.5, 0.013, 1.0)]
    chunks, pos = [], 0
    for size in sizes * 3:
        if pos >= len(tone):
            break
        chunks.append(resampler.process(tone[pos : pos + size]))
        pos += size
    chunks.append(resampler.flush())
    out = np.concatenate(chunks)
    assert abs(len(out) - 32000) <= 2
    assert _peak_hz(out, 16000) == pytest.approx(440.0, abs=2.0)
    # the stream matches a whole-buffer conversion away from the edges
    whole = resample(tone, rate, 16000)
    assert np.max(np.abs(out[1000:-1000] - whole[1000 : 1000 + len(out) - 2000])) < 1e-3


def test_resampling_filters_instead_of_dropping_samples() -> None:
    # 7 kHz at 48 kHz is below 16 kHz's Nyquist and must survive; 10 kHz must be filtered,
    # where naive decimation would alias it to 6 kHz.
    kept = resample(_tone(7000.0, 48000), 48000, 16000)
    removed = resample(_tone(10000.0, 48000), 48000, 16000)
    assert np.sqrt(np.mean(kept**2)) > 0.3
    assert np.sqrt(np.mean(removed**2)) < 0.01


def test_frame_decoder_limits_frame_size_and_stays_usable() -> None:
    dec = FrameDecoder(48000)
    one_second = np.zeros(48000, dtype="<i2").tobytes()
    assert len(dec.decode(one_second)) > 15000
    with pytest.raises(AudioFormatError) as err:
        dec.decode(one_second * 2)
    assert err.value.code == "frame_too_large"
    with pytest.raises(AudioFormatError):
        dec.decode(b"")
    assert len(dec.decode(np.zeros(24000, dtype="<i2").tobytes())) > 7000


def test_unsupported_rate_is_refused() -> None:
    with pytest.raises(AudioFormatError) as err:
        FrameDecoder(12345)
    assert err.value.code == "unsupported_rate"
