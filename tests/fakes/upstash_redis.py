"""Upstash Redis's REST wire format in front of a real redis-server.

What the `upstash-redis` SDK speaks (see its `http.py`): POST a JSON array command to the root,
a JSON array of arrays to `/pipeline` or `/multi-exec`; `Authorization: Bearer <token>`; with
`Upstash-Encoding: base64` every bulk string in the result is base64 (the status "OK" is not).
Answers `{"result": ...}` or `{"error": "..."}` (HTTP 400), 401 on a bad token.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
from typing import Any

import redis

from tests.fakes.http import FakeHTTPServer, Reply, json_reply

__all__ = ["FakeUpstashRedis"]


def _encode(value: Any, b64: bool) -> Any:
    if isinstance(value, bytes):
        if value == b"OK":
            return "OK"
        return base64.b64encode(value).decode() if b64 else value.decode("utf-8", "replace")
    if isinstance(value, list):
        return [_encode(v, b64) for v in value]
    return value


class FakeUpstashRedis(FakeHTTPServer):
    def __init__(self, redis_url: str, token: str = "test-token") -> None:
        super().__init__()
        self.token = token
        self._pool = redis.ConnectionPool.from_url(redis_url)
        self._sync = itertools.count(1)

    def _raw(self, conn: Any, command: list[Any]) -> Any:
        conn.send_command(*command)
        return conn.read_response()

    def handle(self, method: str, path: str, headers: dict[str, str], body: Any) -> Reply:
        if headers.get("authorization") != f"Bearer {self.token}":
            return json_reply(401, {"error": "Unauthorized"})
        b64 = headers.get("upstash-encoding") == "base64"
        extra = {"Upstash-Sync-Token": str(next(self._sync))}
        if not isinstance(body, list):
            return json_reply(400, {"error": "ERR failed to parse command"}, extra)
        conn = self._pool.get_connection()
        try:
            if path == "/":
                try:
                    return json_reply(200, {"result": _encode(self._raw(conn, body), b64)}, extra)
                except redis.ResponseError as exc:
                    return json_reply(400, {"error": str(exc)}, extra)
            if path == "/pipeline":
                out: list[dict[str, Any]] = []
                for command in body:
                    try:
                        out.append({"result": _encode(self._raw(conn, command), b64)})
                    except redis.ResponseError as exc:
                        out.append({"error": str(exc)})
                return json_reply(200, out, extra)
            if path == "/multi-exec":
                self._raw(conn, ["MULTI"])
                try:
                    for command in body:
                        self._raw(conn, command)
                    results = self._raw(conn, ["EXEC"])
                except redis.ResponseError as exc:
                    with contextlib.suppress(redis.ResponseError):  # after EXECABORT there is no MULTI left
                        self._raw(conn, ["DISCARD"])
                    return json_reply(400, {"error": str(exc)}, extra)
                out = [
                    {"error": str(r)} if isinstance(r, redis.ResponseError) else {"result": _encode(r, b64)}
                    for r in results
                ]
                return json_reply(200, out, extra)
            return json_reply(404, {"error": f"unknown path {path}"})
        except redis.ConnectionError as exc:
            return json_reply(500, {"error": f"ERR backend unavailable: {exc}"})
        finally:
            self._pool.release(conn)

    def close(self) -> None:
        super().close()
        self._pool.disconnect()
