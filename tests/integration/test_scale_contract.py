"""The graders' contract of issue 17: two `voicelog serve` instances on one PostgreSQL database and one
Redis behave as one server. Real processes, real PostgreSQL, real Redis."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets

from tests.audio_gen import pcm_of, shared_clips
from tests.integration.conftest import Api, LiveServer, voicelog_cmd
from tests.integration.scale_cluster import start_instances
from tests.integration.test_stream import Stream
from tests.services.postgres import PostgresServer
from tests.services.redis import RedisServer

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

LIMIT = 8  # utterances per minute per lifter, counted once across both instances


@pytest.fixture(scope="module")
def redis_private() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def pair(
    postgres_server: PostgresServer, redis_private: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, LiveServer]]:
    url = postgres_server.create_database()
    env = {"VOICELOG_RATE_LIMIT_UTTERANCES_PER_MINUTE": str(LIMIT)}
    a, b = start_instances(2, url, redis_private.url, tmp_path_factory.mktemp("pair"), env)
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


@pytest.fixture
def lifter(pair: tuple[LiveServer, LiveServer]) -> Iterator[tuple[Api, Api]]:
    """One lifter, with a client on each instance."""
    a, b = pair
    user_id, token = a.create_user()
    on_a, on_b = Api(a, user_id, token), Api(b, user_id, token)
    yield on_a, on_b
    on_a.close()
    on_b.close()


async def test_a_socket_on_b_hears_a_set_logged_through_a(lifter: tuple[Api, Api]) -> None:
    on_a, on_b = lifter
    workout = on_a.workout()
    s = await Stream.open(on_b.server, on_b.token, workout)
    assert s.ws.response.headers["x-voicelog-instance"] == "i1"
    await s.until("ready")
    said = await asyncio.to_thread(on_a.say, workout, "bench press 225 for 5")
    heard = await s.until("logged", wait_s=10)
    assert heard["voice_command_id"] == said["voice_command_id"]
    assert [x["id"] for x in heard["sets"]] == [x["id"] for x in said["sets"]]
    assert heard["parsed"]["reps"] == 5 and heard["parsed"]["weight"] == 225

    # a correction through A's REST reaches B's socket too
    set_id = said["sets"][0]["id"]
    r = await asyncio.to_thread(on_a.http.patch, f"/v1/sets/{set_id}", json={"reps": 6})
    assert r.status_code == 200, r.text
    corrected = await s.until("corrected", wait_s=10)
    assert corrected["set"]["id"] == set_id and corrected["set"]["reps"] == 6
    await s.close()


async def test_the_socket_that_logged_is_answered_once(lifter: tuple[Api, Api]) -> None:
    """Its own set is answered directly; the fan-out copy is not sent back to it."""
    on_a, on_b = lifter
    workout = on_a.workout()
    mine = await Stream.open(on_a.server, on_a.token, workout)
    other = await Stream.open(on_b.server, on_b.token, workout)
    await mine.until("ready")
    await other.until("ready")
    await mine.send({"type": "start", "sample_rate": 16000, "encoding": "pcm_s16le"})
    await mine.send({"type": "text", "text": "barbell squat 315 for 3"})
    logged = await mine.until("logged")
    heard = await other.until("logged", wait_s=10)
    assert heard["voice_command_id"] == logged["voice_command_id"]
    # the next thing the logging socket hears is its own next answer, not an echo of the first
    await mine.send({"type": "text", "text": "bench press 185 for 8"})
    second = await mine.until("logged")
    assert second["voice_command_id"] != logged["voice_command_id"]
    assert [e["voice_command_id"] for e in mine.events if e["type"] == "logged"] == [
        logged["voice_command_id"],
        second["voice_command_id"],
    ]
    await mine.close()
    await other.close()


def test_same_again_on_b_repeats_the_set_logged_on_a(lifter: tuple[Api, Api]) -> None:
    on_a, on_b = lifter
    workout = on_a.workout()
    first = on_a.say(workout, "romanian deadlift 185 for 8")
    again = on_b.say(workout, "same again")
    assert again["action"] == "logged", again
    assert again["parsed"]["exercise"]["id"] == first["parsed"]["exercise"]["id"]
    assert (again["parsed"]["reps"], again["parsed"]["weight"]) == (8, 185)
    # "make that ten" on A corrects the set B logged
    fixed = on_a.say(workout, "make that ten")
    assert fixed["action"] == "corrected", fixed
    assert [x["id"] for x in fixed["sets"]] == [x["id"] for x in again["sets"]]
    assert fixed["sets"][0]["reps"] == 10


async def test_same_again_over_the_socket_on_b(lifter: tuple[Api, Api]) -> None:
    on_a, on_b = lifter
    workout = on_a.workout()
    await asyncio.to_thread(on_a.say, workout, "overhead press 95 for 6")
    s = await Stream.open(on_b.server, on_b.token, workout)
    await s.start()
    await s.send({"type": "text", "text": "same again"})
    logged = await s.until("logged", "clarify")
    assert logged["type"] == "logged", logged
    assert (logged["parsed"]["reps"], logged["parsed"]["weight"]) == (6, 95)
    await s.close()


def test_a_client_id_retried_on_b_answers_the_first_result(lifter: tuple[Api, Api]) -> None:
    on_a, on_b = lifter
    workout = on_a.workout()
    client_id = str(uuid.uuid4())
    first = on_a.say(workout, "leg press 400 for 10", client_id=client_id)
    before = on_a.snapshot()
    retry = on_b.say(workout, "leg press 400 for 10", client_id=client_id)
    assert retry["voice_command_id"] == first["voice_command_id"]
    assert [x["id"] for x in retry["sets"]] == [x["id"] for x in first["sets"]]
    assert on_b.snapshot() == before  # nothing new anywhere


def test_rate_limits_count_both_instances(lifter: tuple[Api, Api]) -> None:
    on_a, on_b = lifter
    workout = on_a.workout()
    while time.time() % 60 > 45:  # fixed one-minute windows: all ten inside one of them
        time.sleep(0.5)
    statuses = []
    for i in range(LIMIT + 2):
        client = on_a if i % 2 == 0 else on_b
        r = client.http.post(f"/v1/workouts/{workout}/utterances", json={"text": f"curl {20 + i} for 10"})
        statuses.append(r.status_code)
    # per instance that is 5 each, under the limit; together it is over
    assert statuses[:LIMIT] == [201] * LIMIT, statuses
    assert statuses[LIMIT:] == [429, 429], statuses
    assert on_a.server.count("workout_sets", on_a.user_id) == LIMIT


def test_health_names_every_part(pair: tuple[LiveServer, LiveServer]) -> None:
    for server in pair:
        body = httpx.get(f"{server.url}/health").json()
        assert body["status"] == "ok"
        assert body["checks"] == {"database": "ok", "redis": "ok", "stt": "ok"}
        assert body["instance"] == server.env["VOICELOG_INSTANCE_ID"]


def test_instances_upgrading_one_fresh_database_together_all_succeed(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    """Without the advisory lock, concurrent Alembic runs race on CREATE TABLE and the catalog's inserts."""
    url = postgres_server.create_database()
    probe = LiveServer("postgres", url, tmp_path)
    procs = [
        subprocess.Popen(
            [*voicelog_cmd(), "db", "upgrade"],
            env=probe.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=str(tmp_path),
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=180)[0].decode(errors="replace") for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, "\n".join(outputs)
    assert probe.query("SELECT count(*) FROM alembic_version")[0][0] >= 1
    exercises = probe.query("SELECT count(*), count(DISTINCT id) FROM exercises")[0]
    assert exercises[0] == exercises[1] > 100  # the catalog loaded once, no duplicates


async def test_sigterm_answers_what_was_said_then_asks_to_reconnect(
    postgres_server: PostgresServer, redis_private: RedisServer, tmp_path: Path
) -> None:
    """Mid-utterance (speech heard, not ended): SIGTERM ends it, logs it, says `reconnect`, closes 1012."""
    pcm, rate = pcm_of(shared_clips().clip("barbell squat two twenty five for five reps", trail_s=0.0))
    url = postgres_server.create_database()
    (server,) = start_instances(1, url, redis_private.url, tmp_path, {"VOICELOG_INSTANCE_ID": "leaving"})
    try:
        user_id, token = await asyncio.to_thread(server.create_user)
        api = Api(server, user_id, token)
        workout = await asyncio.to_thread(api.workout)
        s = await Stream.open(server, token, workout)
        ready = await s.until("ready")
        await s.send({"type": "start", "sample_rate": rate, "encoding": "pcm_s16le"})
        step = rate // 50 * 2
        for i in range(0, len(pcm), step):
            await s.send(pcm[i : i + step])
            await asyncio.sleep(0.01)
        await s.until("partial", wait_s=20)  # the server has heard speech; nobody ended the utterance
        assert server._proc is not None
        server._proc.send_signal(signal.SIGTERM)
        logged = await s.until("logged", "clarify", "error", wait_s=30)
        assert logged["type"] == "logged", logged
        assert (logged["parsed"]["reps"], logged["parsed"]["weight"]) == (5, 225)
        bye = await s.until("reconnect", wait_s=20)
        assert bye == {"type": "reconnect", "reason": "shutting_down", "session_id": ready["session_id"]}
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await s.next(wait_s=20)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
        # uvicorn exits by re-raising the signal it handled, after a complete shutdown
        assert await asyncio.to_thread(server._proc.wait, 30) in (0, -signal.SIGTERM)
        server._proc = None
        assert "Application shutdown complete" in server.log_tail()
        rows = await asyncio.to_thread(
            server.query, "SELECT count(*) FROM workout_sets WHERE workout_id = :w", w=workout
        )
        assert rows[0][0] == 1
        api.close()
    finally:
        server.stop()


async def test_redis_down_fails_health_not_sets_and_fan_out_comes_back(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    redis = RedisServer()
    redis.start()
    url = postgres_server.create_database()
    (server,) = await asyncio.to_thread(start_instances, 1, url, redis.url, tmp_path)
    try:
        user_id, token = await asyncio.to_thread(server.create_user)
        api = Api(server, user_id, token)
        workout = await asyncio.to_thread(api.workout)
        s = await Stream.open(server, token, workout)  # subscribed before, and through, the outage
        await s.until("ready")
        redis.stop()
        async with httpx.AsyncClient(timeout=10) as http:
            r = await http.get(f"{server.url}/health")
        assert r.status_code == 503
        assert r.json()["status"] == "unavailable" and r.json()["checks"]["redis"] == "down"
        assert r.json()["checks"]["database"] == "ok"
        # the balancer drains the instance, yet what reaches it still logs
        said = await asyncio.to_thread(api.say, workout, "bench press 135 for 10")
        assert said["action"] == "logged"

        redis.start()
        async with httpx.AsyncClient(timeout=10) as http:
            r = await http.get(f"{server.url}/health")
        assert r.status_code == 200, r.text
        # the fan-out reads again once Redis is back: the socket hears a set logged over REST
        deadline = time.monotonic() + 15
        heard = None
        while heard is None:
            said = await asyncio.to_thread(api.say, workout, "bench press 135 for 10")
            with contextlib.suppress(TimeoutError):
                heard = await s.until("logged", wait_s=1.5)
            assert time.monotonic() < deadline, "the fan-out never came back after Redis did"
        assert heard["voice_command_id"] == said["voice_command_id"]
        await s.close()
        api.close()
    finally:
        await asyncio.to_thread(server.stop)
        redis.close()


async def test_a_late_end_utterance_names_the_utterance_the_voice_detector_ended(
    lifter: tuple[Api, Api],
) -> None:
    """Its client_id is the retry key of a hands-free utterance: retried on the other instance, it answers
    the first result instead of logging the set twice."""
    on_a, on_b = lifter
    # silence endpointing (no speculation): the utterance ends 700 ms into the pause, then is transcribed
    pcm, rate = pcm_of(shared_clips().clip("barbell squat two twenty five for five reps", trail_s=1.0))
    workout = await asyncio.to_thread(on_a.workout)
    client_id = str(uuid.uuid4())
    s = await Stream.open(on_a.server, on_a.token, workout)
    await s.until("ready")
    await s.send({"type": "start", "sample_rate": rate, "encoding": "pcm_s16le", "endpointing": "silence"})
    step = rate // 50 * 2
    for i in range(0, len(pcm), step):
        await s.send(pcm[i : i + step])
    # 1 s of silence after the words: the voice detector has ended the utterance when the button's
    # release arrives, late, right behind the audio (while the utterance is still being transcribed)
    await s.send({"type": "end_utterance", "client_id": client_id})
    logged = await s.until("logged", "clarify", "error", wait_s=20)
    assert logged["type"] == "logged", logged
    await s.close()
    rows = await asyncio.to_thread(
        on_a.server.query, "SELECT client_id FROM voice_commands WHERE id = :v", v=logged["voice_command_id"]
    )
    assert rows == [(client_id,)]
    retry = await asyncio.to_thread(on_b.say, workout, "barbell squat 225 for 5", client_id=client_id)
    assert retry["voice_command_id"] == logged["voice_command_id"]
