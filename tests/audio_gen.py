"""Speech clips for tests, synthesized at setup with espeak-ng and shaped with sox (no downloads).

`ClipMaker(directory).clip(text, rate=...)` returns a WAV path (mono, 16-bit) and caches by every
parameter, so one test session synthesizes each clip once. A missing binary raises, never skips.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

__all__ = ["ClipMaker", "noise_wav", "pcm_of", "require_binaries", "shared_clips", "shared_voice_server"]


def require_binaries() -> None:
    missing = [b for b in ("espeak-ng", "sox") if shutil.which(b) is None]
    if missing:
        raise RuntimeError(f"missing binaries for test audio: {missing} (apt-get install espeak-ng sox)")


class ClipMaker:
    def __init__(self, directory: Path) -> None:
        require_binaries()
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def clip(
        self,
        text: str,
        *,
        rate: int = 16000,
        voice: str = "en-us",
        wpm: int = 165,
        lead_s: float = 0.5,
        trail_s: float = 0.8,
        channels: int = 1,
        noise_db: float | None = None,
    ) -> Path:
        key = hashlib.sha1(
            repr((text, rate, voice, wpm, lead_s, trail_s, channels, noise_db)).encode()
        ).hexdigest()
        out = self.directory / f"{key[:16]}.wav"
        if out.exists():
            return out
        raw = self.directory / f"{key[:16]}.raw.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(raw), text], check=True)
        shaped = self.directory / f"{key[:16]}.shaped.wav"
        subprocess.run(
            [
                "sox",
                str(raw),
                "-r",
                str(rate),
                "-c",
                str(channels),
                "-b",
                "16",
                str(shaped),
                "pad",
                str(lead_s),
                str(trail_s),
            ],
            check=True,
        )
        if noise_db is not None:
            # pink noise at a fixed level under the speech, as a stand-in for gym noise
            noisy = self.directory / f"{key[:16]}.noisy.wav"
            duration = _duration(shaped)
            noise = self.directory / f"{key[:16]}.noise.wav"
            subprocess.run(
                [
                    "sox",
                    "-n",
                    "-r",
                    str(rate),
                    "-c",
                    str(channels),
                    "-b",
                    "16",
                    str(noise),
                    "synth",
                    f"{duration:.3f}",
                    "pinknoise",
                    "vol",
                    f"{noise_db}dB",
                ],
                check=True,
            )
            subprocess.run(["sox", "-m", str(shaped), str(noise), str(noisy)], check=True)
            noisy.replace(out)
            noise.unlink()
            shaped.unlink()
        else:
            shaped.replace(out)
        raw.unlink()
        return out


def noise_wav(path: Path, *, seconds: float, rate: int = 16000, seed: int = 7) -> Path:
    """Breathing-and-clanking stand-in: pink-ish noise with random bursts, no speech."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    white = rng.standard_normal(n).astype(np.float32)
    pink = np.cumsum(white) * 0.002
    pink -= np.convolve(pink, np.ones(400) / 400, mode="same")
    bursts = np.zeros(n, dtype=np.float32)
    for start in rng.integers(0, n - rate // 5, size=int(seconds)):
        length = int(rng.integers(rate // 50, rate // 5))
        bursts[start : start + length] += rng.standard_normal(length).astype(np.float32) * 0.2
    audio = np.clip(pink * 0.5 + white * 0.01 + bursts, -1, 1)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((audio * 32767).astype("<i2").tobytes())
    return path


def pcm_of(path: Path) -> tuple[bytes, int]:
    """The raw s16le frames and sample rate of a mono WAV."""
    with wave.open(str(path), "rb") as w:
        return w.readframes(w.getnframes()), w.getframerate()


def _duration(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


# -- one live server for every voice test of the session ------------------------------------------------

_SHARED: dict[str, object] = {}


def shared_clips() -> ClipMaker:
    """One clip cache per test session (several test modules share it)."""
    if "clips" not in _SHARED:
        _SHARED["clips"] = ClipMaker(Path(tempfile.mkdtemp(prefix="voicelog-clips-")))
    return _SHARED["clips"]  # type: ignore[return-value]


def shared_voice_server():  # -> tests.integration.conftest.LiveServer
    """`voicelog serve` on SQLite with its speech model loaded once, shared by every voice test module
    (a session fixture defined in two modules would start two servers). Stopped at interpreter exit."""
    if "server" not in _SHARED:
        from tests.integration.conftest import LiveServer

        data_dir = Path(tempfile.mkdtemp(prefix="voicelog-voice-"))
        server = LiveServer("sqlite", f"sqlite+aiosqlite:///{data_dir / 'voicelog.db'}", data_dir)
        server.start()
        atexit.register(server.stop)
        _SHARED["server"] = server
    return _SHARED["server"]
