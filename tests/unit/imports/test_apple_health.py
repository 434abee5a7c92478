"""Apple Health: a 50 MB export streamed in flat memory; workouts become activities, weigh-ins biometrics."""

from __future__ import annotations

import tracemalloc
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.db_imports import Activity, Biometric, ExternalActivityRecord
from server.db import create_engine, create_sessionmaker, upgrade
from server.imports.apple_health import open_export, read_health
from server.imports.health_service import import_health
from server.imports.rows import ImportFormatError
from server.store.users import create_user
from tests.health_samples import write_health_export


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[tuple[object, str]]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    user, _ = await create_user(sessions, "watch-wearer")
    yield sessions, user.id
    await engine.dispose()


async def test_a_50_mb_export_streams_in_flat_memory_and_imports_once(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sessions, user_id = db
    path = tmp_path / "export.xml"
    exp = write_health_export(path, target_bytes=50 * 1024 * 1024)
    size = path.stat().st_size
    assert size >= 50 * 1024 * 1024
    tracemalloc.start()
    try:
        result = await import_health(sessions, user_id, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < size / 5, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB file"
    assert (result.activities, result.biometrics, result.skipped) == (
        exp.activities,
        exp.biometrics,
        exp.skipped,
    )
    assert result.rows == exp.items
    assert result.counts() == {"workouts": exp.activities, "sets": 0, "unresolved": 0, "skipped": exp.skipped}
    assert result.skipped_types["HKQuantityTypeIdentifierStepCount"] > 1000
    async with sessions() as s:  # type: ignore[attr-defined]
        heaviest = (
            await s.execute(select(func.max(Biometric.value)).where(Biometric.user_id == user_id))
        ).scalar()
        distance = (
            await s.execute(select(func.sum(Activity.distance_m)).where(Activity.user_id == user_id))
        ).scalar()
        kinds = dict(
            (
                await s.execute(
                    select(Activity.kind, func.count())
                    .where(Activity.user_id == user_id)
                    .group_by(Activity.kind)
                )
            ).all()
        )
        hr = (
            await s.execute(select(func.min(Activity.avg_heart_rate)).where(Activity.user_id == user_id))
        ).scalar()
        raw = (
            (
                await s.execute(
                    select(ExternalActivityRecord.raw).where(
                        ExternalActivityRecord.user_id == user_id, ExternalActivityRecord.status == "activity"
                    )
                )
            )
            .scalars()
            .first()
        )
        records = (
            await s.execute(
                select(func.count())
                .select_from(ExternalActivityRecord)
                .where(ExternalActivityRecord.user_id == user_id)
            )
        ).scalar()
    assert heaviest == pytest.approx(exp.heaviest_kg, abs=0.01)  # lb weigh-ins in kg
    assert distance == pytest.approx(exp.distance_m)
    assert kinds == exp.kinds and hr is not None and hr >= 110
    assert raw is not None and raw["workoutActivityType"].startswith("HKWorkoutActivityType")
    assert {c["tag"] for c in raw["children"]} >= {"WorkoutStatistics", "MetadataEntry"}
    assert records == exp.activities + exp.biometrics
    again = await import_health(sessions, user_id, path)
    assert (again.activities, again.biometrics, again.already_imported) == (
        0,
        0,
        exp.activities + exp.biometrics,
    )


async def test_a_zip_from_the_health_app_and_a_malformed_file(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sessions, user_id = db
    xml = tmp_path / "export.xml"
    exp = write_health_export(xml, target_bytes=200_000, days=60)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(xml, "apple_health_export/export.xml")
    result = await import_health(sessions, user_id, archive)
    assert (result.activities, result.biometrics) == (exp.activities, exp.biometrics)
    lines = xml.read_text().split("\n")
    broken = next(i for i, line in enumerate(lines) if "BodyMass" in line and i > len(lines) // 2)
    lines[broken] = lines[broken].replace('value="', 'value="heavy', 1)
    bad = tmp_path / "bad.xml"
    bad.write_text("\n".join(lines))
    other, _ = await create_user(sessions, "other-wearer")  # type: ignore[arg-type]
    with pytest.raises(ImportFormatError) as caught:
        await import_health(sessions, other.id, bad)
    assert caught.value.line == broken + 1 and "heavy" in caught.value.message
    lines[broken + 2] = "<Record <<<"
    bad.write_text("\n".join(lines))
    with pytest.raises(ImportFormatError) as caught:
        await import_health(sessions, other.id, bad)
    assert caught.value.line is not None and "malformed" in caught.value.message
    async with sessions() as s:  # type: ignore[attr-defined]
        for model in (Activity, Biometric, ExternalActivityRecord):
            n = (
                await s.execute(select(func.count()).select_from(model).where(model.user_id == other.id))
            ).scalar()
            assert n == 0  # one transaction: nothing of a malformed file stays


def test_elements_carry_the_line_they_start_on(tmp_path: Path) -> None:
    xml = tmp_path / "export.xml"
    write_health_export(xml, target_bytes=50_000, days=10)
    lines = xml.read_text().split("\n")
    with open_export(xml) as stream:
        for item in read_health(stream):
            if item.kind == "biometric":
                assert "BodyMass" in lines[item.line - 1]
            if item.kind == "activity":
                assert lines[item.line - 1].lstrip().startswith("<Workout ")
