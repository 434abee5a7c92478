"""Picks every backend from `Settings` once at start-up; anything unset is the embedded default.

- KV (cache, sessions): VOICELOG_REDIS_URL → Redis; else UPSTASH_REDIS_REST_URL/_TOKEN →
  Upstash Redis; else in-process memory.
- rate limits: sliding windows of `limits` in the same Redis (VOICELOG_REDIS_URL), on the Upstash KV,
  else in-process memory.
- search: UPSTASH_SEARCH_REST_URL/_TOKEN → Upstash Search; else the matcher's embedded index.
- LLM fallback: OPENAI_API_KEY (+ OPENAI_BASE_URL, VOICELOG_LLM_MODEL) → any OpenAI-compatible
  endpoint; else none (unsure utterances get a clarify question).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from server.backends.errors import MissingBackendDependency
from server.backends.kv import KV, MemoryKV, ResilientKV
from server.backends.llm.base import Extractor
from server.backends.match_cache import MatchCache
from server.backends.rate_windows import (
    KVWindows,
    ResilientWindows,
    WindowStore,
    memory_windows,
    redis_windows,
)
from server.backends.search.base import SearchIndex
from server.ratelimit import Limit, RateLimiter
from server.session_store import SessionStore
from server.understand import Understander

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from server.backends.llm.registry import ModelRegistry
    from server.settings import Settings

__all__ = [
    "Backends",
    "build_backends",
    "build_extractor",
    "build_kv",
    "build_rate_windows",
    "build_search",
]

log = logging.getLogger(__name__)


def _pair(url: str | None, token: str | None, url_name: str) -> tuple[str, str] | None:
    if not url:
        return None
    if not token:
        token_name = url_name.replace("_URL", "_TOKEN")
        raise MissingBackendDependency(f"{url_name} is set but {token_name} is not: set both, or neither")
    return url, token


def build_kv(settings: Settings) -> KV:
    if settings.redis_url:
        from server.backends.kv.redis_kv import RedisKV

        return ResilientKV(RedisKV(settings.redis_url, timeout_s=settings.kv_timeout_s))
    upstash = _pair(
        settings.upstash_redis_rest_url, settings.upstash_redis_rest_token, "UPSTASH_REDIS_REST_URL"
    )
    if upstash:
        from server.backends.kv.upstash_kv import UpstashKV

        return ResilientKV(UpstashKV(*upstash, timeout_s=max(settings.kv_timeout_s, 0.5)))
    return MemoryKV()


def build_rate_windows(settings: Settings, kv: KV) -> WindowStore:
    """The rate limiter's counters: limits' Redis storage shared by every instance when
    VOICELOG_REDIS_URL is set; on Upstash the shared KV (limits cannot speak its REST API); else memory."""
    if settings.redis_url:
        return ResilientWindows(
            redis_windows(settings.redis_url, timeout_s=settings.kv_timeout_s),
            name="redis",
            timeout_s=settings.kv_timeout_s * 2,
            same_server=kv if isinstance(kv, ResilientKV) else None,
        )
    if settings.upstash_redis_rest_url:
        return KVWindows(kv)  # kv is UpstashKV behind ResilientKV: it degrades to memory by itself
    return memory_windows()


def build_search(settings: Settings, matcher: Any) -> SearchIndex:
    upstash = _pair(
        settings.upstash_search_rest_url, settings.upstash_search_rest_token, "UPSTASH_SEARCH_REST_URL"
    )
    if upstash:
        from server.backends.search.upstash import UpstashSearch

        return UpstashSearch(
            *upstash, timeout_s=settings.search_timeout_s, semantic_weight=settings.search_semantic_weight
        )
    from server.backends.search.embedded import EmbeddedSearch

    return EmbeddedSearch(matcher)


def build_extractor(settings: Settings, matcher: Any) -> Extractor | None:
    if not settings.openai_api_key:
        return None
    from server.backends.llm.openai_extractor import OpenAIExtractor

    catalog = getattr(matcher, "catalog", None)

    def exercise_name(ex_id: str) -> str | None:
        ex = catalog.get(ex_id) if catalog is not None else None
        return ex.name if ex is not None else None

    return OpenAIExtractor(
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url,
        model=settings.llm_model,
        timeout_s=settings.llm_timeout_s,
        exercise_name=exercise_name if catalog is not None else None,
    )


@dataclass
class Backends:
    kv: KV
    search: SearchIndex
    extractor: Extractor | None
    rate_limiter: RateLimiter
    sessions: SessionStore
    cache: MatchCache | None
    models: ModelRegistry | None
    understander: Understander

    def describe(self) -> dict[str, str]:
        """Which implementation serves each role (logged at start-up, shown by /health consumers)."""
        return {
            "kv": self.kv.name,
            "search": self.search.name,
            "llm": getattr(self.extractor, "model", "none") if self.extractor is not None else "none",
        }

    async def aclose(self) -> None:
        closers = (
            self.search.aclose,
            self.rate_limiter.aclose,
            self.kv.aclose,
            self.extractor.aclose if self.extractor else None,
        )
        for closer in closers:
            if closer is None:
                continue
            try:
                await closer()
            except Exception as exc:  # closing is best effort at shutdown
                log.warning("closing a backend failed: %s", exc)


def _profile_context(sessionmaker: async_sessionmaker[AsyncSession]) -> Any:
    async def prose(user_id: str) -> str:
        from server.profile.service import load_context

        async with sessionmaker() as session:
            return (await load_context(session, user_id)).prose

    return prose


def build_backends(
    settings: Settings,
    *,
    parser: Any,
    matcher: Any,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
) -> Backends:
    """Everything E owns, wired into one Understander; cloud clients are imported only when selected."""
    kv = build_kv(settings)
    search = build_search(settings, matcher)
    extractor = build_extractor(settings, matcher)
    models = None
    if extractor is not None and sessionmaker is not None:
        from server.backends.llm.registry import ModelRegistry

        models = ModelRegistry(sessionmaker)
    cache = MatchCache(kv, backend=search.name, ttl_s=settings.match_cache_ttl_s) if search.remote else None
    normalize = getattr(matcher, "normalize", None)
    understander = Understander(
        parser,
        search=search,
        cache=cache,
        extractor=extractor,
        model=models.current if models is not None else None,
        normalize=(lambda phrase: " ".join(normalize(phrase))) if normalize else None,
        suggest=(lambda phrase: matcher.search(phrase, limit=6)) if hasattr(matcher, "search") else None,
        kv=kv,
        profile_context=_profile_context(sessionmaker) if sessionmaker is not None else None,
    )
    limiter = RateLimiter(
        build_rate_windows(settings, kv),
        {
            "utterance": Limit(amount=settings.rate_limit_utterances_per_minute, window_s=60),
            "audio_s": Limit(amount=settings.rate_limit_audio_s_per_minute, window_s=60),
        },
    )
    backends = Backends(
        kv=kv,
        search=search,
        extractor=extractor,
        rate_limiter=limiter,
        sessions=SessionStore(kv),
        cache=cache,
        models=models,
        understander=understander,
    )
    log.info("backends: %s", backends.describe())
    return backends
