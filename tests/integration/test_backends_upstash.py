"""A live server on Upstash Redis and Upstash Search, both through their real SDKs against local
servers speaking their wire formats: reindex from the CLI, cached remote candidates, and each
service failing (5xx, slow) while sets keep being logged and the voice command says what served."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.http import Reply, json_reply
from tests.fakes.live import live_server, path_of
from tests.fakes.upstash_redis import FakeUpstashRedis
from tests.fakes.upstash_search import FakeUpstashSearch
from tests.integration.conftest import Api, LiveServer
from tests.services.redis import redis_server, redis_url  # noqa: F401  (fixtures)

__all__: list[str] = []


@pytest.fixture(scope="module")
def kv_fake(redis_server: object) -> Iterator[FakeUpstashRedis]:  # noqa: F811
    fake = FakeUpstashRedis(redis_server.url).start()  # type: ignore[attr-defined]
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def search_fake() -> Iterator[FakeUpstashSearch]:
    fake = FakeUpstashSearch().start()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def server(
    kv_fake: FakeUpstashRedis, search_fake: FakeUpstashSearch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    env = {
        "UPSTASH_REDIS_REST_URL": kv_fake.url,
        "UPSTASH_REDIS_REST_TOKEN": kv_fake.token,
        "UPSTASH_SEARCH_REST_URL": search_fake.url,
        "UPSTASH_SEARCH_REST_TOKEN": search_fake.token,
        "VOICELOG_SEARCH_TIMEOUT_S": "0.4",
    }
    with live_server(tmp_path_factory.mktemp("upstash-live"), env) as live:
        done = live.cli("search", "reindex")
        assert done.returncode == 0, done.stderr
        yield live


@pytest.fixture
def api(server: LiveServer, kv_fake: FakeUpstashRedis, search_fake: FakeUpstashSearch) -> Iterator[Api]:
    kv_fake.forced = search_fake.forced = None
    kv_fake.delay_s = search_fake.delay_s = 0.0
    client = Api(server, *server.create_user())
    yield client
    client.close()


def test_reindex_uploaded_both_indexes_with_progress(
    server: LiveServer, search_fake: FakeUpstashSearch
) -> None:
    assert len(search_fake.indexes["exercises"].docs) == 873
    assert len(search_fake.indexes["exercise_cues"].docs) > 800
    doc = search_fake.indexes["exercises"].docs["Barbell_Squat"]["content"]
    assert set(doc) == {"name", "aliases", "muscles", "equipment"} and "quadriceps" in doc["muscles"]
    again = server.cli("search", "reindex", "--index", "exercises")
    assert again.returncode == 0
    assert "873/873" in again.stderr  # tqdm's progress bar
    assert "exercises: 873 documents in upstash-search" in again.stdout


def test_remote_candidates_are_cached_in_upstash_redis(api: Api, search_fake: FakeUpstashSearch) -> None:
    workout = api.workout()
    searches = len([r for r in search_fake.requests if r[0].startswith("/search/")])
    first = api.say(workout, "incline dumbbell press 30 for 10")
    second = api.say(workout, "incline dumbbell press 32.5 for 8")
    assert first["sets"] and second["sets"]
    assert first["parsed"]["exercise"]["id"] == second["parsed"]["exercise"]["id"]
    assert path_of(api, first["voice_command_id"]) in (
        ["cache:miss", "search:upstash-search", "grammar"],
        ["cache:hit", "grammar"],  # another test may have searched this phrase already
    )
    assert path_of(api, second["voice_command_id"]) == ["cache:hit", "grammar"]
    new_searches = [r for r in search_fake.requests if r[0].startswith("/search/")][searches:]
    assert len(new_searches) <= 1
    for _, _, body in new_searches:
        assert body["inputEnrichment"] is False


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        (json_reply(500, {"error": "Internal server error", "status": 500}), "error"),
        (Reply(503, b"upstream unavailable", {"Content-Type": "text/plain"}), "error"),
        (json_reply(429, {"error": "ERR max requests limit exceeded", "status": 429}), "rate_limited"),
    ],
)
def test_search_outage_falls_back_to_embedded(
    api: Api, search_fake: FakeUpstashSearch, reply: Reply, status: str
) -> None:
    workout = api.workout()
    with search_fake.outage(reply):
        out = api.say(workout, f"romanian deadlift 100 for {len(status)}")
    assert out["sets"] and out["parsed"]["exercise"]["id"] == "Romanian_Deadlift"
    path = path_of(api, out["voice_command_id"])
    if path[0] != "cache:hit":
        assert path == ["cache:miss", f"search:upstash-search:{status}", "search:embedded", "grammar"]


def test_slow_search_times_out_onto_embedded(api: Api, search_fake: FakeUpstashSearch) -> None:
    search_fake.delay_s = 2.0
    out = api.say(api.workout(), "hack squat 200 for 12")  # a phrase no other test caches
    assert out["sets"]
    assert "search:upstash-search:timeout" in path_of(api, out["voice_command_id"])
    assert out["timing_ms"]["total"] < 1500


def test_upstash_redis_outage_keeps_logging(api: Api, kv_fake: FakeUpstashRedis) -> None:
    workout = api.workout()
    with kv_fake.outage(Reply(502, b"<html>502 Bad Gateway</html>", {"Content-Type": "text/html"})):
        out = api.say(workout, "lat pulldown 120 for 10")
        again = api.say(workout, "lat pulldown 120 for 9")
    assert out["sets"] and again["sets"]
    assert path_of(api, again["voice_command_id"])[0] == "kv:upstash-redis:down"
    assert [s["reps"] for s in api.sets(workout)] == [10, 9]
