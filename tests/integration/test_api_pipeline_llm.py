"""The pipeline's side of the LLM fallback, on both databases: an answer the model rescues is logged,
and every model call is persisted in the same transaction as its voice command; a failed call leaves
the lifter asked, with the failure recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.openai_chat import FakeOpenAI, openai_error
from tests.integration.conftest import Api, LiveServer, running_server

UNSURE = "qwzx florp 60 for 10"  # nothing the grammar or matcher can place


def answer(body: dict[str, Any]) -> dict[str, Any]:
    case = json.loads(body["messages"][-1]["content"])
    grammar = case["grammar_reading"]
    return {
        "intent": "log_set",
        "exercise": {"id": "Seated_Cable_Rows", "name": "?"},
        "alternatives": [],
        "sets": 1,
        "reps": grammar["reps"],
        "weight": grammar["weight"],
        "unit": grammar["unit"] or case["default_unit"],
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
        "VOICELOG_LLM_MODEL": "base-model",
        "VOICELOG_LLM_TIMEOUT_S": "2",
    }
    with running_server(request, tmp_path_factory, "llm", env) as live:
        yield live


@pytest.fixture
def api(server: LiveServer, llm: FakeOpenAI) -> Iterator[Api]:
    llm.forced, llm.delay_s, llm.respond = None, 0.0, answer
    client = Api(server, *server.create_user())
    yield client
    client.close()


def invocations(server: LiveServer, command_id: str) -> list[tuple[Any, ...]]:
    return server.query(
        "SELECT model, status, user_id FROM agent_invocations WHERE voice_command_id = :id", id=command_id
    )


def test_rescued_utterance_is_logged_with_its_model_call(api: Api, server: LiveServer) -> None:
    wid = api.workout()
    out = api.say(wid, UNSURE)
    assert out["action"] == "logged"
    (row,) = out["sets"]
    assert (row["exercise"]["id"], row["reps"], row["weight"]) == ("Seated_Cable_Rows", 10, 60)
    record = api.http.get(f"/v1/voice-commands/{out['voice_command_id']}").json()
    assert record["model_used"] == "base-model"
    assert invocations(server, out["voice_command_id"]) == [("base-model", "ok", api.user_id)]


def test_failed_model_call_asks_and_is_recorded(api: Api, server: LiveServer, llm: FakeOpenAI) -> None:
    llm.forced = openai_error(500, "boom", "server_error")
    wid = api.workout()
    out = api.say(wid, UNSURE)
    assert out["action"] == "clarify" and out["sets"] == [] and out["question"]
    record = api.http.get(f"/v1/voice-commands/{out['voice_command_id']}").json()
    assert record["model_used"] == "grammar"
    ((model, status, user_id),) = invocations(server, out["voice_command_id"])
    assert model == "base-model" and status != "ok" and user_id == api.user_id


def test_sure_utterances_make_no_model_call(api: Api, server: LiveServer) -> None:
    out = api.say(api.workout(), "seated cable rows 120 for 12")
    assert out["action"] == "logged"
    assert invocations(server, out["voice_command_id"]) == []
