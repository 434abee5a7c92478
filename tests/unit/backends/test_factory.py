"""The factory: embedded defaults with nothing set, each cloud backend by its variables, clear errors."""

from __future__ import annotations

import pytest

from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher
from server.backends.errors import MissingBackendDependency, import_or_explain
from server.backends.factory import build_backends, build_extractor, build_kv, build_search
from server.backends.kv import MemoryKV, ResilientKV
from server.settings import Settings

__all__: list[str] = []


@pytest.fixture(scope="module")
def matcher() -> ExerciseMatcher:
    return ExerciseMatcher.from_fixtures()


def settings(**env: str) -> Settings:
    return Settings.from_env(env)


async def test_nothing_set_means_embedded_everything(matcher: ExerciseMatcher) -> None:
    b = build_backends(settings(), parser=Parser(matcher), matcher=matcher)
    assert isinstance(b.kv, MemoryKV)
    assert b.describe() == {"kv": "memory", "search": "embedded", "llm": "none"}
    assert b.extractor is None and b.cache is None
    u = await b.understander.understand("bench 100 for 5", unit="kg")
    assert u.path == ["search:embedded", "grammar"]
    await b.aclose()


async def test_each_variable_selects_its_backend(matcher: ExerciseMatcher) -> None:
    kv = build_kv(settings(VOICELOG_REDIS_URL="redis://127.0.0.1:1/0"))
    assert isinstance(kv, ResilientKV) and kv.name == "redis"
    up = build_kv(settings(UPSTASH_REDIS_REST_URL="http://127.0.0.1:1", UPSTASH_REDIS_REST_TOKEN="t"))
    assert up.name == "upstash-redis"
    search = build_search(
        settings(
            UPSTASH_SEARCH_REST_URL="http://127.0.0.1:1",
            UPSTASH_SEARCH_REST_TOKEN="t",
            VOICELOG_SEARCH_SEMANTIC_WEIGHT="0.4",
        ),
        matcher,
    )
    assert search.name == "upstash-search" and search.remote and search.semantic_weight == 0.4  # type: ignore[attr-defined]
    llm = build_extractor(settings(OPENAI_API_KEY="sk-x", VOICELOG_LLM_MODEL="m-1"), matcher)
    assert llm is not None and llm.model == "m-1"  # type: ignore[attr-defined]
    for backend in (kv, up, search, llm):
        await backend.aclose()


def test_redis_url_wins_over_upstash() -> None:
    kv = build_kv(
        settings(
            VOICELOG_REDIS_URL="redis://127.0.0.1:1/0",
            UPSTASH_REDIS_REST_URL="http://x",
            UPSTASH_REDIS_REST_TOKEN="t",
        )
    )
    assert kv.name == "redis"


@pytest.mark.parametrize("var", ["UPSTASH_REDIS_REST_URL", "UPSTASH_SEARCH_REST_URL"])
def test_url_without_token_names_the_missing_variable(var: str, matcher: ExerciseMatcher) -> None:
    with pytest.raises(MissingBackendDependency, match=var.replace("_URL", "_TOKEN")):
        build_kv(settings(**{var: "http://x"})) if "REDIS" in var else build_search(
            settings(**{var: "http://x"}), matcher
        )


def test_missing_client_package_names_what_to_install() -> None:
    with pytest.raises(MissingBackendDependency) as info:
        import_or_explain("voicelog_no_such_client", package="no-such-client", setting="NO_SUCH_URL")
    assert "pip install no-such-client" in str(info.value)
    assert "NO_SUCH_URL" in str(info.value)
