"""uvicorn's own answers in the contract's shape: the 400s it sends before the app sees a request.

uvicorn answers a request h11 cannot parse, and a websocket upgrade the `websockets` library refuses
(no Sec-WebSocket-Key, a wrong version, ...), itself, as text/plain. These protocol classes (passed to
uvicorn by `voicelog serve`) send the contract's JSON error body instead (server/errors.py). What stays
uvicorn's: the 414/431 `websockets` queues for an over-long request line or headers (already-serialized
bytes), and anything under httptools (not installed with voicelog; serve always uses h11).
"""

from __future__ import annotations

import json
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from server.errors import error_body

__all__ = ["ContractH11Protocol", "contract_websockets_protocol"]


def _body(code: str, message: str) -> bytes:
    return json.dumps(error_body(code, message)).encode()


class ContractH11Protocol(H11Protocol):
    def send_400_response(self, msg: str) -> None:
        body = _body("malformed_http", "the request is not valid HTTP/1.1")
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))  # type: ignore[arg-type]
        self.transport.close()


def contract_websockets_protocol() -> type[Any]:
    """uvicorn's `websockets` (sans-I/O) protocol, its refused handshakes answered with the contract body."""
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    from websockets.datastructures import Headers
    from websockets.http11 import Response

    def contract_response(refused: Response) -> Response:
        # websockets' reason ("Failed to open a WebSocket connection: missing Sec-WebSocket-Key header.")
        reason = bytes(refused.body).decode("utf-8", "replace").strip().rstrip(".")
        reason = (
            reason.removeprefix("Failed to open a WebSocket connection: ") or "invalid websocket handshake"
        )
        body = _body("bad_handshake" if refused.status_code == 400 else "bad_request", reason)
        headers = Headers(
            [
                (k, v)
                for k, v in refused.headers.raw_items()
                if k.lower() not in ("content-type", "content-length")
            ]
        )
        headers["Content-Type"] = "application/json"
        headers["Content-Length"] = str(len(body))
        return Response(refused.status_code, refused.reason_phrase, headers, body)

    class ContractWebSocketsProtocol(WebSocketsSansIOProtocol):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            accept = self.conn.accept

            def accept_or_refuse_in_contract(request: Any) -> Response:
                response: Response = accept(request)
                return response if response.status_code == 101 else contract_response(response)

            self.conn.accept = accept_or_refuse_in_contract  # type: ignore[method-assign]

        def handle_handshake_exception(self) -> None:
            self.handshake_complete = True
            self.close_sent = True
            output = b"".join(self.conn.data_to_send())  # websockets' own 414 / 431, when it queued one
            if not output:
                body = _body("bad_handshake", "the websocket handshake is not valid HTTP")
                headers = [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(body))),
                    ("Connection", "close"),
                ]
                output = Response(400, "Bad Request", Headers(headers), body).serialize()
            self.transport.write(output)
            self.transport.close()

    return ContractWebSocketsProtocol
