"""GPX and TCX activity files (Strava, Garmin Connect, most watches): each track or activity becomes one
activity with its duration, distance and heart rate; the points are kept raw, compactly.

Streamed with `iterparse` and cleared per point, so a long ride costs what one track's summary does.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, iterparse

from server.imports.apple_health import HealthItem
from server.imports.rows import ImportFormatError, content_key

__all__ = ["read_gpx", "read_tcx"]

_EARTH_M = 6_371_008.8


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _time(text: str | None, what: str) -> datetime:
    try:
        at = datetime.fromisoformat((text or "").strip().replace("Z", "+00:00"))
    except ValueError:
        raise ImportFormatError(None, f"{what} {text!r} is not an ISO 8601 time") from None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _num(text: str | None, what: str) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise ImportFormatError(None, f"{what} {text!r} is not a number") from None


def _haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_M * math.asin(math.sqrt(h))


class _Track:
    def __init__(self) -> None:
        self.name: str | None = None
        self.kind: str | None = None
        self.points: list[list[Any]] = []  # [time, lat, lon, ele, hr]
        self.distance = 0.0
        self.last: tuple[float, float] | None = None
        self.hr: list[float] = []

    def add(
        self, at: datetime | None, lat: float | None, lon: float | None, ele: float | None, hr: float | None
    ) -> None:
        if lat is not None and lon is not None:
            if self.last is not None:
                self.distance += _haversine(self.last, (lat, lon))
            self.last = (lat, lon)
        if hr is not None:
            self.hr.append(hr)
        self.points.append([at.isoformat() if at else None, lat, lon, ele, hr])

    def item(
        self, provider: str, source: str, *, distance: float | None = None, **extra: Any
    ) -> HealthItem | None:
        times = [p[0] for p in self.points if p[0]]
        if not times:
            return None
        started, ended = _time(times[0], "time"), _time(times[-1], "time")
        meters = round(distance if distance is not None else self.distance, 1)
        values = {
            "kind": (self.kind or "other").lower().replace(" ", "_")[:60],
            "started_at": started,
            "ended_at": ended,
            "duration_s": (ended - started).total_seconds(),
            "distance_m": meters,
            "energy_kcal": None,
            "avg_heart_rate": round(sum(self.hr) / len(self.hr), 1) if self.hr else None,
            "max_heart_rate": max(self.hr) if self.hr else None,
            "source": source,
        }
        values.update({k: v for k, v in extra.items() if v is not None})
        return HealthItem(
            kind="activity",
            line=0,
            key=content_key(provider, times[0], times[-1], len(self.points), meters),
            raw={
                "name": self.name,
                "type": self.kind,
                "points": self.points,
                "fields": "time,lat,lon,ele,hr",
            },
            values=values,
        )


@contextmanager
def _parsing(path: Path) -> Iterator[Iterator[tuple[str, Element]]]:
    try:
        with path.open("rb") as stream:
            yield iterparse(stream, events=("start", "end"))
    except ParseError as exc:
        raise ImportFormatError(exc.position[0], f"the XML is malformed: {exc}") from None


def _gpx(path: Path) -> Iterator[HealthItem]:
    track: _Track | None = None
    with _parsing(path) as events:
        for event, elem in events:
            tag = _local(elem.tag)
            if event == "start":
                if tag == "trk":
                    track = _Track()
                continue
            if track is None:
                continue
            if tag == "name" and track.name is None:
                track.name = (elem.text or "").strip() or None
            elif tag == "type":
                track.kind = (elem.text or "").strip() or None
            elif tag == "trkpt":
                children = {_local(c.tag): c.text for c in elem.iter()}
                track.add(
                    _time(children["time"], "trkpt time") if children.get("time") else None,
                    _num(elem.get("lat"), "lat"),
                    _num(elem.get("lon"), "lon"),
                    _num(children.get("ele"), "ele"),
                    _num(children.get("hr"), "hr"),
                )
                elem.clear()
            elif tag == "trk":
                item = track.item("gpx", "gpx")
                track = None
                elem.clear()
                if item is not None:
                    yield item


def _tcx(path: Path) -> Iterator[HealthItem]:
    track: _Track | None = None
    laps = {"time": 0.0, "distance": 0.0, "calories": 0.0}
    with _parsing(path) as events:
        for event, elem in events:
            tag = _local(elem.tag)
            if event == "start":
                if tag == "Activity":
                    track = _Track()
                    track.kind = elem.get("Sport")
                    laps = {"time": 0.0, "distance": 0.0, "calories": 0.0}
                continue
            if track is None:
                continue
            if tag == "Trackpoint":
                children = {_local(c.tag): c for c in elem.iter()}
                hr = children.get("HeartRateBpm")
                hr_value = (
                    next((c.text for c in hr if _local(c.tag) == "Value"), None) if hr is not None else None
                )
                track.add(
                    _time(children["Time"].text, "Trackpoint Time") if "Time" in children else None,
                    _num(children["LatitudeDegrees"].text, "LatitudeDegrees")
                    if "LatitudeDegrees" in children
                    else None,
                    _num(children["LongitudeDegrees"].text, "LongitudeDegrees")
                    if "LongitudeDegrees" in children
                    else None,
                    _num(children["AltitudeMeters"].text, "AltitudeMeters")
                    if "AltitudeMeters" in children
                    else None,
                    _num(hr_value, "HeartRateBpm"),
                )
                elem.clear()
            elif tag == "Lap":
                direct = {_local(c.tag): c.text for c in elem}
                laps["time"] += _num(direct.get("TotalTimeSeconds"), "TotalTimeSeconds") or 0.0
                laps["distance"] += _num(direct.get("DistanceMeters"), "DistanceMeters") or 0.0
                laps["calories"] += _num(direct.get("Calories"), "Calories") or 0.0
                elem.clear()
            elif tag == "Activity":
                item = track.item(
                    "tcx",
                    "tcx",
                    distance=laps["distance"] or None,
                    duration_s=laps["time"] or None,
                    energy_kcal=laps["calories"] or None,
                )
                track = None
                elem.clear()
                if item is not None:
                    yield item


@contextmanager
def read_gpx(path: Path) -> Iterator[Iterator[HealthItem]]:
    yield _gpx(path)


@contextmanager
def read_tcx(path: Path) -> Iterator[Iterator[HealthItem]]:
    yield _tcx(path)
