"""What uvicorn answers before the app sees a request, and what a client leaving does to the log, on a
real `voicelog serve` over raw sockets: malformed HTTP and refused websocket handshakes carry the
contract's error body; a client that leaves mid-request or mid-socket is an INFO line, not an error."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from collections.abc import Iterator

import pytest
import websockets

from tests.fuzz.contract import contract_problem
from tests.integration.conftest import Api, LiveServer, sqlite_server

__all__: list[str] = []


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with sqlite_server("protocols") as live:
        yield live


@pytest.fixture
def api(server: LiveServer) -> Iterator[Api]:
    client = Api(server, *server.create_user())
    yield client
    client.close()


def _raw(server: LiveServer, data: bytes, *, read: bool = True) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; (status, headers, body) of the answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        conn.sendall(data)
        if not read:
            return 0, {}, b""
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def _errors_in_log(server: LiveServer, since: int) -> list[str]:
    log = server.log_tail(10_000_000)[since:]
    return [ln for ln in log.splitlines() if re.match(r"(ERROR|CRITICAL)\b", ln) or "Traceback" in ln]


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GARBAGE\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
        b"POST /v1/parse HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n",
        b"GET /health HTTP/1.1\r\n\r\n",  # HTTP/1.1 without Host
    ],
    ids=["not-http", "bad-header", "bad-length", "no-host"],
)
def test_malformed_http_answers_the_contract_body(server: LiveServer, request_bytes: bytes) -> None:
    status, headers, body = _raw(server, request_bytes)
    assert status == 400
    assert contract_problem("GET", status, headers, body) is None, body
    assert json.loads(body)["error"]["code"] == "malformed_http"


@pytest.mark.parametrize(
    ("extra_headers", "status", "words"),
    [  # what websockets refuses, in its words
        (b"Sec-WebSocket-Version: 13\r\n", 400, "Sec-WebSocket-Key"),
        (b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n", 400, "Sec-WebSocket-Key"),
        (b"Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", 400, "Version"),
    ],
    ids=["no-key", "bad-key", "old-version"],
)
def test_a_refused_websocket_handshake_answers_the_contract_body(
    server: LiveServer, extra_headers: bytes, status: int, words: str
) -> None:
    request = (
        b"GET /v1/stream?workout_id=x&token=y HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\n" + extra_headers + b"\r\n"
    )
    got, headers, body = _raw(server, request)
    assert got == status
    assert contract_problem("GET", got, headers, body) is None, body
    error = json.loads(body)["error"]
    assert error["code"] == "bad_handshake" and words in error["message"], error
    assert int(headers["content-length"]) == len(body)


def test_a_good_handshake_still_opens_the_stream(server: LiveServer, api: Api) -> None:
    async def run() -> str:
        url = f"ws://127.0.0.1:{server.port}/v1/stream?workout_id={api.workout()}&token={api.token}"
        async with websockets.connect(url) as ws:
            return str(json.loads(await asyncio.wait_for(ws.recv(), 10))["type"])

    assert asyncio.run(run()) == "ready"


def test_a_client_leaving_mid_request_is_logged_at_info_and_changes_nothing(
    server: LiveServer, api: Api
) -> None:
    workout = api.workout()
    before = api.snapshot()
    since = len(server.log_tail(10_000_000))
    body = json.dumps({"text": "barbell squat 225 for 5"}).encode()
    head = (
        f"POST /v1/workouts/{workout}/utterances HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {api.token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body) + 100}\r\n\r\n"
    )
    _raw(server, head.encode() + body[:10], read=False)  # a tenth of the body, then gone
    deadline = time.monotonic() + 10
    while "client disconnected mid-request" not in server.log_tail(10_000_000)[since:]:
        assert time.monotonic() < deadline, server.log_tail()
        time.sleep(0.05)
    line = next(ln for ln in server.log_tail(10_000_000)[since:].splitlines() if "mid-request" in ln)
    assert line.startswith("INFO") and f"/v1/workouts/{workout}/utterances" in line
    assert _errors_in_log(server, since) == []
    assert api.snapshot() == before


def test_a_client_dropping_mid_socket_is_logged_at_info(server: LiveServer, api: Api) -> None:
    workout = api.workout()
    since = len(server.log_tail(10_000_000))

    async def drop() -> None:
        url = f"ws://127.0.0.1:{server.port}/v1/stream?workout_id={workout}&token={api.token}"
        async with websockets.connect(url) as ws:
            await ws.recv()  # ready
            await ws.send(json.dumps({"type": "text", "text": "barbell squat 225 for 5"}))
            ws.transport.abort()  # no close frame: the phone left coverage

    asyncio.run(drop())
    deadline = time.monotonic() + 15
    while "client left the stream" not in server.log_tail(10_000_000)[since:]:
        assert time.monotonic() < deadline, server.log_tail()
        time.sleep(0.05)
    line = next(ln for ln in server.log_tail(10_000_000)[since:].splitlines() if "client left" in ln)
    assert line.startswith("INFO")
    # the text sent before the drop is still saved (the session owns its work, not the socket)
    while not api.sets(workout):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert _errors_in_log(server, since) == []
