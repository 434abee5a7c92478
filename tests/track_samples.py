"""GPX (as Strava writes it, heart rate in Garmin's TrackPointExtension) and TCX (as Garmin Connect writes
it) files of a known run: points due north a fixed step apart, so distance, duration and heart rate are
known exactly without measuring them the way the importer does."""

# ruff: noqa: E501  (the XML reads better as the apps write it)
from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = ["EARTH_M", "write_gpx", "write_tcx"]

EARTH_M = 6_371_008.8  # mean Earth radius: along a meridian, a step of d metres is d / R radians


def _points(n: int, step_m: float) -> list[tuple[datetime, float, float, int]]:
    start = datetime(2024, 5, 4, 6, 30, tzinfo=UTC)
    dlat = math.degrees(step_m / EARTH_M)
    return [(start + timedelta(seconds=i), 45.0 + i * dlat, 7.5, 120 + (i % 40)) for i in range(n)]


def write_gpx(path: Path, *, n: int = 1800, step_m: float = 3.0) -> dict[str, float]:
    pts = _points(n, step_m)
    with path.open("w") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gpx creator="StravaGPX" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
            'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
            " <metadata><time>2024-05-04T06:30:00Z</time></metadata>\n"
            " <trk>\n  <name>Morning Run</name>\n  <type>running</type>\n  <trkseg>\n"
        )
        for at, lat, lon, hr in pts:
            out.write(
                f'   <trkpt lat="{lat:.7f}" lon="{lon}"><ele>250.4</ele><time>{at.strftime("%Y-%m-%dT%H:%M:%SZ")}</time>'
                f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr></gpxtpx:TrackPointExtension>"
                "</extensions></trkpt>\n"
            )
        out.write("  </trkseg>\n </trk>\n</gpx>\n")
    hrs = [p[3] for p in pts]
    return {"duration_s": n - 1, "distance_m": (n - 1) * step_m, "avg_hr": sum(hrs) / n, "max_hr": max(hrs)}


def write_tcx(path: Path, *, laps: int = 3, per_lap: int = 600) -> dict[str, float]:
    pts = _points(laps * per_lap, 2.5)
    with path.open("w") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">\n'
            ' <Activities>\n  <Activity Sport="Biking">\n   <Id>2024-05-04T06:30:00Z</Id>\n'
        )
        for lap in range(laps):
            chunk = pts[lap * per_lap : (lap + 1) * per_lap]
            out.write(
                f'   <Lap StartTime="{chunk[0][0].strftime("%Y-%m-%dT%H:%M:%SZ")}">\n'
                f"    <TotalTimeSeconds>{per_lap}.0</TotalTimeSeconds>\n    <DistanceMeters>1500.0</DistanceMeters>\n"
                f"    <Calories>{100 + lap}</Calories>\n    <Track>\n"
            )
            for at, lat, lon, hr in chunk:
                out.write(
                    f"     <Trackpoint><Time>{at.strftime('%Y-%m-%dT%H:%M:%SZ')}</Time><Position>"
                    f"<LatitudeDegrees>{lat:.7f}</LatitudeDegrees><LongitudeDegrees>{lon}</LongitudeDegrees>"
                    f"</Position><AltitudeMeters>240.0</AltitudeMeters><HeartRateBpm><Value>{hr}</Value>"
                    "</HeartRateBpm></Trackpoint>\n"
                )
            out.write("    </Track>\n   </Lap>\n")
        out.write("  </Activity>\n </Activities>\n</TrainingCenterDatabase>\n")
    hrs = [p[3] for p in pts]
    return {
        "duration_s": laps * per_lap,
        "distance_m": 1500.0 * laps,
        "energy": sum(100 + i for i in range(laps)),
        "avg_hr": sum(hrs) / len(hrs),
        "max_hr": max(hrs),
    }
