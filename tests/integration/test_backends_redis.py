"""A live server on a real redis-server: per-user limits shared through Redis (429 + Retry-After,
websocket `rate_limited`), and Redis going down mid-run without a single set being lost."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
import redis
from websockets.sync.client import connect

from tests.fakes.live import live_server, path_of
from tests.integration.conftest import Api, LiveServer
from tests.services.redis import RedisServer

__all__: list[str] = []

LIMIT = 8


@pytest.fixture(scope="module")
def own_redis() -> Iterator[RedisServer]:
    """A redis-server of this module's own: the outage test kills it."""
    server = RedisServer()
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def server(own_redis: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    env = {
        "VOICELOG_REDIS_URL": own_redis.url,
        "VOICELOG_RATE_LIMIT_UTTERANCES_PER_MINUTE": str(LIMIT),
        "VOICELOG_KV_TIMEOUT_S": "0.2",
    }
    with live_server(tmp_path_factory.mktemp("redis-live"), env) as live:
        yield live


@pytest.fixture
def api(server: LiveServer, own_redis: RedisServer) -> Iterator[Api]:
    if not own_redis._proc:
        own_redis.start()
    client = Api(server, *server.create_user())
    yield client
    client.close()


def test_utterance_limit_answers_429_and_changes_nothing(api: Api, own_redis: RedisServer) -> None:
    workout = api.workout()
    for reps in range(1, LIMIT + 1):
        api.say(workout, f"squat 100 for {reps}")
    before = api.snapshot()
    r = api.http.post(f"/v1/workouts/{workout}/utterances", json={"text": "squat 100 for 9"})
    assert r.status_code == 429, r.text
    assert r.json()["error"]["code"] == "rate_limited"
    # a sliding window counter: the budget spent in this window decays over the next, so at most two
    assert 1 <= int(r.headers["Retry-After"]) <= 120
    assert api.snapshot() == before
    # the budget lives in Redis, where every instance sees it
    # (limits' sliding window: this window's counter; the previous one's appears when the window rolls)
    keys = redis.Redis.from_url(own_redis.url).keys(f"voicelog:rl:*utterance:{api.user_id}*")
    assert len(keys) == 1


def test_limits_are_per_user(api: Api, server: LiveServer) -> None:
    workout = api.workout()
    for reps in range(1, LIMIT + 1):
        api.say(workout, f"bench 60 for {reps}")
    other = Api(server, *server.create_user())
    try:
        assert other.say(other.workout(), "bench 60 for 5")["sets"]
    finally:
        other.close()


def test_websocket_gets_a_rate_limited_event(api: Api, server: LiveServer) -> None:
    workout = api.workout()
    url = server.url.replace("http", "ws") + f"/v1/stream?workout_id={workout}&token={api.token}"
    events: list[dict[str, object]] = []
    with connect(url, open_timeout=10) as ws:
        ws.send(json.dumps({"type": "start", "sample_rate": 16000, "encoding": "pcm_s16le"}))
        assert json.loads(ws.recv(10))["type"] == "ready"
        for reps in range(1, LIMIT + 2):
            ws.send(json.dumps({"type": "text", "text": f"deadlift 140 for {reps}"}))
            events.append(json.loads(ws.recv(10)))
        # the connection stays usable after the error
        ws.send(json.dumps({"type": "stop"}))
    assert [e["type"] for e in events[:LIMIT]] == ["logged"] * LIMIT
    assert events[LIMIT]["type"] == "error" and events[LIMIT]["code"] == "rate_limited"
    assert len(api.sets(workout)) == LIMIT


def test_redis_down_mid_run_keeps_logging(api: Api, own_redis: RedisServer) -> None:
    workout = api.workout()
    first = api.say(workout, "squat 120 for 3")
    assert first["sets"]
    own_redis.stop()
    try:
        for reps in (2, 1):
            out = api.say(workout, f"squat 120 for {reps}")
            assert out["sets"], out
        assert [s["reps"] for s in api.sets(workout)] == [3, 2, 1]
        assert path_of(api, out["voice_command_id"]) == ["kv:redis:down", "search:embedded", "grammar"]
    finally:
        own_redis.start()
    # and it comes back by itself once Redis does (after the wrapper's cool-down)
    deadline = time.monotonic() + 15
    while True:
        out = api.say(workout, "squat 120 for 5")
        if "kv:redis:down" not in path_of(api, out["voice_command_id"]) or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert path_of(api, out["voice_command_id"]) == ["search:embedded", "grammar"]
