"""GPX and TCX files become one activity each, with duration, distance and heart rate; kept raw, once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models.db_imports import Activity, ExternalActivityRecord
from server.db import create_engine, create_sessionmaker, upgrade
from server.imports.health_service import import_file
from server.imports.rows import ImportFormatError
from server.store.users import create_user
from tests.track_samples import write_gpx, write_tcx


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[tuple[Any, str]]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    user, _ = await create_user(sessions, "runner")
    yield sessions, user.id
    await engine.dispose()


async def _activities(sessions: Any, user_id: str) -> list[Activity]:
    async with sessions() as s:
        return list((await s.execute(select(Activity).where(Activity.user_id == user_id))).scalars())


async def test_a_gpx_run(db: tuple[Any, str], tmp_path: Path) -> None:
    sessions, user_id = db
    path = tmp_path / "run.gpx"
    want = write_gpx(path)
    result = await import_file(sessions, user_id, "gpx", path)
    assert result.counts() == {"workouts": 1, "sets": 0, "unresolved": 0, "skipped": 0}
    (run,) = await _activities(sessions, user_id)
    assert run.kind == "running" and run.duration_s == want["duration_s"]
    assert run.distance_m == pytest.approx(want["distance_m"], abs=0.5)
    assert (
        run.avg_heart_rate == pytest.approx(want["avg_hr"], abs=0.05) and run.max_heart_rate == want["max_hr"]
    )
    async with sessions() as s:
        raw = (await s.execute(select(ExternalActivityRecord.raw))).scalar_one()
    assert raw["name"] == "Morning Run" and len(raw["points"]) == 1800 and raw["points"][0][4] == 120
    again = await import_file(sessions, user_id, "gpx", path)
    assert (again.activities, again.already_imported) == (0, 1)


async def test_a_tcx_ride_sums_its_laps(db: tuple[Any, str], tmp_path: Path) -> None:
    sessions, user_id = db
    path = tmp_path / "ride.tcx"
    want = write_tcx(path)
    await import_file(sessions, user_id, "tcx", path)
    (ride,) = await _activities(sessions, user_id)
    assert ride.kind == "biking"
    assert (ride.duration_s, ride.distance_m, ride.energy_kcal) == (
        want["duration_s"],
        want["distance_m"],
        want["energy"],
    )
    assert (
        ride.avg_heart_rate == pytest.approx(want["avg_hr"], abs=0.05)
        and ride.max_heart_rate == want["max_hr"]
    )


async def test_a_broken_track_names_its_line_and_imports_nothing(db: tuple[Any, str], tmp_path: Path) -> None:
    sessions, user_id = db
    path = tmp_path / "run.gpx"
    write_gpx(path, n=50)
    lines = path.read_text().split("\n")
    lines[20] = lines[20].replace("</trkpt>", "</trkpoint>")
    path.write_text("\n".join(lines))
    with pytest.raises(ImportFormatError) as caught:
        await import_file(sessions, user_id, "gpx", path)
    assert caught.value.line == 21
    assert await _activities(sessions, user_id) == []


async def test_a_fit_run_from_a_watch(db: tuple[Any, str], tmp_path: Path) -> None:
    from tests.fit_samples import write_fit

    sessions, user_id = db
    path = tmp_path / "run.fit"
    want = write_fit(path)
    result = await import_file(sessions, user_id, "fit", path)
    assert result.counts() == {"workouts": 1, "sets": 0, "unresolved": 0, "skipped": 0}
    (run,) = await _activities(sessions, user_id)
    assert (run.kind, run.duration_s, run.energy_kcal) == ("running", want["duration_s"], want["energy"])
    assert run.distance_m == pytest.approx(want["distance_m"])
    assert (run.avg_heart_rate, run.max_heart_rate) == (want["avg_hr"], want["max_hr"])
    async with sessions() as s:
        raw = (await s.execute(select(ExternalActivityRecord.raw))).scalar_one()
    assert len(raw["points"]) == want["points"] and raw["points"][1][4] == 131
    assert raw["points"][0][1] == pytest.approx(45.0)
    assert (await import_file(sessions, user_id, "fit", path)).already_imported == 1
    broken = tmp_path / "broken.fit"
    broken.write_bytes(path.read_bytes()[:-40])  # cut short: the CRC no longer matches
    with pytest.raises(ImportFormatError) as caught:
        await import_file(sessions, user_id, "fit", broken)
    assert "FIT" in caught.value.message
    assert len(await _activities(sessions, user_id)) == 1
