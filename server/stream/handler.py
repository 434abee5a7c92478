"""`GET /v1/stream`: authenticates, then only moves frames between the socket and its session.

`?session_id=` (the id a previous `ready` gave) resumes that session's context: its unit and last set,
from the shared KV, on whichever instance takes the socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect

from models.protocol import ENCODER, Ready, Reconnect, ServerEvent
from server.audio.endpoint import EndpointConfig
from server.auth import authenticate, token_from_connection
from server.errors import NotFound, shown_id
from server.fanout.relay import Relay
from server.scale.drain import CLOSE_SERVICE_RESTART
from server.services import Services
from server.session_store import SessionStore
from server.stream.session import StreamConfig, StreamSession
from server.stt.prompt import prompt_for
from server.stt.reading import EAR_UNSURE_BELOW

__all__ = ["CLOSE_BAD_REQUEST", "CLOSE_NOT_FOUND", "CLOSE_UNAUTHORIZED", "stream"]

CLOSE_UNAUTHORIZED = 4401
CLOSE_NOT_FOUND = 4404
CLOSE_BAD_REQUEST = 4400

log = logging.getLogger("voicelog.stream")

# What sending to a socket the client already closed or dropped raises: Litestar's disconnect, the ASGI
# "already closed" RuntimeError, uvicorn's ClientDisconnected (an OSError).
_GONE = (WebSocketDisconnect, RuntimeError, OSError)


@websocket("/v1/stream")
async def stream(socket: WebSocket, services: Services) -> None:
    drain = getattr(services, "drain", None)
    # Which instance took the socket: a load-balanced client (and the scale-out test) can tell.
    await socket.accept(headers={"x-voicelog-instance": getattr(services, "instance_id", "") or "local"})
    if drain is not None and drain.draining:
        await socket.send_data(ENCODER.encode(Reconnect(reason="shutting_down", session_id="")).decode())
        await socket.close(code=CLOSE_SERVICE_RESTART, reason="shutting down: reconnect")
        return
    user = await authenticate(services.sessionmaker, token_from_connection(socket, allow_query=True))
    if user is None:
        await socket.close(code=CLOSE_UNAUTHORIZED, reason="missing or invalid token")
        return
    workout_id = socket.query_params.get("workout_id")
    if not workout_id:
        await socket.close(code=CLOSE_BAD_REQUEST, reason="workout_id is required")
        return
    from server.store.voice import recent_exercise_ids
    from server.store.workouts import require_workout

    try:
        async with services.sessionmaker() as db:
            await require_workout(db, user.id, workout_id)
            recent = await recent_exercise_ids(db, user.id)
    except NotFound:
        await socket.close(code=CLOSE_NOT_FOUND, reason=_close_reason(f"no workout {shown_id(workout_id)}"))
        return

    store = SessionStore(services.kv) if services.kv is not None else None
    context = None
    if store is not None:
        resume_id = socket.query_params.get("session_id") or ""
        context = await store.load(resume_id, user.id, workout_id) if resume_id else None
        if context is None:
            context = store.start(user.id, workout_id)
            await store.save(context)
    unit = (context.unit if context is not None else None) or user.default_unit

    lock = asyncio.Lock()
    gone = False
    connection_id = uuid.uuid4().hex

    async def send(event: ServerEvent) -> None:
        await send_frame(ENCODER.encode(event))

    async def send_frame(data: bytes) -> None:
        # The session's work belongs to the session, not to the socket: once the client has closed or
        # dropped, events go nowhere but the work (a set after `stop`) still finishes and is saved.
        nonlocal gone
        frame = data.decode()
        async with lock:
            if gone:
                return
            try:
                await socket.send_data(frame, mode="text")
            except _GONE as exc:
                gone = True
                log.info("client left the stream (%s); finishing its pending work", type(exc).__name__)

    session = StreamSession(
        services=services,
        user_id=user.id,
        workout_id=workout_id,
        default_unit=unit,
        send=send,
        transcriber=services.transcriber,
        prompt=prompt_for(getattr(services.matcher, "catalog", None), recent),
        context=context,
        store=store,
        config=StreamConfig(
            relisten=bool(getattr(services.settings, "stt_relisten", True)),
            repair=bool(getattr(services.settings, "stt_repair", True)),
            unsure_below=getattr(services.settings, "stt_unsure_below", EAR_UNSURE_BELOW),
            second_ear=getattr(services.settings, "stt_second_ear", "always"),
            endpoint=EndpointConfig(foreground_margin_db=_foreground_margin(services)),
        ),
        origin=connection_id,
    )
    session_id = context.session_id if context is not None else uuid.uuid4().hex

    farewell = asyncio.Event()

    async def goodbye() -> None:
        """The instance is leaving: answer what was said, then send the client elsewhere."""
        try:
            await session.stop()
            await session.drain()
            await send(Reconnect(reason="shutting_down", session_id=session_id))
            with contextlib.suppress(*_GONE):
                await socket.close(code=CLOSE_SERVICE_RESTART, reason="shutting down: reconnect")
        finally:
            farewell.set()

    fanout = getattr(services, "fanout", None)
    relay = (
        Relay(fanout, workout_id, connection_id, send_frame, observe=session.heard_elsewhere)
        if fanout is not None
        else None
    )
    token = drain.register(goodbye) if drain is not None else None
    try:
        async with relay if relay is not None else contextlib.nullcontext():
            # subscribed before `ready`: a set logged elsewhere after the client saw `ready` reaches it
            await send(Ready(session_id=session_id, workout_id=workout_id))
            while not session.stopping or farewell_pending(drain, token):
                message = await socket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                if isinstance(data := message.get("bytes"), bytes):
                    await session.on_binary(data)
                elif isinstance(text := message.get("text"), str):
                    await session.on_text(text)
            await session.drain()
            if token is not None and drain is not None and drain.draining:
                await farewell.wait()  # goodbye() answers and closes this socket
                return
            with contextlib.suppress(*_GONE):
                await socket.close(code=1000)
    except WebSocketDisconnect:
        return
    finally:
        if token is not None and drain is not None:
            drain.unregister(token)
        await session.close()


def farewell_pending(drain: object, token: int | None) -> bool:
    """Draining: keep reading (and refusing) until goodbye() closes the socket."""
    return token is not None and bool(getattr(drain, "draining", False))


def _close_reason(text: str) -> str:
    """A close frame's reason holds at most 123 bytes of UTF-8 (RFC 6455)."""
    return text.encode("utf-8", "replace")[:123].decode("utf-8", "ignore")


def _foreground_margin(services: Services) -> float | None:
    margin = float(getattr(services.settings, "stream_foreground_margin_db", 16.0))
    return margin if margin > 0 else None
