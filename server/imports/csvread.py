"""Reading an exporter's CSV: its dialect, its header, and each record with the line it starts on."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from server.imports.rows import ImportFormatError

__all__ = ["CsvRecord", "number", "parse_duration", "parse_rpe", "parse_time", "records"]

CsvRecord = tuple[int, dict[str, str]]


def records(text: str, required: Sequence[str]) -> tuple[str, Iterator[CsvRecord]]:
    """(delimiter, records): Strong writes ';' where the decimal mark is ',', so the header decides."""
    if text.startswith("\ufeff"):
        text = text[1:]
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ImportFormatError(1, "the file is empty") from None
    except csv.Error as exc:
        raise ImportFormatError(1, f"unreadable header: {exc}") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFormatError(1, f"missing column(s) {', '.join(missing)}; the header is {header}")

    def rows() -> Iterator[CsvRecord]:
        start = reader.line_num + 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFormatError(start, f"unreadable CSV: {exc}") from None
            if values and any(v.strip() for v in values):
                if len(values) != len(header):
                    raise ImportFormatError(start, f"{len(values)} fields where the header has {len(header)}")
                yield start, dict(zip(header, values, strict=True))
            start = reader.line_num + 1

    return delimiter, rows()


def number(value: str, column: str, line: int, *, comma_decimal: bool = False) -> float | None:
    """A number as the exporter writes it; empty is None; anything else names the line."""
    text = value.strip()
    if not text:
        return None
    if comma_decimal:
        text = text.replace(",", ".")
    try:
        result = float(text)
    except ValueError:
        raise ImportFormatError(line, f"{column} {value!r} is not a number") from None
    if result != result or result in (float("inf"), float("-inf")):
        raise ImportFormatError(line, f"{column} {value!r} is not a number")
    if result < 0:
        raise ImportFormatError(line, f"{column} {value!r} is negative")
    return result


_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d %b %Y, %H:%M")


def parse_time(value: str, column: str, line: int) -> datetime:
    """Exporters write local time without an offset; it is kept as written, read as UTC."""
    text = value.strip()
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ImportFormatError(line, f"{column} {value!r} is not a date and time") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


_DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*$")


def parse_duration(value: str, column: str, line: int) -> int | None:
    """Seconds from Strong's "1h 5m" (also "45m", "30s", a bare number of seconds); empty is None."""
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    found = _DURATION.match(text)
    if found is None or not any(found.groups()):
        raise ImportFormatError(line, f"{column} {value!r} is not a duration like '1h 5m'")
    hours, minutes, seconds = (int(g) if g else 0 for g in found.groups())
    return hours * 3600 + minutes * 60 + seconds


def parse_rpe(value: float | None, column: str, line: int) -> float | None:
    """An exported RPE: empty or 0 is none; 1-10 kept to the half point; anything else is an error."""
    if value is None or value == 0:
        return None
    if not 1 <= value <= 10:
        raise ImportFormatError(line, f"{column} {value:g} is outside 1-10")
    return round(value * 2) / 2
