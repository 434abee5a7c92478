from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from server.audio.pcm import FrameDecoder
from server.audio.vad import WINDOW, StreamingVad, silero_session
from tests.audio_gen import ClipMaker, noise_wav, pcm_of


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> ClipMaker:
    return ClipMaker(tmp_path_factory.mktemp("vad-clips"))


def _probs(path: Path, frame_s: float, min_windows: int = 1) -> np.ndarray:
    pcm, rate = pcm_of(path)
    dec, vad = FrameDecoder(rate), StreamingVad(min_windows=min_windows)
    step = int(rate * frame_s) * 2
    out: list[float] = []
    for i in range(0, len(pcm), step):
        out.extend(vad.process(dec.decode(pcm[i : i + step])))
    return np.array(out)


def test_streaming_matches_whole_file_model(clips: ClipMaker) -> None:
    path = clips.clip("three sets of eight on the leg press")
    pcm, _ = pcm_of(path)
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768
    audio = audio[: len(audio) // WINDOW * WINDOW]
    from faster_whisper.vad import get_vad_model

    whole = np.asarray(get_vad_model()(audio)).ravel()
    streamed = _probs(path, 0.02)
    # the whole-file call zeroes its last window's context, so the final window may differ
    n = min(len(whole), len(streamed)) - 1
    assert n > 50
    assert np.max(np.abs(whole[:n] - streamed[:n])) < 1e-4


@pytest.mark.parametrize("rate", [16000, 44100, 48000])
def test_speech_scores_high_and_lead_silence_low(clips: ClipMaker, rate: int) -> None:
    probs = _probs(clips.clip("one twenty five for ten", rate=rate, lead_s=0.6), 0.03, min_windows=2)
    lead = probs[: int(0.5 * 16000 / WINDOW)]
    assert lead.max() < 0.3
    assert (probs > 0.5).sum() * WINDOW / 16000 > 0.4  # at least 0.4 s of confident speech


def test_noise_is_not_speech(tmp_path: Path) -> None:
    probs = _probs(noise_wav(tmp_path / "noise.wav", seconds=5), 0.1)
    assert (probs > 0.5).mean() < 0.05


def test_session_is_shared() -> None:
    assert silero_session() is silero_session()
