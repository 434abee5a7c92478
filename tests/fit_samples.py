"""A FIT activity file (as Garmin watches write it) of a known run, encoded here byte by byte: file_id,
one record per second (position due north a fixed step apart, distance, heart rate), a session summary."""

# ruff: noqa: E501  (byte layouts read better on one line)
from __future__ import annotations

import math
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = ["write_fit"]

_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)  # FIT time zero
_CRC = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
        0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]  # fmt: skip
EARTH_M = 6_371_008.8


def _crc(data: bytes, crc: int = 0) -> int:
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = _CRC[crc & 0xF]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC[nibble]
    return crc


def _definition(local: int, global_num: int, fields: list[tuple[int, int, int]]) -> bytes:
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
    return out + b"".join(struct.pack("<BBB", *f) for f in fields)


def _fit_time(at: datetime) -> int:
    return int((at - _EPOCH).total_seconds())


def write_fit(path: Path, *, n: int = 1200, step_m: float = 2.8, sport: int = 1) -> dict[str, float]:
    start = datetime(2024, 6, 1, 7, 0, tzinfo=UTC)
    dlat = math.degrees(step_m / EARTH_M)
    semis = 2**31 / 180
    body = bytearray()
    body += _definition(
        0, 0, [(0, 1, 0x00), (1, 2, 0x84), (4, 4, 0x86)]
    )  # file_id: type, manufacturer, created
    body += struct.pack("<BBHI", 0, 4, 1, _fit_time(start))
    body += _definition(1, 20, [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (5, 4, 0x86), (3, 1, 0x02)])
    hrs = []
    for i in range(n):
        hr = 130 + (i % 30)
        hrs.append(hr)
        lat = round((45.0 + i * dlat) * semis)
        body += struct.pack(
            "<BIiiIB",
            1,
            _fit_time(start + timedelta(seconds=i)),
            lat,
            round(7.5 * semis),
            round(i * step_m * 100),
            hr,
        )
    session = [
        (253, 4, 0x86),
        (2, 4, 0x86),
        (7, 4, 0x86),
        (8, 4, 0x86),
        (9, 4, 0x86),
        (11, 2, 0x84),
        (16, 1, 0x02),
        (17, 1, 0x02),
        (5, 1, 0x00),
    ]
    body += _definition(2, 18, session)
    elapsed = n - 1
    distance = (n - 1) * step_m
    avg = round(sum(hrs) / n)
    body += struct.pack(
        "<BIIIIIHBBB", 2, _fit_time(start + timedelta(seconds=elapsed)), _fit_time(start), elapsed * 1000, elapsed * 1000,
        round(distance * 100), 321, avg, max(hrs), sport,
    )  # fmt: skip
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", _crc(header))
    data = header + bytes(body)
    path.write_bytes(data + struct.pack("<H", _crc(data)))
    return {
        "duration_s": elapsed,
        "distance_m": distance,
        "avg_hr": avg,
        "max_hr": max(hrs),
        "energy": 321,
        "points": n,
    }
