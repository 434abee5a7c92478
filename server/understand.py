"""From text to a ParsedSet on the server: the grammar, plus cached remote search and an LLM fallback.

`understand` reads the utterance with the grammar, fetches exercise candidates for the phrase from
a remote index when one is configured (through the match cache; the embedded index on any failure),
resolves, and only when the result is under the confidence threshold asks the LLM, keeping the
grammar's result whenever the LLM does not answer usefully. Every stage that ran is named in
`path`, and every LLM call comes back in `invocations` for the pipeline to persist.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from models.parsed import Alternative, ParsedSet, ParseResult, Unit
from server.backends.errors import BackendUnavailable
from server.backends.llm.base import ExtractionRequest, Invocation
from server.impossible_numbers import impossible_number

if TYPE_CHECKING:
    from matcher.index import SearchHit
    from matcher.parser import Parser
    from server.backends.llm.base import Extractor
    from server.backends.match_cache import MatchCache
    from server.backends.search.base import SearchIndex

__all__ = ["Understander", "Understanding"]

log = logging.getLogger(__name__)

# How many remote candidates to fuse: enough for the right id to be there when the phrase is garbled.
_REMOTE_POOL = 30
_LLM_CANDIDATES = 6
_IMPOSSIBLE_CONFIDENCE = 0.2


class Understanding(msgspec.Struct, kw_only=True):
    """A parse and the path that produced it.

    `model_used` is what finally served the result ("grammar", or an LLM model name);
    `path` lists every stage that ran, e.g. ["search:embedded", "grammar"] or
    ["cache:miss", "search:upstash-search:timeout", "search:embedded", "grammar", "llm:timeout"];
    "kv:redis:down" first while the shared store is down and an in-process one serves.
    `invocations` are the LLM calls made, for the agent_invocations table.
    """

    result: ParseResult
    model_used: str = "grammar"
    path: list[str] = msgspec.field(default_factory=list)
    invocations: list[Invocation] = msgspec.field(default_factory=list)
    impossible: str | None = None
    """the question to ask when the text holds a number no set can hold ("1e999", "-5", "rpe 9.75")"""


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000.0, 3)


class Understander:
    def __init__(
        self,
        parser: Parser,
        *,
        search: SearchIndex | None = None,
        cache: MatchCache | None = None,
        extractor: Extractor | None = None,
        model: Callable[[], Awaitable[str | None]] | None = None,
        threshold: float | None = None,
        normalize: Callable[[str], str] | None = None,
        suggest: Callable[[str], list[Alternative]] | None = None,
        kv: Any = None,
        profile_context: Callable[[str], Awaitable[str | None]] | None = None,
    ) -> None:
        """`search` None or embedded: the matcher's own index. `model` names the LLM model to ask
        (an active fine-tuned one), None meaning the extractor's base model. `normalize` turns an
        exercise phrase into its cache key. `suggest` gives LLM candidates when the phrase matched none.
        `kv`, when it can degrade (ResilientKV), is named in the path while it serves from memory.
        `profile_context(user_id)` gives the lifter's AI context prose the LLM receives as system context."""
        if threshold is None:
            from matcher.parser import CONFIDENCE_THRESHOLD

            threshold = CONFIDENCE_THRESHOLD
        self._parser = parser
        self._search = search if search is not None and search.remote else None
        self._cache = cache
        self._extractor = extractor
        self._model = model
        self.threshold = threshold
        self._normalize = normalize or (lambda phrase: " ".join(phrase.lower().split()))
        self._suggest = suggest
        self._kv = kv
        self._profile_context = profile_context

    @property
    def extractor(self) -> Extractor | None:
        return self._extractor

    async def aclose(self) -> None:
        if self._extractor is not None:
            await self._extractor.aclose()

    async def understand(
        self,
        text: str,
        *,
        unit: Unit,
        previous: ParsedSet | None = None,
        recent: Sequence[str] = (),
        user_id: str | None = None,
        own: Mapping[str, str] | None = None,
        spoken: bool = False,
        own_names: Mapping[str, str] | None = None,
    ) -> Understanding:
        """`own`: the lifter's own aliases (phrase -> exercise id), learned from their corrections, and
        their custom exercises' names and aliases; `own_names`: those custom exercises' names by id;
        `spoken`: `text` is a transcript (words no name knows are not trusted as talk)."""
        path: list[str] = []
        if getattr(self._kv, "degraded", False):
            path.append(f"kv:{self._kv.name}:down")
        reading = self._parser.read(text, unit=unit, previous=previous)
        hits: list[SearchHit] | None = None
        search_ms = 0.0
        if self._search is not None and reading.exercise_phrase and reading.intent != "undo":
            t0 = time.perf_counter()
            hits = await self._remote_hits(reading.exercise_phrase, path)
            search_ms = _ms(t0)
        if hits is None:
            path.append("search:embedded")
        result = self._parser.resolve(
            reading, recent=recent, hits=hits, own=own, spoken=spoken, own_names=own_names
        )
        path.append("grammar")
        if search_ms:
            # Waiting on the remote index is matching time: it belongs in the `match` stage.
            result.trace.stages_ms["search"] = search_ms
            result.trace.stages_ms["match"] = round(result.trace.stages_ms.get("match", 0.0) + search_ms, 3)
        understanding = Understanding(result=result, model_used="grammar", path=path)
        if (question := impossible_number(text)) is not None:
            # Whatever the grammar made of it is something else than what was written: say so in the
            # confidence, and spend no LLM call on a guess.
            understanding.impossible = question
            result.parsed.confidence = min(result.parsed.confidence, _IMPOSSIBLE_CONFIDENCE)
            result.trace.notes.append(f"impossible number: {question}")
            return understanding
        if self._extractor is not None and result.parsed.confidence < self.threshold:
            await self._ask_llm(understanding, text, unit, previous, recent, user_id)
        return understanding

    async def _remote_hits(self, phrase: str, path: list[str]) -> list[SearchHit] | None:
        assert self._search is not None
        key = self._normalize(phrase)
        if self._cache is not None and key:
            try:
                cached = await self._cache.get(key)
            except Exception as exc:  # a cache fault costs a round trip, never the utterance
                log.warning("match cache read failed: %s", exc)
                cached = None
                path.append("cache:error")
            else:
                path.append("cache:hit" if cached is not None else "cache:miss")
            if cached is not None:
                return cached
        try:
            hits = await self._search.search(phrase, limit=_REMOTE_POOL)
        except BackendUnavailable as exc:
            log.warning("remote search unavailable, using the embedded index: %s", exc)
            path.append(f"search:{self._search.name}:{exc.status}")
            return None
        path.append(f"search:{self._search.name}")
        if self._cache is not None and key:
            try:
                await self._cache.put(key, hits)
            except Exception as exc:
                log.warning("match cache write failed: %s", exc)
        return hits

    async def _context(self, user_id: str | None) -> str | None:
        if self._profile_context is None or user_id is None:
            return None
        try:
            return await self._profile_context(user_id)
        except Exception as exc:  # the profile only helps: without it the model still reads the turn
            log.warning("could not build the lifter's context for the LLM: %s", exc)
            return None

    async def _ask_llm(
        self,
        understanding: Understanding,
        text: str,
        unit: Unit,
        previous: ParsedSet | None,
        recent: Sequence[str],
        user_id: str | None = None,
    ) -> None:
        assert self._extractor is not None
        result = understanding.result
        candidates = list(result.trace.candidates)
        if not candidates and self._suggest is not None:
            candidates = self._suggest(result.trace.exercise_phrase or result.trace.normalized or text)
        request = ExtractionRequest(
            text=text,
            unit=unit,
            grammar=result.parsed,
            candidates=candidates[:_LLM_CANDIDATES],
            previous=previous,
            recent=list(recent)[:10],
            context=await self._context(user_id),
        )
        model = None
        if self._model is not None:
            try:
                model = await self._model()
            except Exception as exc:
                log.warning("could not read the active fine-tuned model, using the base model: %s", exc)
        t0 = time.perf_counter()
        extraction = await self._extractor.extract(request, model=model)
        result.trace.stages_ms["llm"] = _ms(t0)
        invocation = extraction.invocation
        understanding.invocations.append(invocation)
        if extraction.parsed is None:
            understanding.path.append(f"llm:{invocation.status}")
            result.trace.notes.append(
                f"llm {invocation.model}: {invocation.status}; kept the grammar's reading"
            )
            return
        parsed = extraction.parsed
        chosen = parsed.exercise.id if parsed.exercise is not None else None
        # Alternatives come from the matcher's evidence, not the model's imagination.
        parsed.alternatives = [c for c in candidates if c.id != chosen][:4]
        understanding.path.append("llm")
        understanding.model_used = invocation.model
        result.trace.notes.append(f"llm {invocation.model} answered; grammar said {_brief(result.parsed)}")
        understanding.result = ParseResult(parsed=parsed, trace=result.trace)


def _brief(parsed: ParsedSet) -> str:
    ex = parsed.exercise.id if parsed.exercise is not None else None
    fields: dict[str, Any] = {
        "exercise": ex,
        "reps": parsed.reps,
        "weight": parsed.weight,
        "confidence": parsed.confidence,
    }
    return ", ".join(f"{k}={v}" for k, v in fields.items() if v is not None)
