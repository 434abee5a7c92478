"""Profile updates in words: bodyweight, a new injury, an injury that is fine again; sets and questions
are no profile update."""

from __future__ import annotations

from datetime import date

import pytest

from server.profile.ledger import DEFAULT_PROFILE, apply_patch
from server.profile.spoken import read_spoken_update

TODAY = date(2026, 12, 3)


def read(text: str, profile: dict[str, object] = DEFAULT_PROFILE, unit: str = "lb"):  # type: ignore[no-untyped-def]
    return read_spoken_update(text, profile, default_unit=unit, today=TODAY)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("I weigh 82 kilos today", 82.0, "kg"),
        ("i weigh eighty two kilos today", 82.0, "kg"),
        ("weighed in at one eighty one this morning", 181.0, "lb"),
        ("my bodyweight is 79.5 kg", 79.5, "kg"),
    ],
)
def test_bodyweight(text: str, value: float, unit: str) -> None:
    update = read(text)
    assert update is not None
    after = apply_patch(DEFAULT_PROFILE, update.patch)
    assert after["metrics"]["bodyweight"] == {"value": value, "unit": unit}


def test_an_injury_is_added_then_resolved_by_words() -> None:
    hurt = read("my left shoulder is hurting")
    assert hurt is not None and hurt.reason == "left shoulder pain"
    profile = apply_patch(DEFAULT_PROFILE, hurt.patch)
    (constraint,) = profile["constraints"]
    assert (constraint["type"], constraint["status"], constraint["affectedAreas"]) == (
        "injury",
        "active",
        ["left shoulder"],
    )
    assert constraint["startDate"] == "2026-12-03"
    assert read("my left shoulder is hurting", profile) is None  # already known: no second constraint
    assert read("my right knee is fine", profile) is None  # nothing active there
    fine = read("shoulder's fine now", profile)
    assert fine is not None
    healed = apply_patch(profile, fine.patch)
    assert healed["constraints"][0]["status"] == "resolved"
    assert healed["constraints"][0]["endDate"] == "2026-12-03"


def test_a_resolution_is_pinned_to_the_constraint_it_read() -> None:
    profile = apply_patch(DEFAULT_PROFILE, read("I tweaked my lower back").patch)  # type: ignore[union-attr]
    fine = read("my back feels better", profile)
    assert fine is not None
    moved = apply_patch(
        profile,
        [{"op": "add", "path": "/constraints/0", "value": {"id": "x", "type": "other", "label": "x"}}],
    )
    with pytest.raises(ValueError, match="test failed"):
        apply_patch(moved, fine.patch)


@pytest.mark.parametrize("text", ["bench 225 for 5", "how do I stop my knees caving", "three sets of ten"])
def test_sets_and_questions_are_not_profile_updates(text: str) -> None:
    assert read(text) is None
