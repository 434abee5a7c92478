"""What runs before every handler: authentication of `/v1`, strict body decoding, and the dependencies
controllers ask for by name (`services`, `user`)."""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

import msgspec
from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException

from server.auth import CurrentUser, authenticate, token_from_connection
from server.decoding import decode_json
from server.errors import BadInput, NotFound
from server.services import Services

__all__ = ["DEPENDENCIES", "before_request", "provide_services", "provide_user"]

_UNIONS = (Union, types.UnionType)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
_decoders: dict[int, msgspec.json.Decoder[Any] | None] = {}
_optional: dict[int, bool] = {}


def provide_services(state: State) -> Services:
    return state.services  # type: ignore[no-any-return]


def provide_user(request: Request) -> CurrentUser:
    user = request.scope.get("state", {}).get("voicelog_user")
    if user is None:  # a handler outside /v1 asked for a user: still never anonymous
        raise NotAuthorizedException("missing or invalid bearer token", headers=_CHALLENGE)
    return user  # type: ignore[no-any-return]


def _struct_decoder(request: Request) -> msgspec.json.Decoder[Any] | None:
    """A strict decoder for the handler's `data` when it is a msgspec Struct (or an optional one).

    Litestar converts bodies leniently ("5" becomes 5); the contract wants wrong types refused.
    """
    handler = request.route_handler
    key = id(handler)
    if key not in _decoders:
        decoder = None
        param = handler.parsed_fn_signature.parameters.get("data")
        if param is not None:
            annotation = param.annotation
            members = get_args(annotation) if get_origin(annotation) in _UNIONS else (annotation,)
            if any(isinstance(m, type) and issubclass(m, msgspec.Struct) for m in members):
                decoder = msgspec.json.Decoder(annotation)
                _optional[key] = type(None) in members
        _decoders[key] = decoder
    return _decoders[key]


async def before_request(request: Request) -> None:
    """Authenticate `/v1` first (401 before any body complaint), then refuse mistyped JSON bodies."""
    if request.url.path.startswith("/v1/"):
        services: Services = request.app.state.services
        user = await authenticate(services.sessionmaker, token_from_connection(request))
        if user is None:
            raise NotAuthorizedException("missing or invalid bearer token", headers=_CHALLENGE)
        request.scope.setdefault("state", {})["voicelog_user"] = user
    if any("\x00" in str(v) for v in request.path_params.values()):
        raise NotFound("no such id")  # ids never hold NUL, and PostgreSQL would refuse to compare one
    decoder = _struct_decoder(request)
    if decoder is None:
        return
    body = await request.body()
    if not body.strip():
        if _optional.get(id(request.route_handler)):
            return  # an optional body (`POST /v1/workouts`) may be left out
        if not body:
            raise BadInput("the body is empty: send a JSON object", code="empty_body")
        raise BadInput("the body holds only whitespace, not JSON", code="malformed_json")
    if b"\\u0000" in body.lower():
        # PostgreSQL cannot store NUL in text; no lifter means one either.
        raise BadInput("strings may not contain NUL (\\u0000)", code="invalid_input")
    decode_json(decoder, body)


DEPENDENCIES = {
    "services": Provide(provide_services, sync_to_thread=False),
    "user": Provide(provide_user, sync_to_thread=False),
}
