"""The default: the matcher's own in-process index behind the SearchIndex Protocol."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from server.backends.search.base import Document, Progress, SearchHit

__all__ = ["EmbeddedSearch"]


class EmbeddedSearch:
    """Wraps `ExerciseMatcher.search`; the index is built from the fixtures when the matcher loads,
    so `reindex` has nothing to upload."""

    name = "embedded"
    remote = False

    def __init__(self, matcher: Any) -> None:
        self._matcher = matcher

    async def search(self, phrase: str, *, limit: int = 10) -> list[SearchHit]:
        found = self._matcher.search(phrase, limit=limit)
        # Fused scores can carry small bonuses past 1.0; the Protocol's scores are 0..1.
        hits = [SearchHit(id=a.id, score=max(0.0, min(1.0, float(a.score)))) for a in found]
        # The matcher ranks with tie-breaks of its own (recent, canonical ids); the Protocol promises
        # hits by descending score, so order by the score it reports.
        return sorted(hits, key=lambda h: -h.score)

    async def reindex(
        self, index: str, documents: Sequence[Document], *, progress: Progress | None = None
    ) -> int:
        if progress is not None:
            progress(len(documents), len(documents))
        return len(documents)

    async def aclose(self) -> None:
        return None
