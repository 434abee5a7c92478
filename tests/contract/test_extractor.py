"""The Extractor contract against the real `openai` SDK talking to a local server in OpenAI's wire format."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from models.parsed import Alternative, ParsedSet
from server.backends.llm import ExtractionRequest, Extractor
from server.backends.llm.openai_extractor import OpenAIExtractor
from tests.fakes.openai_chat import FakeOpenAI, openai_error

__all__: list[str] = []

CATALOG = {"Barbell_Squat": "Barbell Squat", "Front_Barbell_Squat": "Front Barbell Squat"}


def answer(**fields: Any) -> dict[str, Any]:
    base = {
        "intent": "log_set",
        "exercise": None,
        "alternatives": [],
        "sets": 1,
        "reps": None,
        "weight": None,
        "unit": None,
        "rpe": None,
        "duration_s": None,
        "confidence": 0.9,
    }
    return {**base, **fields}


def request() -> ExtractionRequest:
    return ExtractionRequest(
        text="uh the front one again for five",
        unit="lb",
        grammar=ParsedSet(intent="log_set", reps=5, confidence=0.4),
        candidates=[
            Alternative(id="Front_Barbell_Squat", name="Front Barbell Squat", score=0.55),
            Alternative(id="Barbell_Squat", name="Barbell Squat", score=0.52),
        ],
        previous=ParsedSet(intent="log_set", weight=185.0, unit="lb", reps=3, confidence=0.95),
        recent=["Barbell_Squat"],
    )


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.close()


@pytest.fixture(params=["openai"])
async def extractor(request: pytest.FixtureRequest, fake_openai: FakeOpenAI) -> AsyncIterator[Extractor]:
    impl = OpenAIExtractor(
        api_key=fake_openai.api_key,
        base_url=fake_openai.base_url,
        model="base-model",
        timeout_s=0.5,
        exercise_name=CATALOG.get,
    )
    yield impl
    await impl.aclose()


def last_request(fake: FakeOpenAI) -> dict[str, Any]:
    return fake.requests[-1][2]


async def test_structured_answer_is_used_with_its_cost(extractor: Extractor, fake_openai: FakeOpenAI) -> None:
    fake_openai.respond = lambda body: answer(
        exercise={"id": "Front_Barbell_Squat", "name": "whatever"},
        reps=5,
        weight=185,
        unit="lb",
        confidence=0.85,
    )
    result = await extractor.extract(request())
    assert result.invocation.status == "ok", result.invocation.error
    assert result.parsed is not None
    assert result.parsed.exercise is not None
    assert result.parsed.exercise.id == "Front_Barbell_Squat"
    assert result.parsed.exercise.name == "Front Barbell Squat"  # the catalog's name, not the model's
    assert (result.parsed.reps, result.parsed.weight, result.parsed.unit) == (5, 185.0, "lb")
    inv = result.invocation
    assert inv.model == "base-model"
    assert inv.prompt_tokens and inv.prompt_tokens > 10 and inv.completion_tokens
    assert inv.latency_ms > 0


async def test_request_carries_schema_candidates_and_context(
    extractor: Extractor, fake_openai: FakeOpenAI
) -> None:
    fake_openai.respond = lambda body: answer()
    await extractor.extract(request())
    body = last_request(fake_openai)
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert set(fmt["json_schema"]["schema"]["required"]) >= {"intent", "exercise", "reps", "weight", "unit"}
    case = json.loads(body["messages"][-1]["content"])
    assert [c["id"] for c in case["candidates"]] == ["Front_Barbell_Squat", "Barbell_Squat"]
    assert case["previous_set"]["weight"] == 185.0
    assert case["grammar_reading"]["reps"] == 5
    assert case["utterance"] == "uh the front one again for five"


async def test_model_override_is_sent(extractor: Extractor, fake_openai: FakeOpenAI) -> None:
    fake_openai.respond = lambda body: answer()
    result = await extractor.extract(request(), model="ft:base-model:voicelog::1")
    assert last_request(fake_openai)["model"] == "ft:base-model:voicelog::1"
    assert result.invocation.model == "ft:base-model:voicelog::1"


async def test_invented_exercise_id_is_invalid(extractor: Extractor, fake_openai: FakeOpenAI) -> None:
    fake_openai.respond = lambda body: answer(exercise={"id": "Made_Up_Lift", "name": "Made Up"}, reps=5)
    result = await extractor.extract(request())
    assert result.parsed is None
    assert result.invocation.status == "invalid"
    assert "Made_Up_Lift" in (result.invocation.error or "")


async def test_answer_outside_schema_is_invalid(extractor: Extractor, fake_openai: FakeOpenAI) -> None:
    fake_openai.respond = lambda body: {"intent": "log_set", "reps": "five"}
    result = await extractor.extract(request())
    assert result.parsed is None and result.invocation.status == "invalid"


async def test_refusal_is_invalid(extractor: Extractor, fake_openai: FakeOpenAI) -> None:
    fake_openai.respond = lambda body: {"refusal": "I can't help with that."}
    result = await extractor.extract(request())
    assert result.parsed is None and result.invocation.status == "invalid"
    assert "can't help" in (result.invocation.error or "")


async def test_timeout_is_bounded(extractor: Extractor, fake_openai: FakeOpenAI) -> None:
    fake_openai.respond = lambda body: answer()
    fake_openai.delay_s = 2.0
    started = time.perf_counter()
    result = await extractor.extract(request())
    assert time.perf_counter() - started < 1.2
    assert result.parsed is None and result.invocation.status == "timeout"


@pytest.mark.parametrize(
    ("reply", "status", "words"),
    [
        (
            openai_error(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded"),
            "rate_limited",
            "Rate limit",
        ),
        (openai_error(500, "The server had an error", "server_error"), "error", "HTTP 500"),
        (
            openai_error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
            "error",
            "Incorrect API key",
        ),
    ],
)
async def test_provider_errors_become_statuses(
    extractor: Extractor, fake_openai: FakeOpenAI, reply: Any, status: str, words: str
) -> None:
    with fake_openai.outage(reply):
        result = await extractor.extract(request())
    assert result.parsed is None
    assert result.invocation.status == status
    assert words in (result.invocation.error or "")


async def test_unreachable_endpoint_is_an_error(fake_openai: FakeOpenAI) -> None:
    url = fake_openai.base_url
    fake_openai.close()
    impl = OpenAIExtractor(api_key="sk-test", base_url=url, model="m", timeout_s=0.5)
    result = await impl.extract(request())
    await impl.aclose()
    assert result.parsed is None and result.invocation.status in ("error", "timeout")
