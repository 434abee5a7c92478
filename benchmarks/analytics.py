"""Analytics and PR detection on a lifter with five years of history (≈ 40,000 sets), SQLite and PostgreSQL.

Run: python benchmarks/analytics.py [--years 5] [--repeats 30] [--logs 1000] [--databases sqlite postgres]

The history is generated (seeded): four sessions a week, five exercises a session, seven or eight sets
each, slowly progressing loads with noise, every set also an app recommendation (session_sets); the
records are built by the same replay a correction runs. Then, in-process against the real database:
- `GET /v1/analytics` work (`server.training.analytics.analytics`) per range, p50/p95 of `--repeats`,
  beside a naive full scan (every set of the lifter loaded as ORM rows, filtered and summed in Python,
  the best-before of each plateau candidate found by scanning the list);
- logging one set in its own transaction with PR detection (the pipeline's hook) and without it,
  interleaved, p50/p99; beside a naive detector that reads the exercise's whole history per set.
Targets (issue 15): analytics ≤ 200 ms p95; PR detection adds ≤ 2 ms p99 to logging a set.
"""

# ruff: noqa: E501  (report text reads better unwrapped)
from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from matcher.catalog import load_catalog
from models.db import User, Workout, WorkoutSet, new_id, utcnow
from models.db_training import SessionSet, TrainingSession
from server.db import create_engine, create_sessionmaker, upgrade
from server.training.analytics import analytics
from server.training.formulas import estimated_1rm, to_unit
from server.training.hooks import records_of_new_sets
from server.training.rules import is_plateau, parse_range, week_start
from server.training.store import replay_since

__all__ = ["main"]

EXERCISES = {  # id -> starting weight (kg)
    "Barbell_Squat": 100.0,
    "Barbell_Bench_Press_-_Medium_Grip": 70.0,
    "Barbell_Deadlift": 120.0,
    "Standing_Military_Press": 45.0,
    "Bent_Over_Barbell_Row": 60.0,
    "Dumbbell_Bicep_Curl": 12.0,
    "Leg_Press": 150.0,
    "Wide-Grip_Lat_Pulldown": 55.0,
}
RANGES = ("30d", "12w", "1y", "all")
PREVIOUS: dict[str, Any] = {}
"""`--compare-with REV`: that commit's analytics and PR store modules, loaded beside the current ones."""


def _load_previous(rev: str) -> None:
    """The analytics and record-store modules as they were at `rev` (git show), importable beside today's:
    they import the rest of server.training as it is now (formulas, rules, records), so the comparison
    is of these two modules alone, on the same database (with today's indexes) in the same process."""
    import importlib.util
    import subprocess

    root = Path(__file__).resolve().parent.parent
    tmp = Path(tempfile.mkdtemp(prefix="voicelog-previous-"))
    for name in ("analytics", "store"):
        text = subprocess.run(
            ["git", "-C", str(root), "show", f"{rev}:server/training/{name}.py"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        path = tmp / f"previous_{name}.py"
        path.write_text(text)
        spec = importlib.util.spec_from_file_location(f"previous_{name}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        PREVIOUS[name] = module
    PREVIOUS["rev"] = rev


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _generate(sessions: async_sessionmaker[AsyncSession], years: int, seed: int) -> tuple[str, int]:
    rng = random.Random(seed)
    user_id = new_id()
    now = utcnow()
    first = (now - timedelta(days=365 * years)).date()
    workouts, trainings, sets, session_sets = [], [], [], []
    day = first - timedelta(days=first.weekday())
    ids = list(EXERCISES)
    while day < now.date():
        for offset in (0, 1, 3, 4):
            d = day + timedelta(days=offset)
            if d >= now.date():
                break
            started = datetime(d.year, d.month, d.day, 12, tzinfo=UTC)
            wid = new_id()
            workouts.append({"id": wid, "user_id": user_id, "name": "gen", "started_at": started})
            trainings.append(
                {
                    "id": wid,
                    "user_id": user_id,
                    "session_date": d,
                    "finished": True,
                    "unit": "kg",
                    "created_at": started,
                }
            )
            weeks = (d - first).days / 7
            for e, exercise_id in enumerate(rng.sample(ids, 5)):
                base = EXERCISES[exercise_id] * (1 + 0.004 * weeks) * (1 + 0.05 * ((weeks % 8) / 8))
                for n in range(rng.choice((7, 8))):
                    reps = rng.choice((3, 5, 5, 8, 10, 12))
                    weight = round(base * (1.1 - reps / 40) * rng.uniform(0.95, 1.02) / 2.5) * 2.5
                    sid = new_id()
                    at = started + timedelta(minutes=e * 10, seconds=n * 60)
                    sets.append(
                        {
                            "id": sid,
                            "workout_id": wid,
                            "user_id": user_id,
                            "exercise_id": exercise_id,
                            "set_number": n + 1,
                            "reps": reps,
                            "weight": weight,
                            "unit": "kg",
                            "corrected": False,
                            "created_at": at,
                        }
                    )
                    session_sets.append(
                        {
                            "id": new_id(),
                            "session_id": wid,
                            "user_id": user_id,
                            "exercise_id": exercise_id,
                            "set_id": sid,
                            "set_number": n + 1,
                            "rec_weight": weight,
                            "rec_reps": reps,
                            "actual_weight": weight,
                            "actual_reps": reps - (rng.random() < 0.15),
                            "done": True,
                            "unit": "kg",
                            "performed_on": d,
                        }
                    )
        day += timedelta(days=7)
    async with sessions() as session, session.begin():
        session.add(User(id=user_id, name=f"bench-{user_id[:8]}", default_unit="kg"))
        await session.flush()
        for table, rows in (
            (Workout, workouts),
            (TrainingSession, trainings),
            (WorkoutSet, sets),
            (SessionSet, session_sets),
        ):
            for i in range(0, len(rows), 2000):
                await session.execute(insert(table), rows[i : i + 2000])
    async with sessions() as session, session.begin():
        for exercise_id in EXERCISES:
            await replay_since(session, user_id, exercise_id, datetime(1970, 1, 1, tzinfo=UTC))
    return user_id, len(sets)


async def _naive_analytics(
    session: AsyncSession, user_id: str, span: timedelta | None, now: datetime
) -> dict[str, Any]:
    """The obvious way: every set of the lifter as an ORM row, everything in Python."""
    rows = list((await session.execute(select(WorkoutSet).where(WorkoutSet.user_id == user_id))).scalars())
    since = now - span if span is not None else None

    def at(r: WorkoutSet) -> datetime:
        return r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=UTC)

    in_range = [r for r in rows if since is None or at(r) >= since]
    prs: dict[str, float] = {}
    weeks: dict[date, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    sessions: dict[str, dict[str, float]] = defaultdict(dict)
    for r in in_range:
        e1rm = estimated_1rm(to_unit(r.weight or 0.0, r.unit, "kg"), r.reps) or 0.0
        prs[r.exercise_id] = max(prs.get(r.exercise_id, 0.0), e1rm)
        w = weeks[week_start(at(r))]
        w[0] += 1
        w[1] += r.reps or 0
        w[2] += (r.weight or 0) * (r.reps or 0)
        sessions[r.exercise_id][r.workout_id] = max(sessions[r.exercise_id].get(r.workout_id, 0.0), e1rm)
    plateaus = []
    for exercise_id, by_workout in sessions.items():
        firsts = {}
        for r in in_range:
            if r.exercise_id == exercise_id:
                firsts.setdefault(r.workout_id, at(r))
        last = sorted(by_workout, key=lambda w: firsts[w])[-3:]
        cut = firsts[last[0]]
        before = [
            estimated_1rm(r.weight, r.reps) or 0.0
            for r in rows
            if r.exercise_id == exercise_id and at(r) < cut
        ]
        if is_plateau(max(before, default=None), [by_workout[w] for w in last]):
            plateaus.append(exercise_id)
    return {"prs": prs, "weeks": len(weeks), "plateaus": plateaus}


async def _bench_analytics(
    sessions: async_sessionmaker[AsyncSession], user_id: str, repeats: int
) -> list[dict[str, Any]]:
    """Per range, each kind once per repeat, interleaved and in rotating order: a change of host load
    hits every kind alike."""
    catalog = load_catalog()
    kinds = ["analytics"]
    if PREVIOUS:
        kinds.append(f"analytics at {PREVIOUS['rev']}")
    kinds.append("naive full scan")
    out = []
    for name in RANGES:
        span = parse_range(name)
        times: dict[str, list[float]] = {k: [] for k in kinds}
        results: dict[str, dict[str, Any]] = {}
        for r in range(repeats):
            for kind in kinds[r % len(kinds) :] + kinds[: r % len(kinds)]:  # each kind goes first in turn
                gc.collect()  # the naive scan's 40,000 ORM rows must not be collected on another's clock
                async with sessions() as session:
                    t = time.perf_counter()
                    if kind == "analytics":
                        results[kind] = await analytics(session, user_id, "kg", span, catalog)
                    elif kind == "naive full scan":
                        results[kind] = await _naive_analytics(session, user_id, span, utcnow())
                    else:
                        results[kind] = await PREVIOUS["analytics"].analytics(
                            session, user_id, "kg", span, catalog
                        )
                    times[kind].append((time.perf_counter() - t) * 1000)
        for kind in kinds:
            out.append(
                {
                    "range": name,
                    "kind": kind,
                    "p50_ms": round(statistics.median(times[kind]), 2),
                    "p95_ms": round(_pct(times[kind], 0.95), 2),
                    "min_ms": round(min(times[kind]), 2),
                    "plateaus": len(results[kind]["plateaus"]),
                }
            )
    return out


async def _naive_prs(session: AsyncSession, row: WorkoutSet) -> int:
    """A detector with no record table: the exercise's whole history read for every new set."""
    history = (
        await session.execute(
            select(WorkoutSet.weight, WorkoutSet.reps).where(
                WorkoutSet.user_id == row.user_id,
                WorkoutSet.exercise_id == row.exercise_id,
                WorkoutSet.id != row.id,
            )
        )
    ).all()
    e1rm = estimated_1rm(row.weight, row.reps) or 0.0
    heaviest = max((w or 0.0 for w, _ in history), default=0.0)
    best = max((estimated_1rm(w, r) or 0.0 for w, r in history), default=0.0)
    return int((row.weight or 0) > heaviest) + int(e1rm > best)


async def _bench_logging(
    sessions: async_sessionmaker[AsyncSession], user_id: str, logs: int, seed: int, years: int
) -> list[dict[str, Any]]:
    """Sets at the lifter's current level (now and then a record), a new workout every 24 sets.

    With the sync journal installed, as `voicelog serve` has it: each logged set's flush journals it and
    holds the lifter's row (PostgreSQL), in every row of the table alike."""
    from server.sync.journal import install

    install()
    rng = random.Random(seed)
    level = 1 + 0.004 * 52 * years
    wid = ""
    times: dict[str, list[float]] = {
        "without PR detection": [],
        "with PR detection": [],
        "naive full-history detection": [],
    }
    previous = f"with PR detection at {PREVIOUS['rev']}" if PREVIOUS else None
    if previous is not None:
        times[previous] = []
    made: dict[str, int] = defaultdict(int)
    own_times: list[float] = []  # the detection call alone, inside the logging transaction
    for i in range(logs * len(times)):
        kind = list(times)[i % len(times)]
        exercise_id = rng.choice(list(EXERCISES))
        reps = rng.choice((3, 5, 8))
        if i % 24 == 0:
            async with sessions() as session, session.begin():
                wid = new_id()
                session.add(Workout(id=wid, user_id=user_id, name="bench-log"))
        row = WorkoutSet(
            id=new_id(),
            workout_id=wid,
            user_id=user_id,
            exercise_id=exercise_id,
            set_number=i + 1,
            reps=reps,
            weight=round(EXERCISES[exercise_id] * level * (1.1 - reps / 40) * rng.uniform(0.9, 1.08) / 2.5)
            * 2.5,
            unit="kg",
            created_at=utcnow(),
        )
        t = time.perf_counter()
        async with sessions() as session, session.begin():
            session.add(row)
            await session.flush()
            if kind == "with PR detection":
                own = time.perf_counter()
                made[kind] += len(await records_of_new_sets(session, user_id, [row]))
                own_times.append((time.perf_counter() - own) * 1000)
            elif kind == "naive full-history detection":
                await _naive_prs(session, row)
            elif kind == previous:  # what the hook did then: flush, then the store's detection
                await session.flush()
                made[kind] += len(await PREVIOUS["store"].record_new_sets(session, user_id, [row]))
        times[kind].append((time.perf_counter() - t) * 1000)
    base = times["without PR detection"]
    return [
        {
            "kind": k,
            "p50_ms": round(statistics.median(v), 3),
            "p99_ms": round(_pct(v, 0.99), 3),
            "added_p50_ms": round(statistics.median(v) - statistics.median(base), 3),
            "added_p99_ms": round(_pct(v, 0.99) - _pct(base, 0.99), 3),
            "records_made": made.get(k),
            **(
                {
                    "own_p50_ms": round(statistics.median(own_times), 3),
                    "own_p99_ms": round(_pct(own_times, 0.99), 3),
                }
                if k == "with PR detection"
                else {}
            ),
        }
        for k, v in times.items()
    ]


async def _bench_db(kind: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        await upgrade(engine)
        sessions = create_sessionmaker(engine)
        t = time.perf_counter()
        user_id, n_sets = await _generate(sessions, args.years, args.seed)
        setup_s = time.perf_counter() - t
        async with sessions() as session:
            from models.db_training import PrRecord

            n_records = len(
                (await session.execute(select(PrRecord.id).where(PrRecord.user_id == user_id))).all()
            )
        return {
            "database": kind, "sets": n_sets, "pr_rows": n_records, "setup_s": round(setup_s, 1),
            "analytics": await _bench_analytics(sessions, user_id, args.repeats),
            "logging": await _bench_logging(sessions, user_id, args.logs, args.seed, args.years),
        }  # fmt: skip
    finally:
        await engine.dispose()


def _markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Training analytics and PR detection",
        "",
        f"`python benchmarks/analytics.py` — {report['machine']}; load average {report['load_average_at_start']} at start, {report['load_average_at_end']} at end.",
        f"A generated lifter with {report['years']} years of history; {report['repeats']} analytics calls per row, {report['logs']} logged sets per logging row.",
        "Targets (issue 15): analytics ≤ 200 ms p95; PR detection adds ≤ 2 ms p99 to logging a set.",
        "",
    ]
    for db in report["databases"]:
        lines += [
            f"## {db['database']}: {db['sets']} sets, {db['pr_rows']} PR rows (history generated and records replayed in {db['setup_s']} s)",
            "",
            "| range | what | p50 ms | p95 ms | min ms | plateaus found |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for r in db["analytics"]:
            lines.append(
                f"| {r['range']} | {r['kind']} | {r['p50_ms']} | **{r['p95_ms']}** | {r['min_ms']} | {r['plateaus']} |"
            )
        lines += [
            "",
            "| logging one set (own transaction) | p50 ms | p99 ms | added p50 ms | added p99 ms | detection call alone p50 / p99 ms |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for r in db["logging"]:
            own = f"{r['own_p50_ms']} / **{r['own_p99_ms']}**" if "own_p99_ms" in r else ""
            lines.append(
                f"| {r['kind']} | {r['p50_ms']} | {r['p99_ms']} | {r['added_p50_ms']} | **{r['added_p99_ms']}** | {own} |"
            )
        lines.append("")
    lines += [
        "The naive baseline's analytics compute less than the real one (no muscle groups, no recommendation",
        "success, no evidence) and read every set of the lifter as an ORM row; the real one has the database sum",
        "the range per (exercise, workout) over a covering index and reads each plateau candidate's earlier best",
        "as one MAX. Added latency is the difference of two percentiles of interleaved runs (at the p99 of a few",
        "hundred runs, mostly the noise of the two tails); the last column times the detection call itself inside",
        "the logging transaction, the cost it adds. A loaded host (see the load averages above) inflates every",
        "database round trip, and PR detection adds one or two per set.",
        "",
    ]
    if report.get("compare_with"):
        lines += [
            f"Rows `at {report['compare_with']}` run that commit's server/training/analytics.py and store.py (loaded",
            "beside today's, interleaved with them call by call, on the same database with today's indexes): a",
            "before/after of the code under the same load. The index migration 0005_training adds helps both.",
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--years", type=int, default=5)
    p.add_argument("--repeats", type=int, default=30)
    p.add_argument("--logs", type=int, default=1000)
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--databases", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    p.add_argument(
        "--compare-with",
        metavar="REV",
        help="also time this commit's analytics and PR detection, interleaved with today's (same run)",
    )
    args = p.parse_args(argv)
    if args.compare_with:
        _load_previous(args.compare_with)
    report: dict[str, Any] = {
        "years": args.years, "repeats": args.repeats, "logs": args.logs, "compare_with": args.compare_with,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()], "databases": [],
    }  # fmt: skip
    for kind in args.databases:
        with tempfile.TemporaryDirectory(prefix=f"voicelog-bench-{kind}-") as tmp:
            if kind == "postgres":
                from tests.services.postgres import PostgresServer

                with PostgresServer(durable=True) as pg:
                    report["databases"].append(
                        asyncio.run(_bench_db(kind, pg.create_database("bench"), args))
                    )
            else:
                report["databases"].append(
                    asyncio.run(_bench_db(kind, f"sqlite+aiosqlite:///{Path(tmp) / 'v.db'}", args))
                )
        print(json.dumps(report["databases"][-1], indent=1), file=sys.stderr)
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "analytics.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "analytics.md").write_text(_markdown(report))
    print(f"wrote {args.out / 'analytics.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
