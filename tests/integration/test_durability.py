"""A set acknowledged to a client survives the server being killed right after: `voicelog serve` on
SQLite, sets logged over REST and over the websocket, SIGKILL straight after the acknowledgements,
restart, every acknowledged set is there. And the server's engine runs SQLite with journal_mode=wal and
synchronous=FULL, so a power cut (not only a process kill) keeps a committed set."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import uuid
from collections.abc import Iterator

import httpx
import pytest
import websockets

from tests.integration.conftest import Api, LiveServer, sqlite_server

_ROUNDS = 3
_WRITERS = 4
_ACKS_BEFORE_KILL = 12


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with sqlite_server("durable") as live:
        yield live


def test_the_running_server_reports_wal_and_synchronous_full(server: LiveServer) -> None:
    # Read by the server from a connection of its own engine at start-up (server.db.sqlite_durability).
    line = re.search(r"sqlite durability: (\{.*\})", server.log_tail(200_000))
    assert line is not None, server.log_tail()
    assert json.loads(line.group(1)) == {"journal_mode": "wal", "synchronous": "FULL"}


def _log_until_killed(api: Api, workout: str, acked: list[str], stop: threading.Event) -> None:
    with httpx.Client(base_url=api.server.url, headers={"Authorization": f"Bearer {api.token}"}) as http:
        while not stop.is_set():
            try:
                r = http.post(f"/v1/workouts/{workout}/utterances", json={"text": "barbell squat 225 for 5"})
            except httpx.TransportError:
                return  # the server is gone
            if r.status_code == 201:
                acked.extend(s["id"] for s in r.json()["sets"])


def test_rest_sets_acknowledged_before_a_kill_9_are_all_there(server: LiveServer) -> None:
    api = Api(server, *server.create_user())
    workout = api.workout()
    acked: list[str] = []
    try:
        for _ in range(_ROUNDS):
            stop = threading.Event()
            writers = [
                threading.Thread(target=_log_until_killed, args=(api, workout, acked, stop))
                for _ in range(_WRITERS)
            ]
            target = len(acked) + _ACKS_BEFORE_KILL
            for w in writers:
                w.start()
            while len(acked) < target and any(w.is_alive() for w in writers):
                threading.Event().wait(0.005)
            server.kill()  # with writes still in flight on the other writers
            stop.set()
            for w in writers:
                w.join(30)
            server.start()
            stored = {s["id"] for s in api.sets(workout)}
            assert set(acked) <= stored, f"lost {len(set(acked) - stored)} of {len(acked)} acknowledged sets"
        assert len(acked) >= _ROUNDS * _ACKS_BEFORE_KILL
    finally:
        api.close()


async def _logged_over_the_socket(server: LiveServer, token: str, workout: str, n: int) -> list[str]:
    url = f"ws://127.0.0.1:{server.port}/v1/stream?workout_id={workout}&token={token}"
    ids: list[str] = []
    async with websockets.connect(url) as ws:
        assert json.loads(await ws.recv())["type"] == "ready"
        for reps in range(1, n + 1):
            await ws.send(json.dumps({"type": "text", "text": f"barbell bench press 135 for {reps}"}))
            event = json.loads(await asyncio.wait_for(ws.recv(), 30))
            assert event["type"] == "logged", event
            ids.extend(s["id"] for s in event["sets"])
        server.kill()  # right after the last `logged`, the socket still open
    return ids


def test_websocket_sets_acknowledged_before_a_kill_9_are_all_there(server: LiveServer) -> None:
    if server._proc is None:
        server.start()
    api = Api(server, *server.create_user())
    try:
        workout = api.workout()
        acked = asyncio.run(_logged_over_the_socket(server, api.token, workout, 5))
        server.start()
        assert {s["id"] for s in api.sets(workout)} >= set(acked) and len(acked) == 5
    finally:
        api.close()


def test_client_ids_acknowledged_before_a_kill_replay_after_it(server: LiveServer) -> None:
    if server._proc is None:
        server.start()
    api = Api(server, *server.create_user())
    try:
        workout = api.workout()
        cid = str(uuid.uuid4())
        first = api.say(workout, "deadlift 315 for 3", client_id=cid)
        server.kill()
        server.start()
        again = api.say(workout, "deadlift 315 for 3", client_id=cid)
        assert again["voice_command_id"] == first["voice_command_id"]
        assert len(api.sets(workout)) == 1
    finally:
        api.close()
