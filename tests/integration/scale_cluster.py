"""Several `voicelog serve` instances on one PostgreSQL database and one Redis (and optionally speech
workers and HAProxy in front): the pieces the scale-out tests and benchmarks/scale.py start."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from tests.integration.conftest import LiveServer, voicelog_cmd
from tests.services.redis import free_port

__all__ = ["HAProxy", "SttWorkerProcess", "start_instances"]


def start_instances(
    count: int, database_url: str, redis_url: str, root: Path, env: dict[str, str] | None = None
) -> list[LiveServer]:
    """`count` instances on the same database and Redis, started one after another (each upgrade waits
    on the migration lock anyway); stopped by the caller."""
    servers = []
    try:
        for i in range(count):
            data_dir = root / f"instance-{i}"
            data_dir.mkdir(parents=True, exist_ok=True)
            server = LiveServer("postgres", database_url, data_dir)
            server.env |= {
                "VOICELOG_REDIS_URL": redis_url,
                "VOICELOG_INSTANCE_ID": f"i{i}",
                "VOICELOG_ANALYTICS_INTERVAL_S": "0",
                **(env or {}),
            }
            server.start()
            servers.append(server)
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


class SttWorkerProcess:
    """`voicelog stt-worker` in a subprocess; `ready()` once it printed that it reads the stream."""

    def __init__(self, name: str, database_url: str, redis_url: str, root: Path, env: dict[str, str]) -> None:
        self.name = name
        data_dir = root / f"worker-{name}"
        data_dir.mkdir(parents=True, exist_ok=True)
        base = LiveServer("postgres", database_url, data_dir)  # for its environment only
        self.env = base.env | {"VOICELOG_REDIS_URL": redis_url, **env}
        self.log_path = data_dir / "worker.log"
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 90.0) -> None:
        log = self.log_path.open("ab")
        self._proc = subprocess.Popen(
            [*voicelog_cmd(), "stt-worker", "--name", self.name],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=tempfile.gettempdir(),
        )
        deadline = time.monotonic() + timeout_s
        while "ready" not in self.log_tail():
            if self._proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"stt-worker {self.name} did not start:\n{self.log_tail()}")
            time.sleep(0.1)

    def kill(self) -> None:
        if self._proc is not None:
            self._proc.send_signal(signal.SIGKILL)
            self._proc.wait(10)
            self._proc = None

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(20)
            except subprocess.TimeoutExpired:
                self._proc.kill()
            self._proc = None

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""


class HAProxy:
    """Debian's haproxy in front of the instances: round robin, websocket upgrade, `/health` checks every
    300 ms (two failures take an instance out, two passes bring it back)."""

    def __init__(self, backends: list[LiveServer], root: Path) -> None:
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if not Path(binary).exists():
            raise RuntimeError("haproxy is not installed: apt-get install haproxy (./scripts/test does)")
        self.binary = binary
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config = root / "haproxy.cfg"
        self.log_path = root / "haproxy.log"
        servers = "\n".join(
            f"    server {s.env['VOICELOG_INSTANCE_ID']} 127.0.0.1:{s.port} check inter 300ms fall 2 rise 2"
            for s in backends
        )
        self.config.write_text(
            f"""global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout tunnel 120s
    option redispatch
    retries 2
frontend voicelog
    bind 127.0.0.1:{self.port}
    default_backend instances
backend instances
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
{servers}
"""
        )
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 20.0) -> None:
        check = subprocess.run([self.binary, "-c", "-f", str(self.config)], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"haproxy config refused: {check.stdout}{check.stderr}")
        log = self.log_path.open("ab")
        self._proc = subprocess.Popen(
            [self.binary, "-db", "-f", str(self.config)], stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout_s
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            if self._proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"haproxy did not serve /health:\n{self.log_path.read_text()[-2000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(10)
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc = None


def env_without_outside() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("VOICELOG_", "UPSTASH_", "OPENAI_"))}
