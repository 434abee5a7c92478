"""Websocket session context: saved by one instance, resumed by another sharing the KV, owner only."""

from __future__ import annotations

import asyncio

from models.parsed import ExerciseRef, ParsedSet
from server.backends.kv import MemoryKV
from server.session_store import SessionStore

__all__: list[str] = []


def squat(weight: float) -> ParsedSet:
    return ParsedSet(
        intent="log_set",
        exercise=ExerciseRef(id="Barbell_Squat", name="Barbell Squat"),
        reps=5,
        weight=weight,
        unit="kg",
        confidence=0.9,
    )


async def test_another_instance_resumes_the_session() -> None:
    shared = MemoryKV()
    first, second = SessionStore(shared), SessionStore(shared)
    ctx = first.start("alice", "w1", unit="kg")
    await first.record(ctx, squat(100), voice_command_id="vc1", set_ids=["s1"])
    await first.record(ctx, ParsedSet(intent="log_set", exercise=ExerciseRef(id="Deadlift", name="Deadlift")))
    resumed = await second.load(ctx.session_id, "alice", "w1")
    assert resumed is not None
    assert resumed.unit == "kg"
    assert resumed.last is not None and resumed.last.exercise is not None
    assert resumed.last.exercise.id == "Deadlift"
    assert resumed.recent == ["Deadlift", "Barbell_Squat"]
    assert resumed.last_voice_command_id == "vc1" and resumed.last_set_ids == ["s1"]
    assert resumed.utterances == 2


async def test_only_the_owner_and_workout_get_it_back() -> None:
    store = SessionStore(MemoryKV())
    ctx = store.start("alice", "w1")
    await store.save(ctx)
    assert await store.load(ctx.session_id, "mallory") is None
    assert await store.load(ctx.session_id, "alice", "w2") is None
    assert await store.load("no-such-session", "alice") is None
    assert await store.load("x" * 500, "alice") is None
    assert await store.load(ctx.session_id, "alice") is not None


async def test_unreadable_or_expired_context_is_none() -> None:
    kv = MemoryKV()
    store = SessionStore(kv, ttl_s=0.05)
    ctx = store.start("alice", "w1")
    await store.save(ctx)
    await asyncio.sleep(0.1)
    assert await store.load(ctx.session_id, "alice") is None
    await kv.set("ws:session:broken", "{not json")
    assert await store.load("broken", "alice") is None


async def test_undo_and_chatter_do_not_replace_the_last_set() -> None:
    store = SessionStore(MemoryKV())
    ctx = store.start("alice", "w1")
    await store.record(ctx, squat(100))
    await store.record(ctx, ParsedSet(intent="undo", confidence=0.95))
    await store.record(ctx, ParsedSet(intent="unknown"))
    assert ctx.last is not None and ctx.last.weight == 100
