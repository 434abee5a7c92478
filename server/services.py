"""Everything the server builds once at start-up, shared by REST, websocket and CLI: the composition root.

What an instance shares with the others is all here: the database (`database_url`), the KV (Redis: match
cache, rate limits, websocket session context), the fan-out bus (Litestar channels on Redis pub/sub) and,
with `stt_mode=workers`, the speech workers' job stream. Nothing a later turn needs stays in the process.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from server.db import create_engine, create_sessionmaker, sqlite_durability, upgrade
from server.settings import Settings

if TYPE_CHECKING:
    from server.pipeline import Pipeline
    from server.understand import Understander

__all__ = ["Services", "build_services", "open_database"]

log = logging.getLogger("voicelog")


class Services:
    """Not a dataclass on purpose: Litestar validates dataclass dependencies field by field per request."""

    def __init__(
        self,
        *,
        settings: Settings,
        engine: AsyncEngine,
        sessionmaker: async_sessionmaker[AsyncSession],
        matcher: Any,
        parser: Any,
        understander: Understander,
        pipeline: Pipeline,
        kv: Any | None = None,
        rate_limiter: Any | None = None,
        search: Any | None = None,
        transcriber: Any | None = None,
        second_transcriber: Any | None = None,
        coach: Any | None = None,
        fanout: Any | None = None,
        drain: Any | None = None,
        instance_id: str = "local",
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.sessionmaker = sessionmaker
        self.matcher = matcher
        """`matcher.resolver.ExerciseMatcher`: exercise search and matching."""
        self.parser = parser
        """`matcher.parser.Parser`: the grammar."""
        self.understander = understander
        """`server.understand.Understander`: the one way from text to a ParsedSet."""
        self.pipeline = pipeline
        self.kv = kv
        """Cache / shared state backend (engineer E)."""
        self.rate_limiter = rate_limiter
        """Per-token request limiter (engineer E)."""
        self.search = search
        """Remote exercise search backend, e.g. Upstash Search (engineer E)."""
        self.transcriber = transcriber
        """Speech-to-text backend (engineer D)."""
        self.second_transcriber = second_transcriber
        """A second speech model for readings the first was unsure of (`server.stt.reading`), or None."""
        self.coach = coach
        """`server.coach.service.Coach`: grounded answers to a lifter's questions."""
        self.fanout = fanout
        """`server.fanout.Fanout`: events of a workout to every socket open on it, on any instance."""
        self.drain = drain
        """`server.scale.drain.Drain`: the open streams, told to reconnect when the instance shuts down."""
        self.instance_id = instance_id

    async def close(self) -> None:
        for backend in (
            self.fanout,
            self.coach,
            self.transcriber,
            self.second_transcriber,
            self.search,
            self.rate_limiter,
            self.understander,
            self.kv,
        ):
            closer = getattr(backend, "aclose", None) or getattr(backend, "close", None)
            if closer is not None:
                result = closer()
                if hasattr(result, "__await__"):
                    await result
        await self.engine.dispose()


async def open_database(settings: Settings) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    """Engine + sessions on a schema brought up to date (safe while another process uses the database)."""
    from server.sync.journal import install

    install()  # every workout and set written from here on is journaled for sync cursors
    engine = create_engine(settings.database_url, synchronous=settings.sqlite_synchronous)
    try:
        await upgrade(engine)
    except BaseException:
        await engine.dispose()
        raise
    return engine, create_sessionmaker(engine)


async def build_services(settings: Settings) -> Services:
    # Imported here so the CLI's database commands never pay for loading the matcher.
    from matcher.parser import CONFIDENCE_THRESHOLD, Parser
    from matcher.resolver import ExerciseMatcher
    from server.pipeline import Pipeline

    engine, sessionmaker = await open_database(settings)
    if (durability := await sqlite_durability(engine)) is not None:
        log.info("sqlite durability: %s", json.dumps(durability))
    matcher = ExerciseMatcher.from_fixtures()
    parser = Parser(matcher)
    from server.backends.factory import build_backends  # engineer E: kv, search, LLM, limits

    backends = build_backends(settings, parser=parser, matcher=matcher, sessionmaker=sessionmaker)
    understander = backends.understander
    pipeline = Pipeline(sessionmaker, understander, confidence_threshold=CONFIDENCE_THRESHOLD)
    from server.stt.factory import build_second_transcriber, build_transcriber

    transcriber = await build_transcriber(settings)  # the speech model, loaded once here
    second_transcriber = await build_second_transcriber(settings)
    from server.coach.service import build_coach
    from server.coach.voice import VoiceAssistant

    coach = build_coach(settings, sessionmaker)
    from server.training.voice import TrainingAnswers

    training = TrainingAnswers(sessionmaker, matcher, CONFIDENCE_THRESHOLD)
    pipeline.assistant = VoiceAssistant(sessionmaker, coach, training)
    from server.fanout import build_fanout
    from server.scale.drain import Drain

    fanout = build_fanout(settings)
    await fanout.start()
    pipeline.announce = fanout.announce
    pipeline.announce_set = fanout.announce_set
    instance_id = settings.instance_id or f"{socket.gethostname()}-{os.getpid()}"
    log.info(
        "instance %s: database %s, kv %s, fan-out %s, stt %s",
        instance_id,
        engine.dialect.name,
        backends.kv.name,
        fanout.name,
        settings.stt_mode,
    )

    return Services(
        settings=settings,
        engine=engine,
        sessionmaker=sessionmaker,
        matcher=matcher,
        parser=parser,
        understander=understander,
        pipeline=pipeline,
        transcriber=transcriber,
        second_transcriber=second_transcriber,
        kv=backends.kv,
        rate_limiter=backends.rate_limiter,
        search=backends.search,
        coach=coach,
        fanout=fanout,
        drain=Drain(),
        instance_id=instance_id,
    )
