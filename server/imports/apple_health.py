"""Apple Health's `export.xml` (or the `export.zip` the Health app shares), streamed: constant memory.

Read with expat, a chunk at a time; each top-level element is handed on as soon as it ends and then
dropped, so a file of gigabytes costs what one chunk does. Taken: `Workout` elements (an activity with
duration, distance, energy, and heart rate from its `WorkoutStatistics`) and body-mass `Record`s (the
biometrics history). Every other record type (steps, heart-rate samples, ...) is counted per type and
skipped: kept raw, they would make the database as large as the export.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

import msgspec

from matcher.units import KG_PER_LB
from server.imports.rows import ImportFormatError, content_key

__all__ = ["HealthItem", "open_export", "read_health"]

BODY_MASS = "HKQuantityTypeIdentifierBodyMass"
HEART_RATE = "HKQuantityTypeIdentifierHeartRate"
_TO_KG = {"kg": 1.0, "lb": KG_PER_LB, "st": 14 * KG_PER_LB}
_TO_M = {"km": 1000.0, "m": 1.0, "mi": 1609.344, "yd": 0.9144, "ft": 0.3048}
_TO_S = {"min": 60.0, "s": 1.0, "sec": 1.0, "hr": 3600.0, "h": 3600.0}


class HealthItem(msgspec.Struct, kw_only=True):
    """One element worth keeping (`kind` activity | biometric), or a skipped one (`kind` skipped)."""

    kind: str
    line: int
    key: str = ""
    raw: dict[str, Any] = msgspec.field(default_factory=dict)
    values: dict[str, Any] = msgspec.field(default_factory=dict)
    skipped_type: str | None = None


@contextmanager
def open_export(path: Path) -> Iterator[IO[bytes]]:
    """The XML stream of an export.xml, or of the export.xml inside the Health app's export.zip."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.endswith("export.xml")]
            if not names:
                raise ImportFormatError(None, "the zip holds no export.xml")
            with archive.open(names[0]) as stream:
                yield stream
    else:
        with path.open("rb") as stream:
            yield stream


def _time(value: str | None, what: str, line: int) -> datetime:
    if not value:
        raise ImportFormatError(line, f"{what} is missing")
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S %z").astimezone(UTC)
    except ValueError:
        raise ImportFormatError(
            line, f"{what} {value!r} is not a time like 2024-01-31 18:05:00 +0100"
        ) from None


def _float(value: str | None, what: str, line: int) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except ValueError:
        raise ImportFormatError(line, f"{what} {value!r} is not a number") from None


def _activity_kind(raw: str) -> str:
    """HKWorkoutActivityTypeTraditionalStrengthTraining → traditional_strength_training."""
    name = raw.removeprefix("HKWorkoutActivityType")
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_") or "other"


def _workout(elem: _Element, line: int) -> HealthItem:
    a = elem.attrib
    started = _time(a.get("startDate"), "startDate", line)
    ended = _time(a.get("endDate"), "endDate", line)
    duration = _float(a.get("duration"), "duration", line)
    if duration is not None:
        duration *= _TO_S.get(a.get("durationUnit", "min"), 60.0)
    distance = _float(a.get("totalDistance"), "totalDistance", line)
    energy = _float(a.get("totalEnergyBurned"), "totalEnergyBurned", line)
    avg_hr = max_hr = None
    children = []
    for child in elem:
        children.append({"tag": child.tag, **child.attrib})
        if child.tag == "WorkoutStatistics":
            kind = child.get("type")
            if kind == HEART_RATE:
                avg_hr = _float(child.get("average"), "average", line)
                max_hr = _float(child.get("maximum"), "maximum", line)
            elif kind in (
                "HKQuantityTypeIdentifierDistanceWalkingRunning",
                "HKQuantityTypeIdentifierDistanceCycling",
            ):
                total = _float(child.get("sum"), "sum", line)
                if distance is None and total is not None:
                    distance, a = total, {**a, "totalDistanceUnit": child.get("unit") or "km"}
            elif kind == "HKQuantityTypeIdentifierActiveEnergyBurned" and energy is None:
                energy = _float(child.get("sum"), "sum", line)
    if distance is not None:
        distance *= _TO_M.get(a.get("totalDistanceUnit", "km"), 1000.0)
    source = elem.get("sourceName") or "Apple Health"
    return HealthItem(
        kind="activity",
        line=line,
        key=content_key(
            "apple-health",
            "workout",
            a.get("workoutActivityType"),
            a.get("startDate"),
            a.get("endDate"),
            source,
        ),
        raw={**elem.attrib, "children": children},
        values={
            "kind": _activity_kind(elem.get("workoutActivityType") or ""),
            "started_at": started,
            "ended_at": ended,
            "duration_s": duration if duration is not None else (ended - started).total_seconds(),
            "distance_m": round(distance, 3) if distance is not None else None,
            "energy_kcal": energy,
            "avg_heart_rate": avg_hr,
            "max_heart_rate": max_hr,
            "source": source[:100],
        },
    )


def _body_mass(elem: _Element, line: int) -> HealthItem:
    a = elem.attrib
    value = _float(a.get("value"), "value", line)
    unit = a.get("unit", "kg")
    if value is None or unit not in _TO_KG:
        raise ImportFormatError(line, f"body mass {a.get('value')!r} {unit!r} is not a weight")
    source = a.get("sourceName", "Apple Health")
    return HealthItem(
        kind="biometric",
        line=line,
        key=content_key("apple-health", BODY_MASS, a.get("startDate"), a.get("value"), unit, source),
        raw=dict(a),
        values={
            "measured_at": _time(a.get("startDate"), "startDate", line),
            "metric": "body_mass",
            "value": round(value * _TO_KG[unit], 4),
            "unit": "kg",
            "source": source[:100],
        },
    )


class _Element:
    """What a top-level element holds once read: its attributes and its children's (one level down)."""

    __slots__ = ("attrib", "children", "line", "tag")

    def __init__(self, tag: str, attrib: dict[str, str], line: int) -> None:
        self.tag, self.attrib, self.line = tag, attrib, line
        self.children: list[_Element] = []

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.attrib.get(key, default)

    def __iter__(self) -> Iterator[_Element]:
        return iter(self.children)


_CHUNK = 256 * 1024


def read_health(stream: IO[bytes]) -> Iterator[HealthItem]:
    """Items in file order, each with the line its element starts on; a malformed file raises
    ImportFormatError naming its line. expat, fed 256 KB at a time: memory is one chunk's elements."""
    parser = expat.ParserCreate()
    ready: list[_Element] = []
    stack: list[_Element] = []
    seen_root: list[str] = []

    def start(tag: str, attrib: dict[str, str]) -> None:
        line = parser.CurrentLineNumber
        if not seen_root:
            seen_root.append(tag)
            if tag != "HealthData":
                raise ImportFormatError(line, f"the root element is <{tag}>, not <HealthData>")
            stack.append(_Element(tag, {}, line))
            return
        elem = _Element(tag, attrib, line)
        if len(stack) == 1:
            stack.append(elem)
        elif len(stack) == 2:
            stack[1].children.append(elem)
            stack.append(elem)
        else:
            stack.append(elem)  # deeper (route points, metadata of statistics): not kept

    def end(_tag: str) -> None:
        elem = stack.pop()
        if len(stack) == 1:
            ready.append(elem)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.ordered_attributes = False
    while True:
        chunk = stream.read(_CHUNK)
        try:
            parser.Parse(chunk, not chunk)
        except expat.ExpatError as exc:
            raise ImportFormatError(
                exc.lineno, f"the XML is malformed: {expat.errors.messages[exc.code]}"
            ) from None
        for elem in ready:
            yield _item(elem)
        ready.clear()
        if not chunk:
            break
    if not seen_root:
        raise ImportFormatError(1, "the file is empty")


def _item(elem: _Element) -> HealthItem:
    if elem.tag == "Workout":
        return _workout(elem, elem.line)
    if elem.tag == "Record" and elem.get("type") == BODY_MASS:
        return _body_mass(elem, elem.line)
    return HealthItem(kind="skipped", line=elem.line, skipped_type=elem.get("type") or elem.tag)
