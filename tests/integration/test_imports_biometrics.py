"""Body mass imported from Apple Health is read by analytics (each week's `bodyweight_change`) and by the
profile's AI context (the last weigh-in, dated, when the profile states no bodyweight)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.integration.conftest import Api

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<HealthData locale="en_US">
 <ExportDate value="2026-01-05 09:00:00 +0000"/>
"""


def _weigh_in(at: datetime, value: float, unit: str) -> str:
    t = at.strftime("%Y-%m-%d %H:%M:%S +0000")
    return (
        f' <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Scale" unit="{unit}" '
        f'creationDate="{t}" startDate="{t}" endDate="{t}" value="{value}"/>\n'
    )


def test_imported_body_mass_reaches_analytics_and_the_profile_context(api: Api) -> None:
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    readings = [  # (when, kg as sent, unit): one before the 30-day range, then three in it, one in lb
        (noon - timedelta(days=45), 84.0, "kg"),
        (noon - timedelta(days=20), 83.0, "kg"),
        (noon - timedelta(days=19), 82.5, "kg"),
        (noon - timedelta(days=6), 180.0, "lb"),
    ]
    body = _HEAD + "".join(_weigh_in(at, v, u) for at, v, u in readings) + "</HealthData>\n"
    r = api.http.post("/v1/imports/apple-health", content=body.encode())
    assert r.status_code == 201, r.text
    assert r.json()["summary"]["biometrics"] == 4
    kg = [(at, v * 0.45359237 if u == "lb" else v) for at, v, u in readings]

    weeks = api.http.get("/v1/analytics", params={"range": "30d"}).json()["weekly_summary"]
    assert weeks
    for week in weeks:
        monday = date.fromisoformat(week["week_start"])
        start = datetime.combine(monday, datetime.min.time(), tzinfo=UTC)
        inside = [v for at, v in kg if start <= at < start + timedelta(days=7)]
        before = [v for at, v in kg if at < start]
        if not inside:
            assert week["bodyweight_change"] is None, week
        else:
            base = before[-1] if before else inside[0]
            per = 0.45359237 if week["unit"] == "lb" else 1.0  # in the lifter's unit
            assert week["bodyweight_change"] == round((inside[-1] - base) / per, 2), week
    assert sum(w["bodyweight_change"] is not None for w in weeks) >= 2

    context = api.http.get("/v1/profile/context").json()
    day = (noon - timedelta(days=6)).date().isoformat()
    assert f"bodyweight 81.6 kg (measured {day}, Scale)" in context["prose"]
    assert context["facts"]["measuredBodyweight"]["source"] == "Scale"
    # the profile's own bodyweight, once stated, comes first
    said = api.http.post("/v1/profile/utterances", json={"text": "I weigh 80 kilos today"})
    assert said.status_code == 201, said.text
    assert "bodyweight 80 kg" in api.http.get("/v1/profile/context").json()["prose"]
