"""A year of Hevy (kg and lb exports) into a real SQLite database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from matcher.parser import CONFIDENCE_THRESHOLD
from matcher.resolver import ExerciseMatcher
from models.db import WorkoutSet
from models.db_imports import ExternalActivityRecord
from server.db import create_engine, create_sessionmaker, upgrade
from server.imports.hevy import parse_hevy
from server.imports.rows import ImportFormatError
from server.imports.service import ImportService
from server.store.users import create_user
from tests.import_samples import hevy_csv


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[tuple[ImportService, str]]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    user, _ = await create_user(sessions, "hevy-lifter", default_unit="lb")
    yield ImportService(sessions, ExerciseMatcher.from_fixtures(), threshold=CONFIDENCE_THRESHOLD), user.id
    await engine.dispose()


@pytest.mark.parametrize("unit", ["kg", "lb"])
async def test_a_year_of_hevy_with_its_own_units(service: tuple[ImportService, str], unit: str) -> None:
    importer, user_id = service
    text, exp = hevy_csv(unit=unit)
    result = await importer.import_bytes(user_id, "hevy", text.encode(), unit="lb")
    assert result.counts() == {
        "workouts": exp.workouts,
        "sets": exp.sets,
        "unresolved": exp.unresolved,
        "skipped": exp.skipped,
    }
    assert result.volume == {unit: pytest.approx(exp.volume)}
    async with importer.sessionmaker() as s:
        best = dict(
            (
                await s.execute(
                    select(WorkoutSet.exercise_id, func.max(WorkoutSet.weight))
                    .where(WorkoutSet.user_id == user_id)
                    .group_by(WorkoutSet.exercise_id)
                )
            ).all()
        )
        superset = (
            await s.execute(
                select(ExternalActivityRecord.raw).where(
                    ExternalActivityRecord.user_id == user_id, ExternalActivityRecord.status == "set"
                )
            )
        ).scalars()
        kept = [r for r in superset if r["superset_id"]]
    for ex_id, heaviest in exp.best.items():
        assert best[ex_id] == pytest.approx(heaviest)
    assert kept and {"superset_id", "set_type", "exercise_notes"} <= set(kept[0])  # raw, as Hevy wrote it
    again = await importer.import_bytes(user_id, "hevy", text.encode(), unit="lb")
    assert (again.sets, again.workouts, again.skipped) == (0, 0, exp.rows)


def test_hevy_rows_read_times_types_and_units() -> None:
    text, _ = hevy_csv(weeks=1, unit="lb")
    rows = parse_hevy(text, unit="kg")
    assert rows[0].workout.started_at.year == 2023 and rows[0].workout.ended_at is not None
    assert {r.unit for r in rows if r.weight} == {"lb"}
    assert {r.kind for r in rows} <= {"normal", "warmup", "failure", "drop"}
    bad = text.replace('"normal"', '"sideways"', 1)
    with pytest.raises(ImportFormatError) as caught:
        parse_hevy(bad, unit="kg")
    assert "set_type" in caught.value.message and caught.value.line is not None
    assert '"sideways"' in bad.split("\n")[caught.value.line - 1]
