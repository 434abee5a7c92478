"""Litestar channels as the one bus between instances: Redis pub/sub when VOICELOG_REDIS_URL is set, else
the in-process backend (one instance needs nothing more).

The plugin is entered as an async context manager by the services, not registered on the app: the app
offers no channel routes of its own, the websocket handler relays what it subscribes to.

Delivery is at most once per subscriber (pub/sub keeps no history): a socket that was down while a set was
logged reads the workout again after reconnecting. An event may also arrive twice (a retried client_id is
announced again, in case the instance that logged it died before announcing); `voice_command_id` tells
copies apart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator
from typing import TYPE_CHECKING, Any

import msgspec
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend

from models.protocol import ENCODER, Corrected, Logged, ServerEvent, TimingMs

if TYPE_CHECKING:
    from litestar.channels import Subscriber

    from server.pipeline import UtteranceOutcome
    from server.settings import Settings

__all__ = ["Envelope", "Fanout", "build_fanout", "workout_channel"]

log = logging.getLogger("voicelog.fanout")

_ANNOUNCED = ("logged", "corrected", "undone")
_PUBLISH_S = 0.5
_RETRY_S = 0.5


def workout_channel(workout_id: str) -> str:
    return f"voicelog:workout:{workout_id}"


class Envelope(msgspec.Struct, kw_only=True):
    """What travels on a channel: the event, and the connection it was already sent to (None: REST)."""

    origin: str | None
    event: msgspec.Raw


_ENVELOPE = msgspec.json.Decoder(Envelope)


class Fanout:
    def __init__(self, plugin: ChannelsPlugin, *, name: str) -> None:
        self._plugin = plugin
        self.name = name
        """`memory` or `redis`: which backend carries the events"""
        self._started = False

    async def start(self) -> None:
        await self._plugin.__aenter__()
        self._started = True

    async def aclose(self) -> None:
        if self._started:
            self._started = False
            await self._plugin.__aexit__(None, None, None)

    async def publish(self, workout_id: str, event: ServerEvent, *, origin: str | None = None) -> None:
        """Best effort: a bus that is down must never turn a logged set into an error."""
        body = b'{"origin":%s,"event":%s}' % (ENCODER.encode(origin), ENCODER.encode(event))
        try:
            # bounded: the set is already committed and its answer must not wait on a hung bus
            await asyncio.wait_for(self._plugin.wait_published(body, workout_channel(workout_id)), _PUBLISH_S)
        except Exception as exc:
            log.warning("could not announce an event of workout %s: %s", workout_id, exc)

    async def announce(self, workout_id: str, outcome: UtteranceOutcome, origin: str | None) -> None:
        """A handled utterance that changed sets, as the `logged` event other sockets receive."""
        if outcome.action not in _ANNOUNCED:
            return
        event = Logged(
            utterance_id=outcome.voice_command_id,
            voice_command_id=outcome.voice_command_id,
            parsed=outcome.parsed,
            sets=list(outcome.undone if outcome.action == "undone" else outcome.sets),
            timing_ms=TimingMs(),
            action=outcome.action,
            prs=list(outcome.prs),
        )
        await self.publish(workout_id, event, origin=origin)

    async def announce_set(self, workout_id: str, logged_set: Any, origin: str | None) -> None:
        """A set changed directly (PATCH, websocket `correct`): `corrected` to every socket on the workout."""
        await self.publish(workout_id, Corrected(set=logged_set), origin=origin)

    @contextlib.asynccontextmanager
    async def subscribe(self, workout_id: str) -> AsyncIterator[Subscriber]:
        subscriber = await self._plugin.subscribe(workout_channel(workout_id))
        try:
            yield subscriber
        finally:
            with contextlib.suppress(Exception):
                await self._plugin.unsubscribe(subscriber)


def decode_envelope(payload: bytes) -> Envelope | None:
    try:
        return _ENVELOPE.decode(payload)
    except msgspec.DecodeError:
        log.warning("dropped an unreadable fan-out payload")
        return None


def _resilient_pubsub(redis: Any) -> Any:
    from litestar.channels.backends.redis import RedisChannelsPubSubBackend

    class ResilientPubSub(RedisChannelsPubSubBackend):
        """The plugin reads `stream_events` in one task for the life of the process; a Redis outage ended
        it for good (fan-out silent after Redis came back). Here it waits and reads on: redis-py
        subscribes the connection to its channels again when it reconnects."""

        async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
            while True:
                try:
                    async for item in super().stream_events():
                        yield item
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.warning("fan-out bus lost (%s); reading again in %.1f s", exc, _RETRY_S)
                    await asyncio.sleep(_RETRY_S)

    return ResilientPubSub(redis=redis, key_prefix="voicelog:channels")


def build_fanout(settings: Settings) -> Fanout:
    if settings.redis_url:
        from redis.asyncio import Redis

        # its own client: pub/sub holds a connection, and the channels backend wants bytes, not str
        redis = Redis.from_url(settings.redis_url, socket_connect_timeout=2)
        backend: Any = _resilient_pubsub(redis)
        name = "redis"
    else:
        backend, name = MemoryChannelsBackend(), "memory"
    return Fanout(ChannelsPlugin(backend=backend, arbitrary_channels_allowed=True), name=name)
