"""A tiny threaded HTTP server the provider fakes build on, with switches for outages.

It runs in its own thread, so a test's event loop never blocks it, and a slow answer (`delay_s`)
is a real slow socket, not a patched client.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["FakeHTTPServer", "Reply", "json_reply"]


class Reply:
    def __init__(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}


def json_reply(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(
        status, json.dumps(payload).encode(), {"Content-Type": "application/json", **(headers or {})}
    )


class _Server(ThreadingHTTPServer):
    # The default listen backlog of 5 resets connections when a test fires dozens at once.
    request_queue_size = 128


class FakeHTTPServer:
    """Subclasses implement `handle(method, path, headers, body) -> Reply`.

    Outage switches, all off by default: `delay_s` (sleep before answering), `forced` (answer this
    Reply to every request instead of handling it). `requests` records (path, headers, json) for asserts.
    """

    def __init__(self) -> None:
        self.delay_s = 0.0
        self.forced: Reply | None = None
        self.requests: list[tuple[str, dict[str, str], Any]] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet test output
                return

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in two writes; without NODELAY, Nagle + delayed ACK add ~40 ms
                # to every answer, which would be the fake's latency, not the client's.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_POST(self) -> None:
                self._serve("POST")

            def do_GET(self) -> None:
                self._serve("GET")

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    parsed = json.loads(raw) if raw else None
                except ValueError:
                    parsed = raw
                with fake._lock:
                    fake.requests.append((self.path, headers, parsed))
                if fake.delay_s:
                    time.sleep(fake.delay_s)
                reply = fake.forced or fake.handle(method, self.path, headers, parsed)
                try:
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout): fine
                    pass

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def handle(self, method: str, path: str, headers: dict[str, str], body: Any) -> Reply:
        raise NotImplementedError

    def start(self) -> FakeHTTPServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @contextmanager
    def outage(self, reply: Reply) -> Iterator[None]:
        self.forced = reply
        try:
            yield
        finally:
            self.forced = None
