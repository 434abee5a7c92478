"""Remote search hits cached by normalized exercise phrase, so a repeated phrase skips the round trip.

Hits are cached, not the final match: the match also depends on the lifter's recent exercises,
which differ between users, while what the index returns for a phrase does not. The key carries
the alias data's version, so editing aliases (or bumping the generation) invalidates every entry.
"""

from __future__ import annotations

import hashlib
import logging
import time
from importlib import resources

import msgspec

from matcher.index import SearchHit
from server.backends.kv import KV

__all__ = ["MatchCache", "alias_data_version"]

log = logging.getLogger(__name__)

_HITS = msgspec.json.Decoder(list[SearchHit])
_ENCODE = msgspec.json.Encoder()
# The generation is read from the KV at most this often per process (one round trip saved per hit).
_GENERATION_MEMO_S = 5.0


def alias_data_version() -> str:
    """A short hash of the packaged catalog and alias data: changes whenever either file does."""
    digest = hashlib.sha256()
    files = resources.files("fixtures")
    for name in ("aliases.json", "exercises.json"):
        digest.update(files.joinpath(name).read_bytes())
    return digest.hexdigest()[:12]


class MatchCache:
    def __init__(self, kv: KV, *, backend: str, version: str | None = None, ttl_s: float = 3600.0) -> None:
        self._kv = kv
        self._backend = backend
        self._version = version or alias_data_version()
        self._ttl_s = ttl_s
        self._generation = "0"
        self._generation_read = float("-inf")

    async def _prefix(self) -> str:
        now = time.monotonic()
        if now - self._generation_read > _GENERATION_MEMO_S:
            self._generation = await self._kv.get("match:generation") or "0"
            self._generation_read = now
        return f"match:{self._backend}:{self._version}:{self._generation}:"

    def _key(self, prefix: str, phrase: str) -> str:
        # Hash long phrases so keys stay short; short ones stay readable in redis-cli.
        return prefix + (phrase if len(phrase) <= 80 else hashlib.sha1(phrase.encode()).hexdigest())

    async def get(self, phrase: str) -> list[SearchHit] | None:
        raw = await self._kv.get(self._key(await self._prefix(), phrase))
        if raw is None:
            return None
        try:
            return _HITS.decode(raw)
        except msgspec.DecodeError:
            log.warning("dropping unreadable match cache entry for %r", phrase)
            return None

    async def put(self, phrase: str, hits: list[SearchHit]) -> None:
        await self._kv.set(
            self._key(await self._prefix(), phrase), _ENCODE.encode(hits).decode(), self._ttl_s
        )

    async def invalidate(self) -> None:
        """Aliases changed at run time: every instance sees a new generation within a few seconds."""
        self._generation = str(await self._kv.incr("match:generation"))
        self._generation_read = time.monotonic()
