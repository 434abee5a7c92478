"""The fuzzer of benchmarks/fuzz.py, short, in the suite and on both databases: a few hundred random
and garbage REST requests and websocket sessions answer no 5xx, no 4500/1011 close, no internal_error
event, and /health answers throughout. On the code before issue 19 the same seed found 7 5xx and
13 websocket 4500 closes in 400 cases."""

from __future__ import annotations

import asyncio

from benchmarks.fuzz import fuzz
from tests.integration.conftest import LiveServer

_CASES = 300


def test_random_and_garbage_input_never_breaks_the_server(live: LiveServer) -> None:
    (_, token), (_, other) = live.create_user(), live.create_user()
    tally = asyncio.run(fuzz(live.url, token, other, cases=_CASES, seed=1919))
    assert tally.cases == _CASES
    assert tally.server_errors == []
    assert tally.internal_closes == []
    assert tally.internal_events == []
    assert tally.transport_errors == []
    assert tally.health_checks > 0 and tally.health_misses == []
    assert tally.rest > _CASES // 2 and tally.ws > 0
