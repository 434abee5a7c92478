"""The SearchIndex contract over the embedded index and Upstash Search (real SDK, local wire server)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator

import pytest

from server.backends.search import SearchIndex, SearchUnavailable
from server.backends.search.documents import (
    CUES_INDEX,
    EXERCISES_INDEX,
    cue_documents,
    exercise_documents,
    load_sources,
)
from server.backends.search.upstash import UpstashSearch
from tests.fakes.http import Reply, json_reply
from tests.fakes.upstash_search import FakeUpstashSearch

__all__: list[str] = []

CATALOG, ALIASES = load_sources()
DOCS = exercise_documents(CATALOG, ALIASES)


@pytest.fixture(scope="module")
def fake_search() -> Iterator[FakeUpstashSearch]:
    server = FakeUpstashSearch().start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def matcher() -> object:
    from matcher.resolver import ExerciseMatcher

    return ExerciseMatcher.from_fixtures()


@pytest.fixture(params=["embedded", "upstash"])
async def search(request: pytest.FixtureRequest) -> AsyncIterator[SearchIndex]:
    backend: SearchIndex
    if request.param == "embedded":
        from server.backends.search.embedded import EmbeddedSearch

        backend = EmbeddedSearch(request.getfixturevalue("matcher"))
    else:
        fake = request.getfixturevalue("fake_search")
        backend = UpstashSearch(fake.url, fake.token, timeout_s=2.0)
        if EXERCISES_INDEX not in fake.indexes:
            await backend.reindex(EXERCISES_INDEX, DOCS)
    yield backend
    await backend.aclose()


async def test_full_catalog_name_finds_its_exercise(search: SearchIndex) -> None:
    for ex in (CATALOG[0], CATALOG[len(CATALOG) // 2], CATALOG[-1]):
        hits = await search.search(ex["name"], limit=5)
        assert ex["id"] in [h.id for h in hits], (ex["name"], hits)


async def test_hits_are_ranked_scored_and_limited(search: SearchIndex) -> None:
    hits = await search.search("dumbbell curl", limit=7)
    assert 1 <= len(hits) <= 7
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len({h.id for h in hits}) == len(hits)


async def test_nonsense_is_not_an_error(search: SearchIndex) -> None:
    """Nonsense answers few, weak hits of real exercises: never something that reads as a match."""
    hits = await search.search("zzqx", limit=5)
    catalog_ids = {ex["id"] for ex in CATALOG}
    assert len(hits) <= 5
    assert all(h.id in catalog_ids for h in hits)
    assert all(0.0 <= h.score < 0.5 for h in hits), hits
    real = await search.search("dumbbell curl", limit=5)
    assert real and real[0].score > 0.9 > max((h.score for h in hits), default=0.0)


async def test_reindex_reports_count_and_progress(search: SearchIndex) -> None:
    seen: list[tuple[int, int]] = []
    docs = cue_documents(CATALOG)[:250]
    count = await search.reindex(CUES_INDEX, docs, progress=lambda done, total: seen.append((done, total)))
    assert count == 250
    assert seen and seen[-1] == (250, 250)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


# -- Upstash specifics: what goes on the wire, and every way the service can fail ---------------------


@pytest.fixture
async def upstash(fake_search: FakeUpstashSearch) -> AsyncIterator[UpstashSearch]:
    backend = UpstashSearch(fake_search.url, fake_search.token, timeout_s=0.4, semantic_weight=0.3)
    if EXERCISES_INDEX not in fake_search.indexes:
        await backend.reindex(EXERCISES_INDEX, DOCS)
    yield backend
    fake_search.forced = None
    fake_search.delay_s = 0.0
    await backend.aclose()


async def test_hot_path_request_shape(upstash: UpstashSearch, fake_search: FakeUpstashSearch) -> None:
    await upstash.search("lat pulldown", limit=8)
    path, headers, body = fake_search.requests[-1]
    assert path == f"/search/{EXERCISES_INDEX}"
    assert headers["authorization"] == f"Bearer {fake_search.token}"
    assert body["inputEnrichment"] is False
    assert body["semanticWeight"] == 0.3
    assert body["topK"] == 8 and body["reranking"] is False


async def test_reindex_replaces_documents(upstash: UpstashSearch, fake_search: FakeUpstashSearch) -> None:
    await upstash.reindex("scratch", DOCS[:30])
    assert await upstash.reindex("scratch", DOCS[:10]) == 10
    assert set(fake_search.indexes["scratch"].docs) == {d.id for d in DOCS[:10]}


@pytest.mark.parametrize(
    ("reply", "status", "words"),
    [
        (json_reply(500, {"error": "Internal server error", "status": 500}), "error", "Internal"),
        (Reply(502, b"<html>Bad Gateway</html>", {"Content-Type": "text/html"}), "error", "JSONDecodeError"),
        (
            json_reply(429, {"error": "ERR max daily request limit exceeded", "status": 429}),
            "rate_limited",
            "limit",
        ),
        (json_reply(401, {"error": "Unauthorized", "status": 401}), "error", "Unauthorized"),
    ],
)
async def test_service_failures_raise_unavailable(
    upstash: UpstashSearch, fake_search: FakeUpstashSearch, reply: Reply, status: str, words: str
) -> None:
    with fake_search.outage(reply), pytest.raises(SearchUnavailable) as info:
        await upstash.search("bench press")
    assert info.value.status == status
    assert words in str(info.value)


async def test_slow_service_times_out_on_budget(
    upstash: UpstashSearch, fake_search: FakeUpstashSearch
) -> None:
    fake_search.delay_s = 1.5
    started = time.perf_counter()
    with pytest.raises(SearchUnavailable) as info:
        await upstash.search("bench press")
    assert time.perf_counter() - started < 1.0
    assert info.value.status == "timeout"


async def test_bad_token_is_refused(fake_search: FakeUpstashSearch) -> None:
    backend = UpstashSearch(fake_search.url, "wrong", timeout_s=1.0)
    with pytest.raises(SearchUnavailable, match="Unauthorized"):
        await backend.search("squat")
    await backend.aclose()


async def test_the_wire_server_answers_the_whole_sdk_surface(fake_search: FakeUpstashSearch) -> None:
    """fetch / delete / range / info / list through the real SDK: the stand-in is faithful beyond search."""
    from upstash_search import AsyncSearch

    client = AsyncSearch(fake_search.url, fake_search.token, retries=0, allow_telemetry=False)
    index = client.index("wire-check")
    await index.upsert([{"id": d.id, "content": d.content, "metadata": d.metadata} for d in DOCS[:5]])
    fetched = await index.fetch(ids=[DOCS[0].id, "missing"])
    assert fetched[0] is not None and fetched[0].content == DOCS[0].content and fetched[1] is None
    page = await index.range(cursor="", limit=3)
    assert len(page.documents) == 3 and page.next_cursor
    assert await index.delete(ids=[DOCS[0].id, "missing"]) == 1
    info = await client.info()
    assert info.indexes["wire-check"].document_count == 4
    assert "wire-check" in await client.list_indexes()
    hits = await index.search(DOCS[1].content["name"], limit=2, semantic_weight=0.5, input_enrichment=False)
    assert hits[0].id == DOCS[1].id and hits[0].content == DOCS[1].content
    await client.delete_index("wire-check")
    assert "wire-check" not in await client.list_indexes()
