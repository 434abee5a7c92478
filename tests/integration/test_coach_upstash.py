"""The coach on Upstash Search (its real SDK against the local wire-format server): `voicelog search
reindex` fills `knowledge_base` beside the catalog's indexes, a question searches `knowledge_base` and
`exercise_cues`, and with the service failing the embedded index answers alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.http import json_reply
from tests.fakes.live import live_server
from tests.fakes.upstash_search import FakeUpstashSearch
from tests.integration.conftest import Api, LiveServer


@pytest.fixture(scope="module")
def search_fake() -> Iterator[FakeUpstashSearch]:
    fake = FakeUpstashSearch().start()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def server(search_fake: FakeUpstashSearch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    env = {"UPSTASH_SEARCH_REST_URL": search_fake.url, "UPSTASH_SEARCH_REST_TOKEN": search_fake.token}
    with live_server(tmp_path_factory.mktemp("coach-upstash"), env) as live:
        done = live.cli("search", "reindex")
        assert done.returncode == 0, done.stderr
        assert "knowledge_base: 59 documents" in done.stdout
        yield live


@pytest.fixture
def api(server: LiveServer, search_fake: FakeUpstashSearch) -> Iterator[Api]:
    search_fake.forced, search_fake.delay_s = None, 0.0
    client = Api(server, *server.create_user())
    yield client
    client.close()


def test_a_question_searches_both_coach_indexes(api: Api, search_fake: FakeUpstashSearch) -> None:
    search_fake.requests.clear()
    r = api.http.post("/v1/coach", json={"question": "how do I stop my knees caving on squats?"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["retrieval"] == "upstash-search"
    assert out["citations"][0]["id"] == "squat-knee-valgus"
    searched = sorted(path for path, _, _ in search_fake.requests if path.startswith("/search/"))
    assert searched == ["/search/exercise_cues", "/search/knowledge_base"]


def test_with_upstash_failing_the_embedded_index_answers(api: Api, search_fake: FakeUpstashSearch) -> None:
    search_fake.forced = json_reply(500, {"error": "boom", "status": 500})
    r = api.http.post("/v1/coach", json={"question": "how long should I rest between heavy sets?"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["retrieval"] == "embedded (upstash-search unavailable)"
    assert out["citations"][0]["id"] == "rest-intervals"
