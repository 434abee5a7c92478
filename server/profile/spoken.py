"""Profile updates said aloud: "I weigh 82 kilos today", "my left shoulder is hurting", "shoulder's fine
now" → one JSON-Patch against the current profile, with the reason in words. Anything else is not read
as a profile update (None), so a set or a question is never turned into a profile change."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import msgspec

from matcher.normalize import normalize
from server.workout_md.render import format_number

__all__ = ["SpokenUpdate", "read_spoken_update"]

_AREAS = r"lower back|upper back|back|shoulder|knee|elbow|wrist|hip|ankle|neck|hamstring|groin|calf|quad"
_SIDE = r"(?P<side>left|right)?\s*"
_UNITS = {"kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg"}
_UNITS |= {"lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb"}

_WEIGHT = re.compile(
    r"\b(?:weigh(?:ed|ing)?(?: in)?|weight is|bodyweight(?: is)?|body weight(?: is)?|weigh-in)\s+"
    r"(?:is\s+|at\s+|of\s+|about\s+|around\s+)*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>[a-z]+)?"
)
_HURT = re.compile(
    rf"\b(?:my\s+{_SIDE}(?P<area>{_AREAS})s?(?:'s|\s+is|\s+are|\s+has been|\s+keeps)?\s+"
    r"(?:hurting|hurts|sore|injured|tweaked|aching|achy|killing me|bothering me|acting up|in pain|playing up)"
    rf"|(?:hurt|tweaked|injured|strained|pulled|twisted|sprained)\s+my\s+{_SIDE.replace('side', 'side2')}"
    rf"(?P<area2>{_AREAS}))"
)
_BETTER = re.compile(
    rf"\b{_SIDE}(?P<area>{_AREAS})s?(?:'s|\s+is|\s+are|\s+feels|\s+feel)?\s+"
    r"(?:fine|better|ok|okay|good|great|healed|recovered|back to normal|all good|no longer hurting)"
)


class SpokenUpdate(msgspec.Struct, kw_only=True):
    patch: list[dict[str, Any]]
    reason: str


def _text(words: str) -> str:
    """The cleaned words with spoken numbers as digits ("eighty two kilos" → "82 kilos")."""
    n = normalize(words)
    return " ".join(
        format_number(t.value) if t.kind == "num" and t.value is not None else t.text for t in n.tokens
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _matches(constraint: dict[str, Any], area: str, side: str | None) -> bool:
    words = " ".join([constraint["label"], *constraint["affectedAreas"]]).lower()
    return area in words and (side is None or side in words or not re.search(r"\b(left|right)\b", words))


def read_spoken_update(
    transcript: str, profile: dict[str, Any], *, default_unit: str, today: date
) -> SpokenUpdate | None:
    text = _text(transcript)
    lowered = f" {transcript.lower()} "
    if m := _WEIGHT.search(text):
        unit = _UNITS.get(m["unit"] or "", default_unit)
        value = float(m["value"])
        return SpokenUpdate(
            patch=[{"op": "replace", "path": "/metrics/bodyweight", "value": {"value": value, "unit": unit}}],
            reason=f"bodyweight {format_number(value)} {unit}",
        )
    # "fine now" is checked on the raw words too: the cleaner drops "now" and similar fillers.
    if m := _BETTER.search(text) or _BETTER.search(lowered):
        area, side = m["area"], m["side"]
        ops = []
        for i, c in enumerate(profile["constraints"]):
            if c["status"] == "active" and _matches(c, area, side):
                # The test pins the index to this constraint: if the list moved meanwhile, nothing changes.
                ops.append({"op": "test", "path": f"/constraints/{i}/id", "value": c["id"]})
                ops.append({"op": "replace", "path": f"/constraints/{i}/status", "value": "resolved"})
                ops.append({"op": "replace", "path": f"/constraints/{i}/endDate", "value": today.isoformat()})
        if not ops:
            return None  # nothing active there to resolve: not a change
        return SpokenUpdate(patch=ops, reason=f"{' '.join(filter(None, (side, area)))} resolved")
    if m := _HURT.search(text) or _HURT.search(lowered):
        area = m["area"] or m["area2"]
        side = m["side"] or m["side2"]
        place = " ".join(filter(None, (side, area)))
        if any(c["status"] == "active" and _matches(c, area, side) for c in profile["constraints"]):
            return None  # already known and active: saying it again changes nothing
        taken = {c["id"] for c in profile["constraints"]}
        base = _slug(place)
        ident = next(f"{base}-{n}" for n in range(1, 1000) if f"{base}-{n}" not in taken)
        constraint = {
            "id": ident,
            "type": "injury",
            "label": f"{place} pain",
            "affectedAreas": [place],
            "startDate": today.isoformat(),
            "status": "active",
        }
        return SpokenUpdate(
            patch=[{"op": "add", "path": "/constraints/-", "value": constraint}], reason=f"{place} pain"
        )
    return None
