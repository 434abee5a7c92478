"""Every route of the app's OpenAPI schema, fuzzed by schemathesis in process (the ASGI app, its lifespan
and a real SQLite database): no answer is a 5xx, and every 4xx carries the contract's error body.

Schemathesis draws path, query, header and body values from the schema (and, in its negative phase,
values the schema forbids). Cases per route: FUZZ_EXAMPLES (default 50: about 1,500 in all, as routes
without parameters have only one case; with tests/fuzz/test_stream.py's 600 sessions the CI short form
is over 2,000 cases); the long run is benchmarks/fuzz.py (20,000 cases against a live server).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from server.app import create_app
from server.settings import Settings
from tests.fuzz.contract import contract_problem

__all__: list[str] = []

# (not VOICELOG_*: tests/conftest.py clears those so no test reads the developer's settings)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
MIN_TOTAL = 28 * EXAMPLES  # 32 routes, a few of them with a single possible case


@pytest.fixture(scope="module")
def app_and_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    data_dir = tmp_path_factory.mktemp("fuzz-openapi")
    env = {
        "VOICELOG_DATA_DIR": str(data_dir),
        "VOICELOG_RATE_LIMIT_UTTERANCES_PER_MINUTE": "0",
        "VOICELOG_RATE_LIMIT_AUDIO_S_PER_MINUTE": "0",
    }
    settings_ = Settings.from_env(env)
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", create_app(settings_))
    yield schema, _user(settings_.database_url)


def _real_ids(app: Any, token: str) -> dict[str, list[str]]:
    """A workout, its sets and voice commands, so half the cases reach real rows past the 404."""
    from schemathesis.python import asgi

    auth = {"Authorization": f"Bearer {token}"}
    with asgi.get_client(app) as client:
        workout = client.post("/v1/workouts", json={"name": "legs"}, headers=auth).json()["id"]
        ids: dict[str, list[str]] = {"workout_id": [workout], "set_id": [], "command_id": []}
        for text in ("barbell squat 225 for 5", "deadlift 2 sets of 3 at 315"):
            out = client.post(f"/v1/workouts/{workout}/utterances", json={"text": text}, headers=auth).json()
            ids["set_id"] += [s["id"] for s in out["sets"]]
            ids["command_id"].append(out["voice_command_id"])
    return ids


def _user(database_url: str) -> str:
    """A lifter made in the database the app (already started by the schema load) serves."""
    from server.db import create_engine, create_sessionmaker
    from server.store.users import create_user

    async def run() -> str:
        engine = create_engine(database_url)
        try:
            _, token = await create_user(create_sessionmaker(engine), "fuzz", default_unit="lb")
            return token
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _aimed(case: Any, aim: bool, pick: int, real: dict[str, list[str]]) -> Any:
    if aim:
        for name in case.path_parameters:
            if real.get(name):
                case.path_parameters[name] = real[name][pick % len(real[name])]
    return case


def _fuzz(
    operation: Any,
    auth: dict[str, str],
    real: dict[str, list[str]],
    tally: dict[str, int],
    statuses: dict[int, int],
) -> None:
    """Hypothesis over one route: cases the schema allows and cases it forbids (schemathesis' modes),
    half of them with path ids of real rows."""
    label = f"{operation.method.upper()} {operation.path}"
    tally[label] = 0
    generated = operation.as_strategy(generation_mode=GenerationMode.POSITIVE) | operation.as_strategy(
        generation_mode=GenerationMode.NEGATIVE
    )
    cases = st.builds(_aimed, generated, st.booleans(), st.integers(0, 7), st.just(real))

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # CI is reproducible: the same cases every run
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        tally[label] += 1
        response = case.call(headers=auth)
        statuses[response.status_code // 100] = statuses.get(response.status_code // 100, 0) + 1
        headers = {k.lower(): ", ".join(v) if isinstance(v, list) else v for k, v in response.headers.items()}
        problem = contract_problem(case.method, response.status_code, headers, response.content)
        assert problem is None, f"{label}: {problem}\n{case.as_curl_command()}"

    run()


def test_every_route_answers_within_the_contract(app_and_token: tuple[Any, str]) -> None:
    schema, token = app_and_token
    auth = {"Authorization": f"Bearer {token}"}
    real = _real_ids(schema.app, token)
    tally: dict[str, int] = {}
    statuses: dict[int, int] = {}  # answers by class: 2 (2xx), 4 (4xx), ...
    problems: list[str] = []
    started = time.perf_counter()
    for result in schema.get_all_operations():
        try:
            _fuzz(result.ok(), auth, real, tally, statuses)
        except AssertionError as exc:  # shrunk by hypothesis; go on with the other routes, report all
            problems.append(str(exc)[:1500])
    seconds = time.perf_counter() - started
    total = sum(tally.values())
    print(
        f"schemathesis: {total} cases over {len(tally)} routes in {seconds:.1f} s, answers by class "
        f"{dict(sorted(statuses.items()))}; {len(problems)} problems"
    )
    assert problems == [], "\n\n".join(problems)
    assert len(tally) >= 30, sorted(tally)
    assert all(n > 0 for n in tally.values()), tally
    assert total >= MIN_TOTAL, (total, tally)
    assert statuses.get(2, 0) > total // 10, statuses  # many cases got past validation to real work


def test_the_schema_covers_the_routes_the_protocol_documents() -> None:
    """A route missing from the schema would never be fuzzed: the protocol's routes are all in it."""
    import re

    protocol = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text()
    documented = {  # `{id}.md` is the same route as `{id}`; /v1/stream is the websocket (test_stream.py)
        (m, re.sub(r"\{[^}]+\}", "{}", p).removesuffix(".md"))
        for m, p in re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/v1/[^` ?\[]*)", protocol)
        if p != "/v1/stream"
    }
    app = create_app(
        Settings.from_env({"VOICELOG_DATA_DIR": str(Path(os.environ.get("TMPDIR", "/tmp")) / "unused")})
    )
    served = {
        (method.upper(), re.sub(r"\{[^}]+\}", "{}", path))
        for path, item in app.openapi_schema.paths.items()  # type: ignore[union-attr]
        for method in ("get", "post", "put", "patch", "delete")
        if getattr(item, method, None) is not None
    }
    assert documented and documented <= served, sorted(documented - served)
