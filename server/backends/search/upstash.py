"""Upstash Search through the `upstash-search` SDK (UPSTASH_SEARCH_REST_URL / _TOKEN).

The hot path sends `inputEnrichment: false` (query rewriting costs an LLM round trip and turns
"skull crushes" into prose) and a tuned `semanticWeight`; every call is bounded by `timeout_s`
because the SDK's own timeout is ten minutes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from server.backends.errors import import_or_explain
from server.backends.search.base import Document, Progress, SearchHit, SearchUnavailable
from server.backends.search.documents import EXERCISES_INDEX

__all__ = ["DEFAULT_SEMANTIC_WEIGHT", "UpstashSearch"]

# Best end to end in the sweep of benchmarks/match_backends.py (0.9 and 1.0 tie; 0.9 keeps some keyword
# signal for exact tokens). Measured against the local stand-in, not Upstash: re-run it on the real service.
DEFAULT_SEMANTIC_WEIGHT = 0.9
_BATCH = 100


class UpstashSearch:
    name = "upstash-search"
    remote = True

    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout_s: float = 0.3,
        semantic_weight: float = DEFAULT_SEMANTIC_WEIGHT,
        index: str = EXERCISES_INDEX,
    ) -> None:
        sdk = import_or_explain("upstash_search", package="upstash-search", setting="UPSTASH_SEARCH_REST_URL")
        self._errors = import_or_explain(
            "upstash_search.errors", package="upstash-search", setting="UPSTASH_SEARCH_REST_URL"
        )
        # retries=0: the SDK retries only transport errors, sleeping a second each; we fall back instead.
        self._client = sdk.AsyncSearch(url, token, retries=0, retry_interval=0.0, allow_telemetry=False)
        self._timeout_s = timeout_s
        self.semantic_weight = semantic_weight
        self._index = index

    async def _call(self, coro: Any, timeout_s: float | None = None) -> Any:
        try:
            return await asyncio.wait_for(coro, timeout_s or self._timeout_s)
        except TimeoutError as exc:
            raise SearchUnavailable(self.name, "timed out", status="timeout") from exc
        except self._errors.UpstashError as exc:
            text = str(exc)
            status = "rate_limited" if "limit" in text.lower() else "error"
            raise SearchUnavailable(self.name, text, status=status) from exc
        except Exception as exc:  # transport errors, non-JSON 5xx pages
            raise SearchUnavailable(self.name, f"{type(exc).__name__}: {exc}") from exc

    async def search(self, phrase: str, *, limit: int = 10) -> list[SearchHit]:
        results = await self._call(
            self._client.index(self._index).search(
                phrase, limit=limit, semantic_weight=self.semantic_weight, input_enrichment=False
            )
        )
        return [SearchHit(id=r.id, score=max(0.0, min(1.0, float(r.score)))) for r in results]

    async def reindex(
        self, index: str, documents: Sequence[Document], *, progress: Progress | None = None
    ) -> int:
        target = self._client.index(index)
        slow = max(self._timeout_s, 30.0)  # bulk writes are not on the hot path
        await self._call(target.reset(), slow)
        done = 0
        for start in range(0, len(documents), _BATCH):
            batch = documents[start : start + _BATCH]
            await self._call(
                target.upsert([{"id": d.id, "content": d.content, "metadata": d.metadata} for d in batch]),
                slow,
            )
            done += len(batch)
            if progress is not None:
                progress(done, len(documents))
        info = await self._call(self._client.info(), slow)
        found = info.indexes.get(index)
        return found.document_count if found is not None else done

    async def aclose(self) -> None:
        # The SDK exposes no close(); its httpx client sits on the requester.
        http = getattr(getattr(self._client, "_requester", None), "_client", None)
        if http is not None:
            await http.aclose()
