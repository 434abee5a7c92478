"""FIT activity files (Garmin and most watches): each `session` becomes one activity, its `record`s (the
per-second samples before it) kept raw as `[time, lat, lon, distance, hr]`. Read with fitparse, message by
message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from server.imports.apple_health import HealthItem
from server.imports.rows import ImportFormatError, content_key

__all__ = ["read_fit"]

_DEGREES = 180 / 2**31  # FIT positions are semicircles


def _utc(value: Any) -> datetime | None:
    return value.replace(tzinfo=UTC) if isinstance(value, datetime) else None


def _fit(path: Path) -> Iterator[HealthItem]:
    try:
        import fitparse
    except ImportError as exc:  # a declared dependency; say what to install if it is missing anyway
        raise ImportFormatError(None, "reading FIT files needs fitparse: pip install fitparse") from exc
    points: list[list[Any]] = []
    try:
        for message in fitparse.FitFile(str(path)).get_messages(["record", "session"]):
            v = message.get_values()
            if message.name == "record":
                at, lat, lon = _utc(v.get("timestamp")), v.get("position_lat"), v.get("position_long")
                points.append(
                    [
                        at.isoformat() if at else None,
                        round(lat * _DEGREES, 7) if isinstance(lat, int) else None,
                        round(lon * _DEGREES, 7) if isinstance(lon, int) else None,
                        v.get("distance"),
                        v.get("heart_rate"),
                    ]
                )
                continue
            started = _utc(v.get("start_time"))
            if started is None:
                raise ImportFormatError(None, "a FIT session without a start_time")
            elapsed = v.get("total_elapsed_time")
            ended = _utc(v.get("timestamp"))
            summary = {k: (x.isoformat() if isinstance(x, datetime) else x) for k, x in v.items()}
            yield HealthItem(
                kind="activity",
                line=0,
                key=content_key("fit", started.isoformat(), elapsed, v.get("total_distance"), v.get("sport")),
                raw={"session": summary, "points": points, "fields": "time,lat,lon,distance,hr"},
                values={
                    "kind": str(v.get("sport") or "other")[:60],
                    "started_at": started,
                    "ended_at": ended,
                    "duration_s": float(elapsed) if elapsed is not None else None,
                    "distance_m": v.get("total_distance"),
                    "energy_kcal": v.get("total_calories"),
                    "avg_heart_rate": v.get("avg_heart_rate"),
                    "max_heart_rate": v.get("max_heart_rate"),
                    "source": "fit",
                },
            )
            points = []
    except fitparse.FitParseError as exc:
        raise ImportFormatError(None, f"the FIT file is malformed: {exc}") from None


@contextmanager
def read_fit(path: Path) -> Iterator[Iterator[HealthItem]]:
    yield _fit(path)
