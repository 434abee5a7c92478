"""The profile ledger on a real SQLite database: after 1,000 random patches (valid and not), replaying
the ledger gives exactly the stored profile, refused patches changed nothing, and `as_of` rebuilds the
profile as it stood at the end of every past day."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.db import create_engine, create_sessionmaker, upgrade
from server.profile.ledger import DEFAULT_PROFILE, PatchRefused, apply_patch, patch_path, replay
from server.profile.store import change_profile, current_profile, ledger, profile_as_of, replace_profile
from server.store.users import create_user

AREAS = ["left shoulder", "right knee", "lower back", "wrist"]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    await upgrade(engine)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


def random_op(rng: random.Random, doc: dict[str, Any]) -> dict[str, Any]:
    """One operation; some are meant to fail (out of range, unknown field, missing index, bad enum)."""
    n = len(doc["constraints"])
    choice = rng.randrange(14)
    if choice == 0:
        value = {"value": round(rng.uniform(40, 150), 1), "unit": rng.choice(["kg", "lb"])}
        return {"op": "replace", "path": "/metrics/bodyweight", "value": value}
    if choice == 1:
        return {"op": "replace", "path": "/availability/daysPerWeek", "value": rng.randint(0, 9)}
    if choice == 2:
        constraint = {
            "id": f"c{rng.randrange(10_000)}",
            "type": rng.choice(["injury", "mobility", "schedule", "other"]),
            "label": f"{rng.choice(AREAS)} pain",
            "affectedAreas": [rng.choice(AREAS)],
        }
        return {"op": "add", "path": "/constraints/-", "value": constraint}
    if choice == 3:
        return {"op": "remove", "path": f"/constraints/{rng.randint(0, n + 1)}"}
    if choice == 4:
        return {"op": "replace", "path": f"/constraints/{rng.randint(0, n)}/status", "value": "resolved"}
    if choice == 5:
        name = rng.choice(["front squat", "pull-up", "deadlift", "lunges"])
        return {"op": "add", "path": "/preferences/enjoyedExercises/-", "value": name}
    if choice == 6:
        tone = rng.choice(["friendly", "tough-love", "clinical", "cheerleader", "mean"])
        return {"op": "replace", "path": "/preferences/coachingTone", "value": tone}
    if choice == 7:
        return {"op": "add", "path": rng.choice(["/nickname", "/goals/mood"]), "value": "x"}
    if choice == 8:
        return {"op": "test", "path": "/version", "value": rng.choice([1, 1, 2])}
    if choice == 9:
        return {
            "op": "move",
            "from": "/preferences/enjoyedExercises/0",
            "path": "/preferences/dislikedExercises/-",
        }
    if choice == 10:
        return {"op": "replace", "path": "/goals/primaryGoal", "value": rng.choice(["strength", "fat loss"])}
    if choice == 11:
        return {"op": "remove", "path": rng.choice(["/metrics/bodyweight", "/goals/objective"])}
    if choice == 12:
        return {"op": "copy", "from": "/goals/primaryGoal", "path": "/training/program"}
    return {"op": "replace", "path": "/metrics/bodyweight/value", "value": rng.uniform(-5, 200)}


async def test_ledger_replay_equals_the_stored_profile_after_1000_random_patches(
    db: async_sessionmaker[AsyncSession],
) -> None:
    user, _ = await create_user(db, "ledger")
    rng = random.Random(16)
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    expected = DEFAULT_PROFILE
    end_of_day: dict[date, dict[str, Any]] = {}
    refused = kept = 0
    for i in range(1000):
        patch = [random_op(rng, expected) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
        at = start + timedelta(hours=7 * i)
        try:
            after = await change_profile(db, user.id, patch, source="auto", reason=f"step {i}", at=at)
        except PatchRefused:
            refused += 1
            with pytest.raises(PatchRefused):
                apply_patch(expected, patch)  # the pure function agrees it cannot apply
        else:
            kept += after != expected
            assert after == apply_patch(expected, patch)
            expected = after
        end_of_day[at.date()] = expected
        if i % 100 == 0:
            async with db() as session:
                assert (await current_profile(session, user.id))[0] == expected
    assert refused > 150 and kept > 400  # both kinds really happened

    async with db() as session:
        stored, revision = await current_profile(session, user.id)
        rows = await ledger(session, user.id)
        assert stored == expected
        assert revision == len(rows) == kept
        assert replay(r.patch for r in rows) == stored
        assert all(r.path == patch_path(r.patch) and r.source == "auto" for r in rows)
        for day in sorted(end_of_day)[::9]:
            assert await profile_as_of(session, user.id, day) == end_of_day[day], day
        assert await profile_as_of(session, user.id, date(2025, 12, 31)) == DEFAULT_PROFILE


async def test_a_refused_patch_changes_nothing_and_a_put_is_kept_as_its_diff(
    db: async_sessionmaker[AsyncSession],
) -> None:
    user, _ = await create_user(db, "put")
    whole = {
        "goals": {"primaryGoal": "strength"},
        "metrics": {"bodyweight": {"value": 82, "unit": "kg"}},
        "availability": {"daysPerWeek": 4},
    }
    first = await replace_profile(db, user.id, whole)
    assert first["metrics"]["bodyweight"] == {"value": 82.0, "unit": "kg"}
    for bad in (
        [{"op": "replace", "path": "/availability/daysPerWeek", "value": 8}],
        [{"op": "add", "path": "/goals/primaryGoal", "value": "power"}, {"op": "remove", "path": "/nope"}],
        {"op": "add"},
    ):
        with pytest.raises(PatchRefused):
            await change_profile(db, user.id, bad)
    again = await replace_profile(db, user.id, whole)  # the same profile: no change, no ledger row
    async with db() as session:
        rows = await ledger(session, user.id)
        assert (await current_profile(session, user.id))[0] == first == again
    assert len(rows) == 1
    ops = {op["path"]: op for op in rows[0].patch}
    assert ops["/goals/primaryGoal"]["value"] == "strength"
    assert ops["/availability/daysPerWeek"]["value"] == 4
    assert all(op["op"] == "replace" for op in rows[0].patch)


def test_alternative_names_fold_on_put_and_patch_alike() -> None:
    from server.profile.ledger import canonical

    put = canonical({"primaryGoal": "strength", "metrics": {"height": 180}})
    assert put["goals"]["primaryGoal"] == "strength" and put["metrics"]["heightCm"] == 180.0
    patched = apply_patch(
        DEFAULT_PROFILE, [{"op": "add", "path": "/metrics/height", "value": {"value": 6, "unit": "ft"}}]
    )
    assert patched["metrics"]["heightCm"] == 182.9
    with pytest.raises(PatchRefused):  # both names at once: the alias is an unknown field
        canonical({"metrics": {"height": 180, "heightCm": 181}})
    with pytest.raises(PatchRefused):
        apply_patch(
            DEFAULT_PROFILE, [{"op": "add", "path": "/metrics/height", "value": {"value": 6, "unit": "yd"}}]
        )
