"""POST /v1/coach over real HTTP on both databases: without an LLM (the retrieved cues, labelled as
retrieval) and with the local OpenAI wire-format server (the prompt carries the lifter's context and the
retrieved chunks; citations point at real chunks; every call is an agent_invocations row)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from server.coach.chunks import exercise_cue_chunks, knowledge_chunks
from tests.fakes.openai_chat import FakeOpenAI, openai_error
from tests.integration.conftest import Api, LiveServer, running_server

REAL = {c.ref: c for c in knowledge_chunks() + exercise_cue_chunks()}
SHOULDER = {
    "constraints": [
        {
            "id": "sh1",
            "type": "injury",
            "label": "left shoulder impingement",
            "affectedAreas": ["left shoulder"],
            "modifications": ["no overhead pressing"],
        }
    ],
    "preferences": {"coachingTone": "clinical"},
}


def ask(api: Api, question: str) -> dict[str, Any]:
    r = api.http.post("/v1/coach", json={"question": question})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_without_an_llm_the_answer_is_the_cited_cues(api: Api) -> None:
    out = ask(api, "how do I stop my knees caving on squats?")
    assert out["llm"] is False
    first = out["citations"][0]
    assert (first["source"], first["id"]) == ("knowledge_base", "squat-knee-valgus")
    for c in out["citations"]:
        chunk = REAL[f"{c['source']}:{c['id']}"]  # every citation is a real chunk
        assert c["title"] == chunk.title and chunk.title in out["answer"]
    assert "no language model" in out["answer"]
    assert "push the knees out" in out["answer"]


def test_an_active_shoulder_injury_puts_a_warning_on_overhead_advice(api: Api) -> None:
    assert api.http.put("/v1/profile", json=SHOULDER).status_code == 200
    out = ask(api, "how do I fix my overhead press bar path?")
    assert out["answer"].startswith("Relevant guidance")  # the clinical tone
    assert "Caution" in out["answer"] and "left shoulder impingement" in out["answer"]
    assert out["warnings"] and "no overhead pressing" in out["warnings"][0]
    r = api.http.patch(
        "/v1/profile",
        json=[{"op": "replace", "path": "/constraints/0/status", "value": "resolved"}],
        headers={"Content-Type": "application/json-patch+json"},
    )
    assert r.status_code == 200
    assert ask(api, "how do I fix my overhead press bar path?")["warnings"] == []


def test_the_lifters_own_history_is_retrieved_and_cited(api: Api) -> None:
    wid = api.workout()
    api.say(wid, "barbell squat 140 kg for 3")
    out = ask(api, "what's my best squat?")
    top = out["citations"][0]
    assert (top["source"], top["id"]) == ("history", "Barbell_Squat")
    assert "140 kg × 3" in out["answer"]


def test_conversations_and_their_messages_are_kept(api: Api, other: Api) -> None:
    first = ask(api, "how long should I rest between heavy sets?")
    conversation = first["conversation_id"]
    r = api.http.post("/v1/coach", json={"question": "and for curls?", "conversation_id": conversation})
    assert r.status_code == 200 and r.json()["conversation_id"] == conversation
    kept = api.http.get(f"/v1/coach/conversations/{conversation}").json()
    messages = kept["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"]
    assert messages[0]["content"] == "how long should I rest between heavy sets?"
    assert messages[1]["id"] == first["message_id"] and messages[1]["content"] == first["answer"]
    assert messages[1]["citations"] == first["citations"] and messages[1]["llm"] is False
    assert messages[1]["latency_ms"] > 0 and messages[1]["model"] is None
    assert other.http.get(f"/v1/coach/conversations/{conversation}").status_code == 404
    r = other.http.post("/v1/coach", json={"question": "hi", "conversation_id": conversation})
    assert r.status_code == 404
    assert len(api.http.get(f"/v1/coach/conversations/{conversation}").json()["messages"]) == 4


def test_bad_questions_are_refused(api: Api) -> None:
    assert api.http.post("/v1/coach", json={}).status_code == 400
    assert api.http.post("/v1/coach", json={"question": ""}).status_code == 400
    assert api.http.post("/v1/coach", json={"question": "   "}).status_code == 400
    assert api.http.post("/v1/coach", json={"question": "x", "extra": 1}).status_code == 400
    assert api.http.post("/v1/coach", json={"question": 5}).status_code == 400


def coach_reply(body: dict[str, Any]) -> dict[str, Any]:
    case = json.loads(body["messages"][-1]["content"])
    refs = [c["ref"] for c in case["chunks"]]
    return {
        "answer": f"Model answer to: {case['question']}",
        "citations": [refs[0], "knowledge_base:made-up"],
    }


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI(respond=coach_reply).start()
    yield fake
    fake.close()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def llm_server(
    request: pytest.FixtureRequest, llm: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    env = {
        "OPENAI_API_KEY": llm.api_key,
        "OPENAI_BASE_URL": llm.base_url,
        "VOICELOG_LLM_MODEL": "coach-model",
    }
    with running_server(request, tmp_path_factory, "coach", env) as live:
        yield live


@pytest.fixture
def llm_api(llm_server: LiveServer, llm: FakeOpenAI) -> Iterator[Api]:
    llm.forced, llm.delay_s, llm.respond = None, 0.0, coach_reply
    llm.requests.clear()
    client = Api(llm_server, *llm_server.create_user())
    yield client
    client.close()


def test_the_prompt_carries_the_context_and_the_retrieved_chunks(
    llm_api: Api, llm_server: LiveServer, llm: FakeOpenAI
) -> None:
    assert (
        llm_api.http.put("/v1/profile", json={**SHOULDER, "goals": {"primaryGoal": "strength"}}).status_code
        == 200
    )
    out = ask(llm_api, "how do I stop my knees caving on squats?")
    assert out["llm"] is True and out["model"] == "coach-model"
    assert out["answer"] == "Model answer to: how do I stop my knees caving on squats?"
    # The model cited one real chunk and one it made up: only the real one is cited.
    assert [(c["source"], c["id"]) for c in out["citations"]] == [("knowledge_base", "squat-knee-valgus")]

    (request,) = [body for path, _, body in llm.requests if path.endswith("/chat/completions")]
    system, user = request["messages"]
    context = llm_api.http.get("/v1/profile/context").json()["prose"]
    assert system["role"] == "system" and system["content"].endswith(context)
    assert "- GOAL: strength" in system["content"] and "left shoulder impingement" in system["content"]
    case = json.loads(user["content"])
    assert case["question"] == "how do I stop my knees caving on squats?"
    assert case["chunks"][0]["ref"] == "knowledge_base:squat-knee-valgus"
    assert case["chunks"][0]["text"] == REAL["knowledge_base:squat-knee-valgus"].text
    rows = llm_server.query(
        "SELECT id, agent, model, status, prompt_tokens FROM agent_invocations WHERE user_id = :u",
        u=llm_api.user_id,
    )
    ((invocation_id, agent, model, status, prompt_tokens),) = rows
    assert (agent, model, status) == ("coach", "coach-model", "ok") and prompt_tokens > 0
    (message,) = llm_server.query(
        "SELECT model, prompt_tokens, completion_tokens, invocation_id FROM coach_messages WHERE id = :m",
        m=out["message_id"],
    )
    assert message == ("coach-model", prompt_tokens, message[2], invocation_id) and message[2] > 0

    # A follow-up carries the conversation's earlier turns between the rules and the new question.
    llm.requests.clear()
    follow = {"question": "and what about front squats?", "conversation_id": out["conversation_id"]}
    assert llm_api.http.post("/v1/coach", json=follow).status_code == 200
    (request,) = [body for path, _, body in llm.requests if path.endswith("/chat/completions")]
    roles = [m["role"] for m in request["messages"]]
    assert roles == ["system", "user", "assistant", "user"]
    assert request["messages"][1]["content"] == "how do I stop my knees caving on squats?"
    assert request["messages"][2]["content"] == out["answer"]


def test_a_failed_model_call_falls_back_to_the_cues_and_is_recorded(
    llm_api: Api, llm_server: LiveServer, llm: FakeOpenAI
) -> None:
    llm.forced = openai_error(500, "boom", "server_error")
    out = ask(llm_api, "how long should I rest between heavy sets?")
    assert out["llm"] is False and "no language model" in out["answer"]
    assert out["citations"][0]["id"] == "rest-intervals"
    rows = llm_server.query(
        "SELECT agent, status FROM agent_invocations WHERE user_id = :u", u=llm_api.user_id
    )
    assert rows == [("coach", "error")]


def test_a_plain_text_answer_is_kept_and_cites_the_chunks_shown(llm_api: Api, llm: FakeOpenAI) -> None:
    from tests.fakes.http import json_reply

    def prose(body: dict[str, Any]) -> Any:
        message = {"role": "assistant", "content": "Push your knees out.", "refusal": None}
        usage = {"prompt_tokens": 5, "completion_tokens": 4, "total_tokens": 9}
        choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}
        return json_reply(
            200,
            {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [choice],
                "usage": usage,
            },
        )

    llm.respond = prose
    out = ask(llm_api, "how do I stop my knees caving on squats?")
    assert out["llm"] is True and out["answer"] == "Push your knees out."
    assert out["citations"][0]["id"] == "squat-knee-valgus"
