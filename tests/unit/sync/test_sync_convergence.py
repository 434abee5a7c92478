"""Property: two phones edit offline (creating, editing and deleting sets, renaming the workout) while the
server corrects some sets; their batches arrive in any order, any number of times. Every delivery order
ends in the same state, the state the merge rule says (computed here independently, from the edits alone),
both phones converge on it by pulling, every change is answered, replays answer the same, and nothing a
server correction kept is ever silently lost: the refused change is reported each time it arrives.
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

from server.db import create_engine, create_sessionmaker, upgrade
from server.sync.journal import install
from tests.unit.sync.harness import SyncDb, change

SEEDED = 4
BENCH, SQUAT = "Barbell_Bench_Press_-_Medium_Grip", "Barbell_Squat"


@dataclass
class Op:
    device: str  # A | B
    action: str  # create | edit | delete | rename
    target: int  # seeded set index, or (when >= SEEDED) the device's own n-th created set
    fld: str  # reps | weight | rpe
    value: float
    minute: int  # client time: minutes from the example's start (the server corrects at 0)


@dataclass
class Scenario:
    corrections: list[tuple[int, str, float]]  # seeded set, field, value
    b_informed: bool  # B pulled the corrections before going offline
    ops: list[Op]
    splits: dict[str, list[int]]  # where each device's ops are cut into batches
    orders: list[list[int]] = field(default_factory=list)  # delivery orders (batch indices, with repeats)


_VALUES = {"reps": [3, 5, 8, 10, 12], "weight": [60.0, 80.0, 100.0, 102.5], "rpe": [7.0, 8.0, 9.5]}


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    n = draw(st.integers(min_value=2, max_value=14))
    minutes = draw(
        st.lists(st.integers(-120, 120).filter(lambda m: m != 0), min_size=n, max_size=n, unique=True)
    )
    ops = []
    for m in minutes:
        fld = draw(st.sampled_from(sorted(_VALUES)))
        ops.append(
            Op(
                device=draw(st.sampled_from("AB")),
                action=draw(st.sampled_from(["create", "edit", "edit", "edit", "delete", "rename"])),
                target=draw(st.integers(0, SEEDED + 2)),
                fld=fld,
                value=draw(st.sampled_from(_VALUES[fld])),
                minute=m,
            )
        )
    corrections = draw(
        st.lists(
            st.tuples(
                st.integers(0, SEEDED - 1), st.sampled_from(["reps", "weight"]), st.sampled_from([4, 6, 7])
            ),
            max_size=3,
            unique_by=lambda c: (c[0], c[1]),
        )
    )
    splits = {d: sorted(draw(st.sets(st.integers(1, 13), max_size=2))) for d in "AB"}
    scenario = Scenario(
        corrections=[(i, f, float(v) if f == "weight" else v) for i, f, v in corrections],
        b_informed=draw(st.booleans()),
        ops=ops,
        splits=splits,
    )
    batches = len(_batches(scenario, _Ids()))
    for _ in range(2):
        order = draw(st.permutations(range(batches)))
        extra = draw(st.lists(st.integers(0, max(batches - 1, 0)), max_size=batches)) if batches else []
        scenario.orders.append(draw(st.permutations([*order, *extra])))
    return scenario


class _Ids:
    """Client ids fixed per scenario, so every run (and the model) names records the same."""

    def __init__(self) -> None:
        self.workout = str(uuid.UUID(int=1))
        self.seeded = [str(uuid.UUID(int=100 + i)) for i in range(SEEDED)]

    @staticmethod
    def created(device: str, n: int) -> str:
        return str(uuid.UUID(int=(1000 if device == "A" else 2000) + n))

    @staticmethod
    def delete(k: int) -> str:
        return str(uuid.UUID(int=5000 + k))


def _targets(scenario: Scenario, ids: _Ids) -> list[str | None]:
    """The set each op acts on (its client id): a seeded set, or one the device created earlier."""
    made: dict[str, int] = {"A": 0, "B": 0}
    out: list[str | None] = []
    for op in scenario.ops:
        if op.action == "create":
            out.append(ids.created(op.device, made[op.device]))
            made[op.device] += 1
        elif op.action == "rename":
            out.append(None)
        elif op.target >= SEEDED and made[op.device]:
            out.append(ids.created(op.device, (op.target - SEEDED) % made[op.device]))
        else:
            out.append(ids.seeded[op.target % SEEDED])
    return out


def _at(start: datetime, minute: int) -> datetime:
    return start + timedelta(minutes=minute)


def _change(op: Op, k: int, target: str | None, ids: _Ids, start: datetime) -> dict[str, Any]:
    at = _at(start, op.minute)
    if op.action == "rename":
        return change("upsert_workout", ids.workout, at, name=f"{op.device}{op.minute}")
    if op.action == "delete":
        return change("delete_set", ids.delete(k), at, {"client_id": target})
    data: dict[str, Any] = {op.fld: op.value}
    if op.fld == "weight":
        data["unit"] = "kg"
    if op.action == "create":
        data |= {"workout_client_id": ids.workout, "exercise_id": SQUAT, "performed_at": at.isoformat()}
    assert target is not None
    return change("upsert_set", target, at, data)


Batch = tuple[str, list[dict[str, Any]], list[int]]  # device, changes, the op each change came from


def _batches(scenario: Scenario, ids: _Ids, start: datetime | None = None) -> list[Batch]:
    start = start or datetime(2026, 1, 1, tzinfo=UTC)
    targets = _targets(scenario, ids)
    out: list[Batch] = []
    for device in "AB":
        mine = [(k, op) for k, op in enumerate(scenario.ops) if op.device == device]
        cuts = [0, *[c for c in scenario.splits[device] if c < len(mine)], len(mine)]
        for lo, hi in itertools.pairwise(cuts):
            if hi > lo:
                chunk = mine[lo:hi]
                changes = [_change(op, k, targets[k], ids, start) for k, op in chunk]
                out.append((device, changes, [k for k, _ in chunk]))
    return out


def expected(scenario: Scenario, ids: _Ids) -> tuple[dict[str, dict[str, Any]], str | None]:
    """The merge rule from the edits alone: per field the newest write that was not refused; a device
    that had not pulled a correction has its writes to that field, and its deletions of that set, refused;
    a set is gone when its newest deletion is newer than every write it kept."""
    seed_minute, corr_minute = -10_000, 0
    fields: dict[str, dict[str, tuple[int, Any]]] = {}
    for client in ids.seeded:
        fields[client] = {
            "reps": (seed_minute, 5),
            "weight": (seed_minute, 100.0),
            "rpe": (seed_minute, None),
        }
    pinned: dict[str, set[str]] = {}
    for i, fld, value in scenario.corrections:
        fields[ids.seeded[i]][fld] = (corr_minute, value)
        pinned.setdefault(ids.seeded[i], set()).add(fld)
    deleted: dict[str, int] = {}
    name: tuple[int, str | None] = (seed_minute, "seed")
    for op, target in zip(scenario.ops, _targets(scenario, ids), strict=True):
        blind = op.device == "A" or not scenario.b_informed
        if op.action == "rename":
            name = max(name, (op.minute, f"{op.device}{op.minute}"))
            continue
        assert target is not None
        if op.action == "delete":
            if not (blind and pinned.get(target)):
                deleted[target] = max(deleted.get(target, -(10**9)), op.minute)
            continue
        if blind and op.fld in pinned.get(target, set()):
            continue
        have = fields.setdefault(target, {})
        if op.fld not in have or have[op.fld][0] < op.minute:
            have[op.fld] = (op.minute, op.value)
        if op.action == "create":
            have.setdefault("_created", (op.minute, True))
    state: dict[str, dict[str, Any]] = {}
    for client, have in fields.items():
        if client not in ids.seeded and "_created" not in have:
            continue  # edits of a set whose creation never came (cannot happen: every batch arrives)
        newest = max(t for t, _ in have.values())
        if client in deleted and deleted[client] >= newest:
            continue
        state[client] = {f: have.get(f, (0, None))[1] for f in ("reps", "weight", "rpe")}
    return state, name[1]


def _project(rows: Any) -> dict[str, dict[str, Any]]:
    return {r.client_id: {"reps": r.reps, "weight": r.weight, "rpe": r.rpe} for r in rows}


def _replica_apply(replica: dict[str, dict[str, Any]], changes: list[dict[str, Any]]) -> None:
    for c in changes:
        if c["op"] == "upsert_set":
            d = c["data"]
            replica[c["client_id"]] = {"reps": d["reps"], "weight": d["weight"], "rpe": d["rpe"]}
        elif c["op"] == "delete_set":
            replica.pop(c["client_id"], None)


async def _run(db: SyncDb, scenario: Scenario, order: list[int]) -> dict[str, Any]:
    ids = _Ids()
    user = await db.user()
    start = datetime.now(UTC)
    seed = [change("upsert_workout", ids.workout, start - timedelta(days=7), name="seed")]
    for i, client in enumerate(ids.seeded):
        seed.append(
            change(
                "upsert_set",
                client,
                start - timedelta(days=7),
                workout_client_id=ids.workout,
                exercise_id=BENCH,
                reps=5,
                weight=100.0,
                unit="kg",
                performed_at=(start - timedelta(days=7, minutes=-i)).isoformat(),
            )
        )
    seeded = await db.sync(user, None, seed)
    assert seeded.conflicts == []
    c0 = seeded.cursor
    replicas = {d: {} for d in "AB"}
    for d in "AB":
        _replica_apply(replicas[d], msgspec.to_builtins(seeded.changes))
    by_client = {r.client_id: r.id for r in (await db.sets(user)).values()}
    for i, fld, value in scenario.corrections:
        await db.correct(user, by_client[ids.seeded[i]], **{fld: value})
    cursors = {"A": c0, "B": c0}
    if scenario.b_informed:
        pulled, cursors["B"] = await db.pull_all(user, c0)
        _replica_apply(replicas["B"], pulled)
    batches = _batches(scenario, ids, start)
    answers: dict[int, list[Any]] = {}
    for b in order:
        device, changes, _ = batches[b]
        answer = await db.sync(user, cursors[device], changes)
        answered = answer.applied + [c.client_id for c in answer.conflicts]
        assert sorted(answered) == sorted(c["client_id"] for c in changes)  # every change answered
        shape = (answer.applied, [(c.index, c.reason, c.fields) for c in answer.conflicts])
        answers.setdefault(b, []).append(shape)
    for shapes in answers.values():
        assert all(s == shapes[0] for s in shapes)  # a replay answers exactly what the first delivery did
    for d in "AB":
        pulled, _ = await db.pull_all(user, cursors[d])
        _replica_apply(replicas[d], pulled)
    server = _project((await db.sets(user)).values())
    (workout,) = (await db.workouts(user)).values()
    assert replicas["A"] == server and replicas["B"] == server  # both phones converge on the server
    return {"sets": server, "name": workout.name, "answers": answers, "batches": batches, "start": start}


_DB: dict[str, str] = {}


def _database() -> str:
    if "url" not in _DB:
        url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='sync-prop-')) / 'v.db'}"

        async def make() -> None:
            engine = create_engine(url)
            await upgrade(engine)
            await engine.dispose()

        asyncio.run(make())
        _DB["url"] = url
    return _DB["url"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_any_delivery_order_and_any_replays_converge_on_the_merge_rule(scenario: Scenario) -> None:
    install()
    url = _database()

    async def both() -> list[dict[str, Any]]:
        engine = create_engine(url)
        try:
            db = SyncDb(engine, create_sessionmaker(engine))
            return [await _run(db, scenario, order) for order in scenario.orders]
        finally:
            await engine.dispose()

    first, second = asyncio.run(both())
    assert first["sets"] == second["sets"] and first["name"] == second["name"]
    want_sets, want_name = expected(scenario, _Ids())
    assert first["sets"] == want_sets
    assert first["name"] == want_name
    # A change a server correction refused is reported every time it arrives, never applied silently.
    ids = _Ids()
    targets = _targets(scenario, ids)
    pinned = {(ids.seeded[i], f) for i, f, _ in scenario.corrections}
    pinned_sets = {s for s, _ in pinned}
    for run in (first, second):
        for b, shapes in run["answers"].items():
            device, _changes, op_indices = run["batches"][b]
            blind = device == "A" or not scenario.b_informed
            for _applied, conflicts in shapes:
                reasons = {i: reason for i, reason, _ in conflicts}
                for position, k in enumerate(op_indices):
                    op, target = scenario.ops[k], targets[k]
                    hits = (op.action == "edit" and (target, op.fld) in pinned) or (
                        op.action == "delete" and target in pinned_sets
                    )
                    if blind and hits and _differs(scenario, op, target, ids):
                        assert reasons.get(position) == "server_correction", (op, conflicts)


def _differs(scenario: Scenario, op: Op, target: str | None, ids: _Ids) -> bool:
    """A write of the very value the correction set loses nothing; a deletion always would."""
    if op.action == "delete":
        return True
    return all(
        not (ids.seeded[i] == target and f == op.fld and v == op.value) for i, f, v in scenario.corrections
    )
