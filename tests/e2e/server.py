"""The real server for browser tests: `voicelog serve` in a subprocess on a free port and a fresh data
directory, on the embedded defaults, with a user made by `voicelog user create`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.services.redis import free_port

__all__ = ["VoicelogServer", "espeak_wav"]

# Variables that would point the server at outside services; the browser tests run the embedded defaults.
_OUTSIDE = ("VOICELOG_", "UPSTASH_", "OPENAI_")


def _voicelog() -> list[str]:
    exe = shutil.which("voicelog")
    # the console script is the contract's entry; `-m server.cli` is the same code when it is not on PATH
    return [exe] if exe else [sys.executable, "-m", "server.cli"]


class VoicelogServer:
    def __init__(
        self, data_dir: Path, *, start_timeout_s: float = 180.0, command: list[str] | None = None
    ) -> None:
        """`command` runs voicelog from elsewhere (a clean install's console script); default: this one."""
        self.command = command or _voicelog()
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(_OUTSIDE)}
        self.env["VOICELOG_DATA_DIR"] = str(self.data_dir)
        if command is None:
            # this checkout, not whatever an editable install of another worktree points `voicelog` at;
            # a clean install's console script (`command`) must run only what it installed
            root = str(Path(__file__).resolve().parents[2])
            self.env["PYTHONPATH"] = os.pathsep.join(p for p in (root, self.env.get("PYTHONPATH", "")) if p)
        self.start_timeout_s = start_timeout_s
        self.log_path = self.data_dir / "server.log"
        self._proc: subprocess.Popen[bytes] | None = None

    def create_user(self, name: str, unit: str = "lb") -> str:
        """Runs `voicelog user create`; its last output line is the token."""
        out = subprocess.run(
            [*self.command, "user", "create", name, "--unit", unit],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if out.returncode != 0:
            raise RuntimeError(f"voicelog user create failed ({out.returncode}): {out.stderr.strip()}")
        return out.stdout.strip().splitlines()[-1].strip()

    def start(self) -> None:
        log = self.log_path.open("ab")
        self._proc = subprocess.Popen(
            [*self.command, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + self.start_timeout_s
        while True:
            if self._proc.poll() is not None:
                raise RuntimeError(f"voicelog serve exited ({self._proc.returncode}):\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"voicelog serve did not answer /health in {self.start_timeout_s} s")
            time.sleep(0.25)

    def stop(self) -> None:
        if self._proc is None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(15)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(5)
        self._proc = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def espeak_wav(text: str, out: Path, *, rate: int = 48000, lead_s: float = 1.0, trail_s: float = 1.5) -> Path:
    """A spoken clip as mono 16-bit WAV at `rate`, padded with silence (espeak-ng, then sox)."""
    for binary in ("espeak-ng", "sox"):
        if shutil.which(binary) is None:
            raise RuntimeError(
                f"{binary} is not installed: apt-get install espeak-ng sox (./scripts/test does)"
            )
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(raw), text], check=True, timeout=60)
    subprocess.run(
        ["sox", str(raw), "-r", str(rate), "-c", "1", "-b", "16", str(out), "pad", str(lead_s), str(trail_s)],
        check=True,
        timeout=60,
    )
    raw.unlink()
    return out
