"""Training questions said aloud (issue 15), answered from the lifter's data over REST and the websocket:
"what's my bench PR", "what did I do last time on squats", "what should I hit next"."""

from __future__ import annotations

import asyncio

from tests.integration.conftest import Api, LiveServer
from tests.integration.test_stream import Stream


def test_pr_last_time_and_next_are_answered_from_the_data(api: Api) -> None:
    wid = api.workout()
    assert api.say(wid, "bench press 185 for 5")["action"] == "logged"
    assert api.say(wid, "bench press 205 for 3")["action"] == "logged"
    assert api.say(wid, "barbell squat 225 for 5")["action"] == "logged"

    out = api.say(wid, "what's my bench PR")
    assert out["action"] == "answered" and out["sets"] == []
    # heaviest 205 × 3; best Epley e1rm 205 × (1 + 3/30) = 225.5 against 185 × (1 + 5/30) = 215.8
    assert "205 lb × 3" in out["reply"] and "225.5 lb" in out["reply"], out["reply"]

    out = api.say(wid, "what did I do last time on squats?")
    assert out["action"] == "answered"
    assert "Squat" in out["reply"] and "1 set: 225 lb × 5" in out["reply"], out["reply"]

    out = api.say(wid, "what should I hit next")  # the exercise in hand: the squat
    assert out["action"] == "answered"
    assert "Squat" in out["reply"] and "225 lb × 5" in out["reply"], out["reply"]
    out = api.say(wid, "what should I do next week?")  # names no exercise: the coach's question
    assert out["action"] == "answered" and not out["reply"].startswith("Next set of")
    assert len(api.sets(wid)) == 3  # no question became a set


def test_a_training_question_over_the_websocket(live: LiveServer, api: Api) -> None:
    wid = api.workout()
    assert api.say(wid, "deadlift 315 for 5")["action"] == "logged"

    async def run() -> dict[str, object]:
        s = await Stream.open(live, api.token, wid)
        await s.start()
        await s.send({"type": "text", "text": "what's my deadlift PR?"})
        event = await s.until("answer", "logged", "clarify")
        await s.close()
        return event

    event = asyncio.run(run())
    assert event["type"] == "answer" and event["action"] == "answered"
    assert "315 lb × 5" in str(event["text"]), event
