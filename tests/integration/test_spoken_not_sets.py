"""Utterances that are no set (issue 16), over REST and the websocket on both databases: a profile update
said aloud is kept in the profile's ledger, a question is answered by the coach, and sets still log."""

from __future__ import annotations

import asyncio

from server.coach.voice import is_question
from tests.integration.conftest import Api, LiveServer
from tests.integration.test_stream import Stream


def test_spoken_profile_updates_and_questions_over_rest(api: Api) -> None:
    wid = api.workout()
    out = api.say(wid, "I weigh 82 kilos today")
    assert (out["action"], out["sets"], out["question"]) == ("profile_updated", [], None)
    assert out["reply"] == "Noted in your profile: bodyweight 82 kg."
    assert api.http.get("/v1/profile").json()["metrics"]["bodyweight"] == {"value": 82.0, "unit": "kg"}
    (row,) = api.http.get("/v1/profile/history").json()
    assert (row["source"], row["transcript"]) == ("voice", "I weigh 82 kilos today")

    out = api.say(wid, "how do I stop my knees caving on squats?")
    assert out["action"] == "answered" and out["sets"] == []
    assert "push the knees out" in out["reply"]
    record = api.http.get(f"/v1/voice-commands/{out['voice_command_id']}").json()
    assert record["action"] == "answered"

    out = api.say(wid, "barbell squat 225 for 5")
    assert out["action"] == "logged" and len(out["sets"]) == 1
    assert len(api.sets(wid)) == 1  # neither the update nor the question made a set


def test_a_question_over_the_websocket_gets_an_answer_event(live: LiveServer, api: Api) -> None:
    async def run() -> dict[str, object]:
        s = await Stream.open(live, api.token, api.workout())
        await s.start()
        await s.send({"type": "text", "text": "how long should I rest between heavy sets?"})
        event = await s.until("answer", "logged", "clarify")
        await s.close()
        return event

    event = asyncio.run(run())
    assert event["type"] == "answer" and event["action"] == "answered"
    assert "3 to 5 minutes" in str(event["text"])


def test_what_counts_as_a_question() -> None:
    assert is_question("how do I brace?") and is_question("should I deload") and is_question("squat depth?")
    assert not is_question("bench 225 for 5") and not is_question("same again")
