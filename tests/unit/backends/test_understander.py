"""The Understander with the real grammar and matcher; search and LLM are scripted collaborators here
(their real clients are covered by tests/contract and tests/integration/test_backends_*)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from matcher.index import SearchHit
from matcher.parser import CONFIDENCE_THRESHOLD, Parser
from matcher.resolver import ExerciseMatcher
from models.parsed import Alternative, ExerciseRef, ParsedSet
from server.backends.kv import MemoryKV
from server.backends.llm import Extraction, ExtractionRequest, Invocation
from server.backends.match_cache import MatchCache
from server.backends.search import SearchUnavailable
from server.backends.search.base import Document, Progress
from server.understand import Understander

__all__: list[str] = []

CONFIDENT = "squat 225 for 5"
UNSURE = "lat thing 120 for 10"


@pytest.fixture(scope="module")
def matcher() -> ExerciseMatcher:
    return ExerciseMatcher.from_fixtures()


@pytest.fixture(scope="module")
def parser(matcher: ExerciseMatcher) -> Parser:
    return Parser(matcher)


class ScriptedSearch:
    """A remote index that answers from the matcher's own search (or fails), counting its calls."""

    name = "scripted"
    remote = True

    def __init__(self, matcher: ExerciseMatcher, fail: str | None = None) -> None:
        self.matcher = matcher
        self.fail = fail
        self.queries: list[str] = []

    async def search(self, phrase: str, *, limit: int = 10) -> list[SearchHit]:
        self.queries.append(phrase)
        if self.fail:
            raise SearchUnavailable(self.name, "scripted outage", status=self.fail)
        return [SearchHit(id=a.id, score=a.score) for a in self.matcher.search(phrase, limit=limit)]

    async def reindex(
        self, index: str, documents: Sequence[Document], *, progress: Progress | None = None
    ) -> int:
        return 0

    async def aclose(self) -> None:
        return None


class ScriptedLLM:
    name = "scripted"

    def __init__(self, answer: ParsedSet | None, status: str = "ok") -> None:
        self.answer = answer
        self.status = status
        self.requests: list[tuple[ExtractionRequest, str | None]] = []

    async def extract(self, request: ExtractionRequest, *, model: str | None = None) -> Extraction:
        self.requests.append((request, model))
        return Extraction(
            parsed=self.answer if self.status == "ok" else None,
            invocation=Invocation(
                model=model or "base",
                latency_ms=12.0,
                status=self.status,  # type: ignore[arg-type]
                prompt_tokens=300,
                completion_tokens=40,
                error=None if self.status == "ok" else "scripted",
            ),
        )

    async def aclose(self) -> None:
        return None


async def test_embedded_default_is_exactly_the_parser(parser: Parser) -> None:
    u = await Understander(parser).understand(CONFIDENT, unit="lb")
    expected = parser.parse(CONFIDENT, unit="lb")
    assert u.result.parsed == expected.parsed
    assert u.model_used == "grammar"
    assert u.path == ["search:embedded", "grammar"]
    assert u.invocations == []


async def test_remote_hits_are_cached_by_normalized_phrase(parser: Parser, matcher: ExerciseMatcher) -> None:
    search = ScriptedSearch(matcher)
    cache = MatchCache(MemoryKV(), backend="scripted")
    und = Understander(parser, search=search, cache=cache, normalize=lambda p: " ".join(matcher.normalize(p)))
    first = await und.understand("barbell squats 100 for 5", unit="kg")
    second = await und.understand("Barbell Squat, 110 for 3", unit="kg")
    assert first.path == ["cache:miss", "search:scripted", "grammar"]
    assert second.path == ["cache:hit", "grammar"]
    assert len(search.queries) == 1
    assert first.result.parsed.exercise == second.result.parsed.exercise
    assert first.result.parsed.exercise is not None
    assert "search" in first.result.trace.stages_ms
    assert first.result.trace.stages_ms["match"] >= first.result.trace.stages_ms["search"]


@pytest.mark.parametrize("status", ["timeout", "error", "rate_limited"])
async def test_remote_outage_falls_back_to_embedded(
    parser: Parser, matcher: ExerciseMatcher, status: str
) -> None:
    und = Understander(
        parser, search=ScriptedSearch(matcher, fail=status), cache=MatchCache(MemoryKV(), backend="s")
    )
    u = await und.understand(CONFIDENT, unit="lb")
    assert u.path == ["cache:miss", f"search:scripted:{status}", "search:embedded", "grammar"]
    assert u.result.parsed == parser.parse(CONFIDENT, unit="lb").parsed


async def test_llm_is_not_asked_when_the_grammar_is_sure(parser: Parser) -> None:
    llm = ScriptedLLM(ParsedSet(intent="log_set"))
    u = await Understander(parser, extractor=llm).understand(CONFIDENT, unit="lb")
    assert parser.parse(CONFIDENT, unit="lb").parsed.confidence >= CONFIDENCE_THRESHOLD
    assert llm.requests == [] and u.model_used == "grammar" and u.invocations == []


async def test_llm_answer_serves_an_unsure_utterance(parser: Parser) -> None:
    grammar = parser.parse(UNSURE, unit="lb")
    assert grammar.parsed.confidence < CONFIDENCE_THRESHOLD
    answer = ParsedSet(
        intent="log_set",
        exercise=ExerciseRef(id="Wide-Grip_Lat_Pulldown", name="Wide-Grip Lat Pulldown"),
        reps=10,
        weight=120.0,
        unit="lb",
        confidence=0.8,
    )
    llm = ScriptedLLM(answer)
    previous = ParsedSet(intent="log_set", weight=100.0, unit="lb", reps=8)

    async def active_model() -> str | None:
        return "ft:gpt-4o-mini:voicelog::7"

    und = Understander(parser, extractor=llm, model=active_model)
    u = await und.understand(UNSURE, unit="lb", previous=previous, recent=["Seated_Cable_Rows"])
    assert u.model_used == "ft:gpt-4o-mini:voicelog::7"
    assert u.path == ["search:embedded", "grammar", "llm"]
    assert u.result.parsed.exercise == answer.exercise
    assert u.result.parsed.weight == 120.0
    assert all(a.id != "Wide-Grip_Lat_Pulldown" for a in u.result.parsed.alternatives)
    assert [i.status for i in u.invocations] == ["ok"] and u.invocations[0].prompt_tokens == 300
    request, model = llm.requests[0]
    assert model == "ft:gpt-4o-mini:voicelog::7"
    assert "Wide-Grip_Lat_Pulldown" in [c.id for c in request.candidates]
    assert request.previous == previous and request.recent == ["Seated_Cable_Rows"]
    assert request.grammar == grammar.parsed
    assert "llm" in u.result.trace.stages_ms


@pytest.mark.parametrize("status", ["timeout", "rate_limited", "error", "invalid"])
async def test_llm_failure_keeps_the_grammar(parser: Parser, status: str) -> None:
    llm = ScriptedLLM(None, status=status)
    u = await Understander(parser, extractor=llm).understand(UNSURE, unit="lb")
    assert u.result.parsed == parser.parse(UNSURE, unit="lb").parsed
    assert u.model_used == "grammar"
    assert u.path[-1] == f"llm:{status}"
    assert [i.status for i in u.invocations] == [status]


async def test_llm_gets_suggestions_when_the_phrase_matched_nothing(parser: Parser) -> None:
    text = "zzqx blorp 5"
    grammar = parser.parse(text, unit="lb")
    assert grammar.trace.candidates == [] and grammar.parsed.confidence < CONFIDENCE_THRESHOLD
    offered = [Alternative(id="Barbell_Squat", name="Barbell Squat", score=0.2)]
    seen: list[str] = []

    def suggest(phrase: str) -> list[Alternative]:
        seen.append(phrase)
        return offered

    llm = ScriptedLLM(None, status="timeout")
    await Understander(parser, extractor=llm, suggest=suggest).understand(text, unit="lb")
    request, _ = llm.requests[0]
    assert request.candidates == offered
    assert seen and "blorp" in seen[0]
