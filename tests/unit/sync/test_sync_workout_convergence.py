"""Property: two phones rename a workout, delete it, create, edit and delete its sets, and make and rename a
custom exercise some sets name by its client id, offline; their batches arrive in any order, any number of
times. Every order ends in the state the rule gives from the edits alone (a workout is there while its newest
write is newer than its newest deletion; a set while its own is, its workout is there and its exercise has
come), both phones converge on it by pulling, and replays answer the same.
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models.db import Exercise
from server.db import create_engine, create_sessionmaker, upgrade
from server.sync.journal import install
from tests.unit.sync.harness import SyncDb, change

SEEDED = 3
SQUAT = "Barbell_Squat"
WORKOUT = str(uuid.UUID(int=1))
EXERCISE = str(uuid.UUID(int=2))
SEEDS = [str(uuid.UUID(int=100 + i)) for i in range(SEEDED)]


@dataclass
class Op:
    device: str
    action: str  # rename | delete_workout | create | create_custom | edit | delete_set | exercise
    target: int
    reps: int
    minute: int


@dataclass
class Scenario:
    ops: list[Op]
    splits: dict[str, list[int]]
    orders: list[list[int]] = field(default_factory=list)


def _set_client(op: Op, k: int) -> str:
    return str(uuid.UUID(int=1000 + k)) if op.action.startswith("create") else SEEDS[op.target % SEEDED]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    n = draw(st.integers(min_value=2, max_value=12))
    minutes = draw(st.lists(st.integers(-120, 120), min_size=n, max_size=n, unique=True))
    actions = [
        "rename",
        "delete_workout",
        "create",
        "create_custom",
        "edit",
        "edit",
        "delete_set",
        "exercise",
    ]
    ops = [
        Op(
            device=draw(st.sampled_from("AB")),
            action=draw(st.sampled_from(actions)),
            target=draw(st.integers(0, SEEDED - 1)),
            reps=draw(st.sampled_from([3, 5, 8])),
            minute=m,
        )
        for m in minutes
    ]
    scenario = Scenario(
        ops=ops, splits={d: sorted(draw(st.sets(st.integers(1, 11), max_size=2))) for d in "AB"}
    )
    count = len(_batches(scenario, datetime(2026, 1, 1, tzinfo=UTC)))
    for _ in range(2):
        order = draw(st.permutations(range(count)))
        extra = draw(st.lists(st.integers(0, max(count - 1, 0)), max_size=count)) if count else []
        scenario.orders.append(draw(st.permutations([*order, *extra])))
    return scenario


def _change(op: Op, k: int, start: datetime) -> dict[str, Any]:
    at = start + timedelta(minutes=op.minute)
    if op.action == "rename":
        return change("upsert_workout", WORKOUT, at, name=f"{op.device}{op.minute}")
    if op.action == "delete_workout":
        return change("delete_workout", str(uuid.UUID(int=7000 + k)), at, {"client_id": WORKOUT})
    if op.action == "delete_set":
        return change("delete_set", str(uuid.UUID(int=5000 + k)), at, {"client_id": _set_client(op, k)})
    if op.action == "exercise":
        return change("upsert_exercise", EXERCISE, at, name=f"Odd Lift {op.device}{op.minute}")
    data: dict[str, Any] = {"reps": op.reps}
    if op.action == "create":
        data |= {"workout_client_id": WORKOUT, "exercise_id": SQUAT, "performed_at": at.isoformat()}
    if op.action == "create_custom":
        data |= {"workout_client_id": WORKOUT, "exercise_client_id": EXERCISE, "performed_at": at.isoformat()}
    return change("upsert_set", _set_client(op, k), at, data)


def _batches(scenario: Scenario, start: datetime) -> list[list[dict[str, Any]]]:
    out = []
    for device in "AB":
        mine = [(k, op) for k, op in enumerate(scenario.ops) if op.device == device]
        cuts = [0, *[c for c in scenario.splits[device] if c < len(mine)], len(mine)]
        out += [
            [_change(op, k, start) for k, op in mine[lo:hi]] for lo, hi in itertools.pairwise(cuts) if hi > lo
        ]
    return out


def expected(scenario: Scenario) -> tuple[str | None, dict[str, int], str | None]:
    """(the workout's name, or None when it is gone; client id → reps of the sets there; the custom
    exercise's name, or None when it never came)."""
    seed = -10_000
    name = (seed, "seed")
    renames = [
        (op.minute, f"Odd Lift {op.device}{op.minute}") for op in scenario.ops if op.action == "exercise"
    ]
    exercise = max(renames)[1] if renames else None
    waiting = {_set_client(op, k) for k, op in enumerate(scenario.ops) if op.action == "create_custom"}
    deleted_at = None
    sets: dict[str, dict[str, int]] = {s: {"write": seed, "reps_at": seed, "reps": 5} for s in SEEDS}
    set_deleted: dict[str, int] = {}
    for k, op in enumerate(scenario.ops):
        if op.action == "exercise":
            continue  # the custom exercise: its name is the newest rename, above
        if op.action == "rename":
            name = max(name, (op.minute, f"{op.device}{op.minute}"))
        elif op.action == "delete_workout":
            deleted_at = max(deleted_at if deleted_at is not None else op.minute, op.minute)
        elif op.action == "delete_set":
            target = _set_client(op, k)
            set_deleted[target] = max(set_deleted.get(target, op.minute), op.minute)
        else:
            s = sets.setdefault(
                _set_client(op, k), {"write": op.minute, "reps_at": op.minute, "reps": op.reps}
            )
            s["write"] = max(s["write"], op.minute)
            if op.minute >= s["reps_at"]:
                s["reps_at"], s["reps"] = op.minute, op.reps
    if deleted_at is not None and deleted_at >= name[0]:
        return None, {}, exercise
    live = {c: s["reps"] for c, s in sets.items() if c not in set_deleted or s["write"] > set_deleted[c]}
    if exercise is None:  # sets that name the custom exercise wait for it
        live = {c: r for c, r in live.items() if c not in waiting}
    return name[1], live, exercise


def _apply(replica: dict[str, Any], changes: list[dict[str, Any]]) -> None:
    for c in changes:
        if c["op"] == "upsert_workout":
            replica["workout"] = c["data"]["name"]
        elif c["op"] == "delete_workout":
            replica["workout"] = None
        elif c["op"] == "upsert_set":
            replica["sets"][c["client_id"]] = c["data"]["reps"]
        elif c["op"] == "delete_set":
            replica["sets"].pop(c["client_id"], None)
        elif c["op"] == "upsert_exercise":
            replica["exercise"] = c["data"]["name"]


async def _run(
    db: SyncDb, scenario: Scenario, order: list[int]
) -> tuple[str | None, dict[str, int], str | None]:
    user = await db.user()
    start = datetime.now(UTC)
    week = start - timedelta(days=7)
    seed = [change("upsert_workout", WORKOUT, week, name="seed")]
    seed += [
        change(
            "upsert_set",
            s,
            week,
            workout_client_id=WORKOUT,
            exercise_id=SQUAT,
            reps=5,
            performed_at=week.isoformat(),
        )
        for s in SEEDS
    ]
    seeded = await db.sync(user, None, seed)
    replicas: dict[str, dict[str, Any]] = {d: {"workout": None, "sets": {}, "exercise": None} for d in "AB"}
    for d in "AB":
        _apply(replicas[d], msgspec.to_builtins(seeded.changes))
    batches = _batches(scenario, start)
    answers: dict[int, list[Any]] = {}
    for b in order:
        answer = await db.sync(user, seeded.cursor, batches[b])
        answered = answer.applied + [c.client_id for c in answer.conflicts]
        assert sorted(answered) == sorted(c["client_id"] for c in batches[b])
        answers.setdefault(b, []).append((answer.applied, [(c.index, c.reason) for c in answer.conflicts]))
    assert all(all(s == shapes[0] for s in shapes) for shapes in answers.values())
    for d in "AB":
        pulled, _ = await db.pull_all(user, seeded.cursor)
        _apply(replicas[d], pulled)
    workouts = await db.workouts(user)
    name = next(iter(workouts.values())).name if workouts else None
    async with db.sessions() as session:
        custom = (
            (await session.execute(select(Exercise.name).where(Exercise.owner_id == user))).scalars().all()
        )
    server = (
        name,
        {r.client_id: r.reps for r in (await db.sets(user)).values()},
        custom[0] if custom else None,
    )
    for d in "AB":
        assert (replicas[d]["workout"], replicas[d]["sets"], replicas[d]["exercise"]) == server, d
    return server


_DB: dict[str, str] = {}


def _database() -> str:
    if "url" not in _DB:
        url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='sync-wprop-')) / 'v.db'}"

        async def make() -> None:
            engine = create_engine(url)
            await upgrade(engine)
            await engine.dispose()

        asyncio.run(make())
        _DB["url"] = url
    return _DB["url"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_workout_deletions_in_any_order_and_any_replays_converge_on_the_rule(scenario: Scenario) -> None:
    install()
    url = _database()

    async def both() -> list[tuple[str | None, dict[str, int], str | None]]:
        engine = create_engine(url)
        try:
            db = SyncDb(engine, create_sessionmaker(engine))
            return [await _run(db, scenario, order) for order in scenario.orders]
        finally:
            await engine.dispose()

    first, second = asyncio.run(both())
    assert first == second == expected(scenario)
