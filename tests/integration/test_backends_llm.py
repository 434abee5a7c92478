"""A live server with the LLM fallback on the real `openai` SDK against a local server speaking
OpenAI's wire format: asked only when the grammar is unsure, its answer logged with `model_used`,
an active fine-tuned model preferred, and a slow or failing model costing at most the timeout."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.live import live_server, voice_command
from tests.fakes.openai_chat import FakeOpenAI, openai_error
from tests.integration.conftest import Api, LiveServer

__all__: list[str] = []

SURE = "squat 100 for 5"
UNSURE = "zzqx blorp 50 for 10"  # nothing the grammar or matcher can place


def model_answer(body: dict[str, Any]) -> dict[str, Any]:
    """Plays a model that reads the prompt: the numbers from the grammar's reading, a catalog id."""
    case = json.loads(body["messages"][-1]["content"])
    grammar = case["grammar_reading"]
    return {
        "intent": "log_set",
        "exercise": {"id": "Wide-Grip_Lat_Pulldown", "name": "?"},
        "alternatives": [],
        "sets": 1,
        "reps": grammar["reps"],
        "weight": grammar["weight"],
        "unit": grammar["unit"] or case["default_unit"],
        "rpe": None,
        "duration_s": None,
        "confidence": 0.82,
    }


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI(respond=model_answer).start()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def server(llm: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    env = {
        "OPENAI_API_KEY": llm.api_key,
        "OPENAI_BASE_URL": llm.base_url,
        "VOICELOG_LLM_MODEL": "base-model",
        "VOICELOG_LLM_TIMEOUT_S": "0.8",
    }
    with live_server(tmp_path_factory.mktemp("llm-live"), env) as live:
        yield live


@pytest.fixture
def api(server: LiveServer, llm: FakeOpenAI) -> Iterator[Api]:
    llm.forced, llm.delay_s, llm.respond = None, 0.0, model_answer
    client = Api(server, *server.create_user())
    yield client
    client.close()


def chat_requests(llm: FakeOpenAI) -> list[dict[str, Any]]:
    return [body for path, _, body in llm.requests if path == "/v1/chat/completions"]


def test_a_sure_utterance_never_asks_the_llm(api: Api, llm: FakeOpenAI) -> None:
    before = len(chat_requests(llm))
    out = api.say(api.workout(), SURE)
    assert out["sets"]
    assert len(chat_requests(llm)) == before
    assert voice_command(api, out["voice_command_id"])["model_used"] == "grammar"


def test_an_unsure_utterance_is_served_by_the_llm(api: Api, llm: FakeOpenAI) -> None:
    workout = api.workout()
    out = api.say(workout, UNSURE)
    assert out["parsed"]["exercise"] == {"id": "Wide-Grip_Lat_Pulldown", "name": "Wide-Grip Lat Pulldown"}
    assert (out["parsed"]["reps"], out["parsed"]["weight"]) == (10, 50.0)
    assert [s["exercise"]["id"] for s in out["sets"]] == ["Wide-Grip_Lat_Pulldown"]
    vc = voice_command(api, out["voice_command_id"])
    assert vc["model_used"] == "base-model"
    assert vc["path"] == ["search:embedded", "grammar", "llm"]
    body = chat_requests(llm)[-1]
    assert body["model"] == "base-model"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert json.loads(body["messages"][-1]["content"])["utterance"] == UNSURE


@pytest.mark.parametrize(
    ("trouble", "status"),
    [
        ("slow", "timeout"),
        (openai_error(429, "Rate limit reached", "requests", "rate_limit_exceeded"), "rate_limited"),
        (openai_error(500, "The server had an error", "server_error"), "error"),
    ],
)
def test_a_failing_llm_costs_at_most_its_timeout(
    api: Api, llm: FakeOpenAI, trouble: Any, status: str
) -> None:
    workout = api.workout()
    if trouble == "slow":
        llm.delay_s = 3.0
    else:
        llm.forced = trouble
    started = time.perf_counter()
    unsure = api.http.post(f"/v1/workouts/{workout}/utterances", json={"text": UNSURE})
    elapsed = time.perf_counter() - started
    sure = api.say(workout, SURE)
    assert unsure.status_code == 201, unsure.text
    assert unsure.json()["sets"] == []  # the grammar's unsure reading: a question, not a guess
    assert elapsed < 2.5
    vc = voice_command(api, unsure.json()["voice_command_id"])
    assert vc["model_used"] == "grammar" and vc["action"] == "clarify"
    assert vc["path"][-1] == f"llm:{status}"
    assert sure["sets"], "sets the grammar is sure of keep being logged while the LLM is down"


def test_an_active_fine_tuned_model_replaces_the_base(
    llm: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = tmp_path_factory.mktemp("llm-ft")
    env = {"OPENAI_API_KEY": llm.api_key, "OPENAI_BASE_URL": llm.base_url, "VOICELOG_LLM_MODEL": "base-model"}
    llm.forced, llm.delay_s, llm.respond = None, 0.0, model_answer
    with live_server(data, env) as live:
        reg = live.cli("llm", "register", "ft:base-model:voicelog::42", "--base", "base-model")
        assert reg.returncode == 0, reg.stderr
        listed = live.cli("llm", "list")
        assert "* ft:base-model:voicelog::42" in listed.stdout
        api = Api(live, *live.create_user())
        try:
            # the server memoizes the registry for 30 s; a fresh server reads it on the first unsure utterance
            out = api.say(api.workout(), UNSURE)
        finally:
            api.close()
        assert voice_command(api, out["voice_command_id"])["model_used"] == "ft:base-model:voicelog::42"
        assert chat_requests(llm)[-1]["model"] == "ft:base-model:voicelog::42"
