"""Websocket session context kept in the shared KV, so a client can resume on another instance.

After a reconnect (a deploy, a load balancer moving the socket) the client sends the `session_id`
it got in `ready`; whichever instance takes the socket loads the context from the KV and goes on
with the same unit and last set. A session is only ever given back to the user who owns it.
"""

from __future__ import annotations

import logging
import time
import uuid

import msgspec

from models.parsed import ParsedSet, Unit
from server.backends.kv import KV

__all__ = ["SessionContext", "SessionStore"]

log = logging.getLogger(__name__)


class SessionContext(msgspec.Struct, kw_only=True):
    session_id: str
    user_id: str
    workout_id: str
    unit: Unit | None = None
    sample_rate: int | None = None
    last: ParsedSet | None = None
    """the last set understood in this session (what "same again" repeats)"""
    last_voice_command_id: str | None = None
    last_set_ids: list[str] = msgspec.field(default_factory=list)
    recent: list[str] = msgspec.field(default_factory=list)
    """exercise ids of this session, newest first"""
    utterances: int = 0
    updated_at: float = 0.0


class SessionStore:
    def __init__(self, kv: KV, *, ttl_s: float = 6 * 3600.0) -> None:
        self._kv = kv
        self._ttl_s = ttl_s

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def start(self, user_id: str, workout_id: str, unit: Unit | None = None) -> SessionContext:
        return SessionContext(session_id=self.new_id(), user_id=user_id, workout_id=workout_id, unit=unit)

    async def save(self, ctx: SessionContext) -> None:
        ctx.updated_at = time.time()
        await self._kv.set(f"ws:session:{ctx.session_id}", msgspec.json.encode(ctx).decode(), self._ttl_s)

    async def load(
        self, session_id: str, user_id: str, workout_id: str | None = None
    ) -> SessionContext | None:
        """The stored context, or None when it expired, is unreadable, or belongs to someone else."""
        if not session_id or len(session_id) > 64:
            return None
        raw = await self._kv.get(f"ws:session:{session_id}")
        if raw is None:
            return None
        try:
            ctx = msgspec.json.decode(raw, type=SessionContext)
        except msgspec.DecodeError:
            log.warning("unreadable session context %s dropped", session_id)
            return None
        if ctx.user_id != user_id or (workout_id is not None and ctx.workout_id != workout_id):
            return None
        return ctx

    async def record(
        self,
        ctx: SessionContext,
        parsed: ParsedSet,
        *,
        voice_command_id: str | None = None,
        set_ids: list[str] | None = None,
    ) -> None:
        """Fold one understood utterance into the context and save it."""
        ctx.utterances += 1
        if parsed.intent in ("log_set", "correction") and parsed.exercise is not None:
            ctx.last = parsed
            ctx.recent = [parsed.exercise.id, *(r for r in ctx.recent if r != parsed.exercise.id)][:10]
        ctx.last_voice_command_id = voice_command_id or ctx.last_voice_command_id
        if set_ids is not None:
            ctx.last_set_ids = list(set_ids)
        await self.save(ctx)

    async def drop(self, session_id: str) -> None:
        await self._kv.delete(f"ws:session:{session_id}")
