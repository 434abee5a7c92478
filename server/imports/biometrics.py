"""What other rooms read of the biometrics history imports fill (Apple Health body mass, for now): the
latest body mass by a day, and the change of body mass week by week."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.db_imports import Biometric

__all__ = ["BodyMass", "latest_body_mass", "weekly_body_mass_change"]

_KG_PER_LB = 0.45359237


class BodyMass(msgspec.Struct, kw_only=True):
    measured_at: datetime
    kg: float
    source: str


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _in(kg: float, unit: str) -> float:
    return kg / _KG_PER_LB if unit == "lb" else kg


async def latest_body_mass(session: AsyncSession, user_id: str, before: datetime) -> BodyMass | None:
    row = (
        await session.execute(
            select(Biometric.measured_at, Biometric.value, Biometric.source)
            .where(
                Biometric.user_id == user_id, Biometric.metric == "body_mass", Biometric.measured_at < before
            )
            .order_by(Biometric.measured_at.desc(), Biometric.id.desc())
            .limit(1)
        )
    ).one_or_none()
    if row is None:
        return None
    return BodyMass(measured_at=_aware(row.measured_at), kg=float(row.value), source=row.source)


async def weekly_body_mass_change(
    session: AsyncSession, user_id: str, mondays: Sequence[date], unit: str
) -> dict[date, float | None]:
    """Per week (its Monday), the week's last body mass minus the last one before the week (the week's first
    when there is none before), in `unit`; None for a week with no reading."""
    if not mondays:
        return {}
    first = datetime.combine(min(mondays), datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(max(mondays) + timedelta(days=7), datetime.min.time(), tzinfo=UTC)
    before = await latest_body_mass(session, user_id, first)
    rows = await session.execute(
        select(Biometric.measured_at, Biometric.value)
        .where(
            Biometric.user_id == user_id,
            Biometric.metric == "body_mass",
            Biometric.measured_at >= first,
            Biometric.measured_at < end,
        )
        .order_by(Biometric.measured_at, Biometric.id)
    )
    by_week: dict[date, list[float]] = {}
    for at, value in rows:
        day = _aware(at).date()
        by_week.setdefault(day - timedelta(days=day.weekday()), []).append(float(value))
    out: dict[date, float | None] = {}
    reference = before.kg if before is not None else None
    for monday in sorted(mondays):
        readings = by_week.get(monday)
        if not readings:
            out[monday] = None
            continue
        base = reference if reference is not None else readings[0]
        out[monday] = round(_in(readings[-1] - base, unit), 2)
        reference = readings[-1]
    return out
