"""The coach's shared chunks through Upstash Search (indexes `knowledge_base` and `exercise_cues`, filled
by `voicelog search reindex`), when UPSTASH_SEARCH_REST_URL is set. Any failure: the embedded index serves."""

from __future__ import annotations

import asyncio
import logging

from server.backends.search.base import SearchUnavailable
from server.backends.search.documents import CUES_INDEX, KNOWLEDGE_INDEX

__all__ = ["RemoteCues"]

log = logging.getLogger(__name__)

# Index name → the chunk source its ids belong to.
_SOURCES = {KNOWLEDGE_INDEX: "knowledge_base", CUES_INDEX: "exercise_cues"}


class RemoteCues:
    name = "upstash-search"

    def __init__(self, url: str, token: str, *, timeout_s: float, semantic_weight: float) -> None:
        from server.backends.search.upstash import UpstashSearch

        self._indexes = {
            index: UpstashSearch(
                url, token, timeout_s=timeout_s, semantic_weight=semantic_weight, index=index
            )
            for index in _SOURCES
        }

    async def search(self, question: str, *, limit: int = 10) -> list[list[str]] | None:
        """One ranking a index of chunk refs ("knowledge_base:squat-depth"); None when unavailable."""
        results = await asyncio.gather(
            *(i.search(question, limit=limit) for i in self._indexes.values()), return_exceptions=True
        )
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:
            if not all(isinstance(r, SearchUnavailable) for r in failed):
                raise failed[0]
            log.warning("coach search on Upstash unavailable, using the embedded index: %s", failed[0])
            return None
        # Scores of two indexes are not on one scale: each ranking is kept apart for rank fusion.
        return [
            [f"{_SOURCES[index]}:{hit.id}" for hit in hits]  # type: ignore[union-attr]
            for index, hits in zip(self._indexes, results, strict=True)
        ]

    async def aclose(self) -> None:
        for index in self._indexes.values():
            await index.aclose()
