"""A 3-year Strong export into a real SQLite database: counts, totals and PRs as the generator made them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from matcher.parser import CONFIDENCE_THRESHOLD
from matcher.resolver import ExerciseMatcher
from models.db import Workout, WorkoutSet
from models.db_imports import ExternalActivityRecord, ExternalIngestionRun
from server.db import create_engine, create_sessionmaker, upgrade
from server.imports.rows import ImportFormatError
from server.imports.service import ImportService
from server.store.users import create_user
from tests.import_samples import UNKNOWN_NAMES, strong_csv

_MATCHER = ExerciseMatcher.from_fixtures()


class Db:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], user_id: str) -> None:
        self.sessions, self.user_id = sessions, user_id
        self.service = ImportService(sessions, _MATCHER, threshold=CONFIDENCE_THRESHOLD)

    async def scalar(self, query):  # type: ignore[no-untyped-def]
        async with self.sessions() as s:
            return (await s.execute(query)).scalar()

    async def counts(self) -> tuple[int, int, int]:
        u = self.user_id
        return (
            await self.scalar(select(func.count()).select_from(Workout).where(Workout.user_id == u)),
            await self.scalar(select(func.count()).select_from(WorkoutSet).where(WorkoutSet.user_id == u)),
            await self.scalar(
                select(func.count())
                .select_from(ExternalActivityRecord)
                .where(ExternalActivityRecord.user_id == u)
            ),
        )


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Db]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    user, _ = await create_user(sessions, "lifter", default_unit="kg")
    yield Db(sessions, user.id)
    await engine.dispose()


async def test_three_years_of_strong_import_with_the_generators_numbers(db: Db) -> None:
    csv_text, exp = strong_csv(years=3)
    assert exp.rows >= 5000
    result = await db.service.import_bytes(db.user_id, "strong", csv_text.encode(), unit="kg")
    assert result.counts() == {
        "workouts": exp.workouts,
        "sets": exp.sets,
        "unresolved": exp.unresolved,
        "skipped": exp.skipped,
    }
    assert result.rows == exp.rows == exp.sets + exp.unresolved + exp.skipped
    assert result.volume["kg"] == pytest.approx(exp.volume)
    assert {u["name"] for u in result.unresolved_names} == set(UNKNOWN_NAMES)
    workouts, sets, records = await db.counts()
    assert (workouts, sets) == (exp.workouts, exp.sets)
    assert records == exp.rows + exp.workouts  # every row raw, and each workout's own fields
    async with db.sessions() as s:
        best = dict(
            (
                await s.execute(
                    select(WorkoutSet.exercise_id, func.max(WorkoutSet.weight))
                    .where(WorkoutSet.user_id == db.user_id)
                    .group_by(WorkoutSet.exercise_id)
                )
            ).all()
        )
        per_exercise = dict(
            (
                await s.execute(
                    select(WorkoutSet.exercise_id, func.count())
                    .where(WorkoutSet.user_id == db.user_id)
                    .group_by(WorkoutSet.exercise_id)
                )
            ).all()
        )
        first, last = (
            await s.execute(
                select(func.min(Workout.started_at), func.max(Workout.started_at)).where(
                    Workout.user_id == db.user_id
                )
            )
        ).one()
        volume = (
            await s.execute(
                select(func.sum(WorkoutSet.weight * WorkoutSet.reps)).where(WorkoutSet.user_id == db.user_id)
            )
        ).scalar()
    for ex_id, heaviest in exp.best.items():
        assert best[ex_id] == pytest.approx(heaviest), ex_id  # the PR of every lift survives the import
    for ex_id, n in exp.sets_per_exercise.items():
        assert per_exercise[ex_id] == n, ex_id
    assert volume == pytest.approx(exp.volume)
    assert str(first)[:19] == exp.first_day and str(last)[:19] == exp.last_day


async def test_raw_rows_are_kept_exactly_and_linked_to_their_sets(db: Db) -> None:
    csv_text, _ = strong_csv(years=1, seed=3)
    await db.service.import_bytes(db.user_id, "strong", csv_text.encode(), unit="kg")
    async with db.sessions() as s:
        rows = (
            await s.execute(
                select(ExternalActivityRecord).where(
                    ExternalActivityRecord.user_id == db.user_id, ExternalActivityRecord.status == "set"
                )
            )
        ).scalars()
        noted = [r for r in rows if "\n" in r.raw["Notes"]]
        assert noted, "the generator writes notes with newlines"
        record = noted[0]
        kept = await s.get(WorkoutSet, record.set_id)
    assert kept is not None and kept.workout_id == record.workout_id
    assert record.raw["Notes"] == "paused reps\nslow eccentric"
    assert float(record.raw["Weight"]) == kept.weight and int(record.raw["Reps"]) == kept.reps
    line = csv_text.split("\n")[record.line - 1]
    assert line.startswith(record.raw["Date"]) and record.raw["Exercise Name"] in line


async def test_importing_again_adds_nothing_and_a_later_export_only_its_new_rows(db: Db) -> None:
    one_year, exp1 = strong_csv(years=1)
    two_years, exp2 = strong_csv(years=2)  # same seed: the first year is the same rows
    assert two_years.startswith(one_year.rsplit("\n", 2)[0])
    first = await db.service.import_bytes(db.user_id, "strong", one_year.encode(), unit="kg")
    before = await db.counts()
    again = await db.service.import_bytes(db.user_id, "strong", one_year.encode(), unit="kg")
    assert again.counts() == {"workouts": 0, "sets": 0, "unresolved": 0, "skipped": exp1.rows}
    assert await db.counts() == before
    later = await db.service.import_bytes(db.user_id, "strong", two_years.encode(), unit="kg")
    assert first.sets + later.sets == exp2.sets
    assert first.workouts + later.workouts == exp2.workouts
    assert later.already_imported == exp1.rows
    workouts, sets, _ = await db.counts()
    assert (workouts, sets) == (exp2.workouts, exp2.sets)


async def test_a_malformed_file_reports_its_line_and_imports_nothing(db: Db) -> None:
    csv_text, _ = strong_csv(years=1)
    lines = csv_text.split("\n")
    # a plain row (no quoted field) past the two-thousandth line
    bad_line = next(
        i + 1 for i in range(2000, len(lines)) if '"' not in lines[i] and lines[i].count(",") == 11
    )
    fields = lines[bad_line - 1].split(",")
    fields[5] = "12kg"  # Weight
    lines[bad_line - 1] = ",".join(fields)
    with pytest.raises(ImportFormatError) as caught:
        await db.service.import_bytes(db.user_id, "strong", "\n".join(lines).encode(), unit="kg")
    assert caught.value.line == bad_line  # the line as an editor shows it (quoted notes span lines)
    assert "'12kg'" in caught.value.message
    assert await db.counts() == (0, 0, 0)
    async with db.sessions() as s:
        (run,) = (await s.execute(select(ExternalIngestionRun))).scalars()
        assert run.status == "failed" and run.error and f"line {caught.value.line}" in run.error
        assert (await s.execute(text("SELECT count(*) FROM workout_sets"))).scalar() == 0
