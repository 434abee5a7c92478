"""Profile versions the profile writes itself (source `auto`): a change of the lifter's bodyweight, by any
route (PUT, PATCH, voice), is kept as a dated snapshot, so the weekly summary's bodyweight change follows
what the lifter told us without the app posting `/v1/profile-versions` as well."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from matcher.units import KG_PER_LB
from models.db import new_id
from models.db_training_app import ProfileVersion

__all__ = ["bodyweight_kg_of", "keep_bodyweight_change"]


def bodyweight_kg_of(snapshot: dict[str, Any]) -> float | None:
    """The bodyweight a snapshot holds: the profile's `metrics.bodyweight` {value, unit}, or a top-level
    `bodyweight` ({value, unit} or a number in kg) or `bodyweight_kg`."""
    metrics = snapshot.get("metrics")
    found: Any = metrics.get("bodyweight") if isinstance(metrics, dict) else None
    if found is None:
        found = snapshot.get("bodyweight", snapshot.get("bodyweight_kg"))
    if isinstance(found, dict):
        value, unit = found.get("value"), found.get("unit", "kg")
    else:
        value, unit = found, "kg"
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1000:
        return None
    return round(float(value) * (KG_PER_LB if unit == "lb" else 1.0), 3)


def keep_bodyweight_change(
    session: AsyncSession, user_id: str, old: dict[str, Any], new: dict[str, Any], when: datetime
) -> ProfileVersion | None:
    """Adds (in the caller's transaction) an `auto` version effective on the change's day when the
    change set a bodyweight other than the one standing. A bodyweight removed is no new version: the
    last one known still stands for analytics."""
    kg = bodyweight_kg_of(new)
    if kg is None or kg == bodyweight_kg_of(old):
        return None
    row = ProfileVersion(
        id=new_id(),
        user_id=user_id,
        snapshot=new,
        effective_date=when.date(),
        source="auto",
        bodyweight_kg=kg,
        created_at=when,
    )
    session.add(row)
    return row
