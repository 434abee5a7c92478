"""The in-process fan-out (one instance, no Redis): a socket hears other clients' events, never its own."""

from __future__ import annotations

import asyncio
import json

from models.protocol import Corrected
from server.fanout import Fanout, build_fanout
from server.fanout.relay import Relay
from server.settings import Settings

__all__: list[str] = []


def _fanout() -> Fanout:
    settings = Settings.from_env({"VOICELOG_DATA_DIR": "/tmp/voicelog-unused"})
    fanout = build_fanout(settings)
    assert fanout.name == "memory"
    return fanout


async def test_a_relay_forwards_other_origins_and_skips_its_own() -> None:
    fanout = _fanout()
    await fanout.start()
    got: list[dict[str, object]] = []
    arrived = asyncio.Event()

    async def send(frame: bytes) -> None:
        got.append(json.loads(frame))
        arrived.set()

    seen: list[bytes] = []
    try:
        async with Relay(fanout, "w1", "me", send, observe=seen.append):
            await fanout.publish("w1", Corrected(set={"id": "mine"}), origin="me")
            await fanout.publish("w2", Corrected(set={"id": "other workout"}), origin=None)
            await fanout.publish("w1", Corrected(set={"id": "theirs"}), origin="them")
            await asyncio.wait_for(arrived.wait(), 5)
            await asyncio.sleep(0.05)  # anything else that was going to arrive has arrived
        assert got == [{"type": "corrected", "set": {"id": "theirs"}}]
        assert [json.loads(f) for f in seen] == got  # the session saw what its client was sent
    finally:
        await fanout.aclose()


async def test_publishing_on_a_stopped_bus_never_raises() -> None:
    fanout = _fanout()  # never started: the channels plugin has no queue, the backend nothing
    await fanout.publish("w1", Corrected(set={"id": "x"}))
