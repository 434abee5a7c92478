"""An Apple Health export.xml as the Health app writes it, of any size, written for the tests.

Body-mass weigh-ins (kg and lb), workouts with their WorkoutStatistics (heart rate, distance, energy),
and a flood of step-count and heart-rate samples that an import must stream past without keeping.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

__all__ = ["HealthExpected", "write_health_export"]

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record type CDATA #REQUIRED unit CDATA #IMPLIED value CDATA #IMPLIED>
]>
<HealthData locale="en_US">
 <ExportDate value="2026-01-05 09:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-04-01"
     HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
"""
_DEVICE = (
    "&lt;&lt;HKDevice: 0x2837e8c30&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, "
    "hardware:Watch6,1&gt;"
)


@dataclass
class HealthExpected:
    activities: int = 0
    biometrics: int = 0
    skipped: int = 2  # ExportDate and Me
    items: int = 2
    heaviest_kg: float = 0.0
    distance_m: float = 0.0
    kinds: dict[str, int] = field(default_factory=dict)


def _t(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S +0100")


def write_health_export(
    path: Path, *, target_bytes: int, days: int = 3 * 365, seed: int = 11
) -> HealthExpected:
    rnd = random.Random(seed)
    exp = HealthExpected()
    start = datetime(2023, 1, 2, 6, 0)
    per_day = 1
    # enough filler samples per day to reach the size (a sample line is ~330 bytes)
    per_day = max(1, target_bytes // (days * 330))
    with path.open("w", encoding="utf-8") as out:
        out.write(_HEAD)
        for d in range(days):
            day = start + timedelta(days=d)
            if rnd.random() < 0.7:
                lb = rnd.random() < 0.3
                kg = round(70 + 5 * rnd.random(), 1)
                value, unit = (round(kg / 0.45359237, 1), "lb") if lb else (kg, "kg")
                out.write(
                    f' <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Health" unit="{unit}" '
                    f'creationDate="{_t(day)}" startDate="{_t(day)}" endDate="{_t(day)}" value="{value}"/>\n'
                )
                exp.biometrics += 1
                exp.items += 1
                exp.heaviest_kg = max(exp.heaviest_kg, round(value * (0.45359237 if lb else 1.0), 4))
            if rnd.random() < 0.4:
                begin = day + timedelta(hours=11)
                minutes = rnd.randrange(25, 70)
                end = begin + timedelta(minutes=minutes)
                running = rnd.random() < 0.5
                kind = "Running" if running else "TraditionalStrengthTraining"
                distance = round(rnd.uniform(3, 12), 2) if running else None
                dist_attr = f' totalDistance="{distance}" totalDistanceUnit="km"' if distance else ""
                out.write(
                    f' <Workout workoutActivityType="HKWorkoutActivityType{kind}" duration="{minutes}" '
                    f'durationUnit="min"{dist_attr} totalEnergyBurned="{rnd.randrange(150, 700)}" '
                    f'totalEnergyBurnedUnit="kcal" sourceName="Apple Watch" sourceVersion="9.1" '
                    f'device="{_DEVICE}" '
                    f'creationDate="{_t(end)}" startDate="{_t(begin)}" endDate="{_t(end)}">\n'
                    f'  <MetadataEntry key="HKIndoorWorkout" value="{0 if running else 1}"/>\n'
                    f'  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="{_t(begin)}" '
                    f'endDate="{_t(end)}" average="{rnd.randrange(110, 160)}" minimum="80" '
                    f'maximum="{rnd.randrange(160, 190)}" unit="count/min"/>\n'
                    '  <WorkoutRoute sourceName="Apple Watch">\n'
                    '   <FileReference path="/workout-routes/route.gpx"/>\n'
                    "  </WorkoutRoute>\n"
                    " </Workout>\n"
                )
                exp.activities += 1
                exp.items += 1
                exp.distance_m += (distance or 0) * 1000
                name = "running" if running else "traditional_strength_training"
                exp.kinds[name] = exp.kinds.get(name, 0) + 1
            for k in range(per_day):
                at = day + timedelta(minutes=10 * k % 1440)
                kind, unit, value = (
                    ("HKQuantityTypeIdentifierStepCount", "count", rnd.randrange(20, 900))
                    if k % 2
                    else ("HKQuantityTypeIdentifierHeartRate", "count/min", rnd.randrange(55, 150))
                )
                out.write(
                    f' <Record type="{kind}" sourceName="Apple Watch" sourceVersion="9.1" device="{_DEVICE}" '
                    f'unit="{unit}" creationDate="{_t(at)}" startDate="{_t(at)}" endDate="{_t(at)}" '
                    f'value="{value}"/>\n'
                )
                exp.skipped += 1
                exp.items += 1
        out.write("</HealthData>\n")
    return exp
