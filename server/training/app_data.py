"""What the app tells the server beyond sets: recommendations served, feedback, instrument events,
profile versions, and the lifter's training settings (1RM formula, analytics opt-in).

Another lifter's ids answer 404, as everywhere; instrument events are kept only for lifters who opted in,
and pruned past the retention (`VOICELOG_INSTRUMENT_RETENTION_DAYS`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import User, WorkoutSet, new_id, utcnow
from models.db_training import PrRecord, TrainingSession
from models.db_training_app import Feedback, InstrumentEvent, ProfileVersion, Recommendation, TrainingSettings
from models.training import FeedbackIn, InstrumentIn, ProfileVersionIn, RecommendationIn, TrainingSettingsIn
from server.errors import BadInput, NotFound
from server.profile.versions import bodyweight_kg_of
from server.store.workouts import iso
from server.training.formulas import FORMULAS
from server.training.sessions import parse_day
from server.training.store import formula_of, replay_since

__all__ = [
    "TrainingSettings",
    "add_feedback",
    "add_instrument_events",
    "add_profile_version",
    "add_recommendation",
    "bodyweights",
    "change_settings",
    "lifter_formula",
    "profile_versions",
    "prune_instrument_events",
    "settings_out",
]


async def _settings_row(session: AsyncSession, user_id: str) -> TrainingSettings | None:
    return await session.get(TrainingSettings, user_id)


async def lifter_formula(session: AsyncSession, user_id: str) -> str:
    return await formula_of(session, user_id)


def settings_out(row: TrainingSettings | None) -> dict[str, Any]:
    return {
        "e1rm_formula": row.e1rm_formula if row is not None else "epley",
        "analytics_opt_in": bool(row.analytics_opt_in) if row is not None else False,
        "formulas": {name: limit for name, (_fn, limit) in FORMULAS.items()},
    }


async def change_settings(session: AsyncSession, user_id: str, data: TrainingSettingsIn) -> dict[str, Any]:
    """A new formula replays every exercise's records with it, so records and analytics agree."""
    row = await _settings_row(session, user_id)
    if row is None:
        row = TrainingSettings(user_id=user_id, e1rm_formula="epley", analytics_opt_in=False)
        session.add(row)
    old = row.e1rm_formula
    if data.e1rm_formula is not None:
        row.e1rm_formula = data.e1rm_formula
    if data.analytics_opt_in is not None:
        row.analytics_opt_in = data.analytics_opt_in
    row.updated_at = utcnow()
    await session.flush()
    if row.e1rm_formula != old:
        if session.get_bind().dialect.name != "sqlite":  # queue behind sets being logged (hooks._one_writer)
            await session.execute(select(User.id).where(User.id == user_id).with_for_update(key_share=True))
        exercises = (
            await session.execute(
                select(WorkoutSet.exercise_id).where(WorkoutSet.user_id == user_id).distinct()
            )
        ).scalars()
        for exercise_id in sorted(exercises):
            await replay_since(
                session, user_id, exercise_id, datetime(1970, 1, 1, tzinfo=UTC), row.e1rm_formula
            )
        # records the replay kept as they were (1rm, volume, ...) name the formula too: the logging hot
        # path reads the lifter's formula off any standing record
        await session.execute(
            update(PrRecord)
            .where(PrRecord.user_id == user_id, PrRecord.withdrawn_at.is_(None))
            .values(formula=row.e1rm_formula)
        )
    return settings_out(row)


async def _own_session(session: AsyncSession, user_id: str, session_id: str | None) -> str | None:
    if session_id is None:
        return None
    found = await session.get(TrainingSession, session_id)
    if found is None or found.user_id != user_id:
        raise NotFound(f"no session {session_id[:40]!r}")
    return found.id


async def add_recommendation(
    session: AsyncSession, user_id: str, data: RecommendationIn, exercise_id: str | None
) -> dict[str, Any]:
    row = Recommendation(
        id=new_id(),
        user_id=user_id,
        exercise_id=exercise_id,
        session_id=await _own_session(session, user_id, data.session_id),
        weight=data.weight,
        reps=data.reps,
        unit=data.unit,
        payload=data.payload,
    )
    session.add(row)
    await session.flush()
    return {"recommendation_id": row.id, "created_at": iso(row.created_at)}


async def add_feedback(session: AsyncSession, user_id: str, data: FeedbackIn) -> dict[str, Any]:
    if data.recommendation_id is None and data.session_id is None:
        raise BadInput("feedback is about a recommendation_id or a session_id", code="missing_subject")
    if data.recommendation_id is not None:
        rec = await session.get(Recommendation, data.recommendation_id)
        if rec is None or rec.user_id != user_id:
            raise NotFound(f"no recommendation {data.recommendation_id[:40]!r}")
    row = Feedback(
        id=new_id(),
        user_id=user_id,
        recommendation_id=data.recommendation_id,
        session_id=await _own_session(session, user_id, data.session_id),
        helpful=data.helpful,
        notes=data.notes,
    )
    session.add(row)
    await session.flush()
    return {"feedback_id": row.id, "created_at": iso(row.created_at)}


def _moment(text: str | None, now: datetime) -> datetime:
    if text is None:
        return now
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(f"at {text!r} is not an ISO 8601 time", code="invalid_time") from None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


async def add_instrument_events(session: AsyncSession, user_id: str, data: InstrumentIn) -> dict[str, Any]:
    if (data.type is None) == (data.events is None):
        raise BadInput("send one event (`type`, `at`, `data`) or `events`: [...]", code="invalid_input")
    now = utcnow()
    events = (
        [(e.type, _moment(e.at, now), e.data) for e in data.events]
        if data.events is not None
        else [(data.type or "", _moment(data.at, now), data.data)]
    )
    row = await _settings_row(session, user_id)
    opted_in = row is not None and row.analytics_opt_in
    if opted_in:
        session.add_all(
            InstrumentEvent(id=new_id(), user_id=user_id, event_type=kind, occurred_at=at, data=payload)
            for kind, at, payload in events
        )
        await session.flush()
    return {"received": len(events), "kept": len(events) if opted_in else 0, "analytics_opt_in": opted_in}


async def prune_instrument_events(
    session: AsyncSession, retention_days: int, now: datetime | None = None
) -> int:
    """Delete every lifter's instrument events older than the retention (0 keeps them all)."""
    if retention_days <= 0:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    result = await session.execute(delete(InstrumentEvent).where(InstrumentEvent.occurred_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def _version_out(row: ProfileVersion) -> dict[str, Any]:
    return {
        "id": row.id,
        "effective_date": row.effective_date.isoformat(),
        "source": row.source,
        "bodyweight_kg": row.bodyweight_kg,
        "snapshot": row.snapshot,
        "created_at": iso(row.created_at),
    }


async def add_profile_version(session: AsyncSession, user_id: str, data: ProfileVersionIn) -> dict[str, Any]:
    day = parse_day(data.effective_date) if data.effective_date is not None else utcnow().date()
    row = ProfileVersion(
        id=new_id(),
        user_id=user_id,
        snapshot=data.snapshot,
        effective_date=day,
        source=data.source,
        bodyweight_kg=bodyweight_kg_of(data.snapshot),
        created_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    return _version_out(row)


async def profile_versions(session: AsyncSession, user_id: str) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(ProfileVersion)
        .where(ProfileVersion.user_id == user_id)
        .order_by(ProfileVersion.effective_date, ProfileVersion.created_at)
    )
    return [_version_out(r) for r in rows.scalars()]


async def bodyweights(session: AsyncSession, user_id: str, until: date) -> list[tuple[date, float]]:
    """(effective date, kg) of every version with a bodyweight up to `until`, oldest first."""
    rows = await session.execute(
        select(ProfileVersion.effective_date, ProfileVersion.bodyweight_kg)
        .where(
            ProfileVersion.user_id == user_id,
            ProfileVersion.bodyweight_kg.is_not(None),
            ProfileVersion.effective_date <= until,
        )
        .order_by(ProfileVersion.effective_date, ProfileVersion.created_at)
    )
    return [(d, float(kg or 0.0)) for d, kg in rows]
