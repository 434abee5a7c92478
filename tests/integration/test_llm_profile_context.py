"""The LLM fallback receives the lifter's AI context as system context (issue 16), on both databases:
the prompt's second system message is exactly what `GET /v1/profile/context` serves."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from models.parsed import ParsedSet
from server.backends.llm.base import ExtractionRequest
from server.backends.llm.prompt import SYSTEM_PROMPT, build_messages
from tests.fakes.openai_chat import FakeOpenAI
from tests.integration.conftest import Api, LiveServer, running_server

UNSURE = "qwzx florp 60 for 10"


def answer(body: dict[str, Any]) -> dict[str, Any]:
    grammar = json.loads(body["messages"][-1]["content"])["grammar_reading"]
    return {
        "intent": "log_set",
        "exercise": {"id": "Seated_Cable_Rows", "name": "?"},
        "alternatives": [],
        "sets": 1,
        "reps": grammar["reps"],
        "weight": grammar["weight"],
        "unit": "lb",
        "rpe": None,
        "duration_s": None,
        "confidence": 0.8,
    }


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI(respond=answer).start()
    yield fake
    fake.close()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(
    request: pytest.FixtureRequest, llm: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    env = {
        "OPENAI_API_KEY": llm.api_key,
        "OPENAI_BASE_URL": llm.base_url,
        "VOICELOG_LLM_TIMEOUT_S": "5",
    }
    with running_server(request, tmp_path_factory, "ctx", env) as live:
        yield live


def test_the_fallback_prompt_carries_the_lifters_context(server: LiveServer, llm: FakeOpenAI) -> None:
    api = Api(server, *server.create_user())
    try:
        profile = {
            "goals": {"primaryGoal": "hypertrophy"},
            "constraints": [{"id": "k", "type": "injury", "label": "right knee tendinopathy"}],
        }
        assert api.http.put("/v1/profile", json=profile).status_code == 200
        expected = api.http.get("/v1/profile/context").json()["prose"]  # before the set adds a logged PR
        llm.requests.clear()
        out = api.say(api.workout(), UNSURE)
        assert out["action"] == "logged"
        (body,) = [b for path, _, b in llm.requests if path.endswith("/chat/completions")]
        rules, context, case = body["messages"]
        assert rules == {"role": "system", "content": SYSTEM_PROMPT}
        assert context["role"] == "system"
        assert context["content"] == expected
        assert "- GOAL: hypertrophy" in context["content"] and "right knee tendinopathy" in context["content"]
        assert json.loads(case["content"])["utterance"] == UNSURE
    finally:
        api.close()


def test_without_a_context_the_prompt_is_unchanged() -> None:
    grammar = ParsedSet(
        intent="log_set", exercise=None, sets=1, reps=10, weight=60.0, unit="lb", confidence=0.2
    )
    messages = build_messages(ExtractionRequest(text=UNSURE, unit="lb", grammar=grammar))
    assert [m["role"] for m in messages] == ["system", "user"]
