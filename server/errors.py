"""Domain errors, and the one place that maps them (and Litestar's own) to the contract's error body."""

from __future__ import annotations

import logging

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_500_INTERNAL_SERVER_ERROR

__all__ = [
    "BadInput",
    "ClientIdConflict",
    "DomainError",
    "NotFound",
    "UnknownExercise",
    "error_body",
    "exception_handlers",
    "shown_id",
]

log = logging.getLogger("voicelog.errors")


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class BadInput(DomainError):
    status = 400
    code = "invalid_input"


class NotFound(DomainError):
    """Also what another user's id answers: their data does not exist for the caller."""

    status = 404
    code = "not_found"


class ClientIdConflict(DomainError):
    """A `client_id` names one utterance; sent again on another workout it is a client bug, not a retry."""

    status = 409
    code = "client_id_conflict"


class UnknownExercise(DomainError):
    status = 422
    code = "unknown_exercise"


_SHOWN_ID_CHARS = 64


def shown_id(value: str) -> str:
    """An id as an error message quotes it: at most 64 characters (a 5,000-character id sent back whole
    only makes the answer longer; a websocket close reason cannot even hold one)."""
    value = value.replace("\x00", "\\0")
    return value if len(value) <= _SHOWN_ID_CHARS else value[: _SHOWN_ID_CHARS - 1] + "…"


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
}


def _respond(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(error_body(code, message), status_code=status, media_type=MediaType.JSON, headers=headers)


def _domain(_: Request, exc: DomainError) -> Response:
    return _respond(exc.status, exc.code, exc.message, headers=getattr(exc, "headers", None))


def _validation(_: Request, exc: ValidationException) -> Response:
    detail = str(exc.detail or "invalid request")
    code = "invalid_input"
    if "JSON" in detail or "malformed" in detail.lower():
        code = "malformed_json"
    problems = exc.extra if isinstance(exc.extra, list) else []
    parts = []
    for item in problems:
        if isinstance(item, dict):
            where = item.get("key") or item.get("source") or ""
            parts.append(f"{where}: {item.get('message', '')}".strip(": "))
    message = "; ".join(p for p in parts if p) or detail
    return _respond(HTTP_400_BAD_REQUEST, code, message)


# What Litestar's Request.stream() raises (as a 500) when the client leaves before its body is complete.
_CLIENT_GONE = "client disconnected prematurely"


def _http(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if status >= 500 and exc.detail == _CLIENT_GONE:
        # The client's doing, not a server error; nobody is left to read this answer.
        log.info("client disconnected mid-request: %s %s", request.method, request.url.path)
        return _respond(
            HTTP_400_BAD_REQUEST, "client_disconnected", "the client left before its request ended"
        )
    if status >= 500:
        log.error("server error: %s", exc.detail)
        return _respond(status, "internal_error", "internal server error")
    detail = str(exc.detail or "")
    code = _HTTP_CODES.get(status, "bad_request")
    if status == 400 and "json" in detail.lower():
        code = "malformed_json"
    return _respond(status, code, detail or code.replace("_", " "), headers=exc.headers)


def _unexpected(_: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    return _respond(HTTP_500_INTERNAL_SERVER_ERROR, "internal_error", "internal server error")


exception_handlers = {
    DomainError: _domain,
    ValidationException: _validation,
    HTTPException: _http,
    Exception: _unexpected,
}
