"""The web page's progress view (issue 15) in Debian Chromium at phone size: a logged set brings up its
exercise's estimated 1RM chart with the PR sessions marked, the next set's target and the weekly
summary; another exercise is found by name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.browser import PHONE, launch, sign_in_and_start
from tests.e2e.server import VoicelogServer
from tests.e2e.test_web_page import _assert_phone_sized

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoicelogServer]:
    srv = VoicelogServer(tmp_path_factory.mktemp("voicelog-progress") / "data")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def _history(srv: VoicelogServer, token: str) -> None:
    """Three earlier squat sessions: 100, 110 (a PR), 105 kg × 5."""
    today = datetime.now(UTC).date()
    for days_ago, weight in ((9, 100), (6, 110), (3, 105)):
        body = {
            "date": (today - timedelta(days=days_ago)).isoformat(),
            "sets": [{"exercise_id": "Barbell_Squat", "actual_weight": weight, "actual_reps": 5}],
        }
        r = httpx.post(
            f"{srv.url}/v1/sessions", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        assert r.status_code == 201, r.text


def test_a_logged_set_shows_its_progress_chart_and_next_target(server: VoicelogServer) -> None:
    token = server.create_user("web-progress", unit="kg")
    _history(server, token)
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport=PHONE)
            sign_in_and_start(page, server.url, token)
            page.get_by_label("Type a set").fill("barbell squat 112.5 kg for 5")
            page.get_by_role("button", name="Log", exact=True).click()
            expect(page.locator("#toast")).to_contain_text("PR!", timeout=30_000)
            chart = page.locator("#progress-chart")
            # four sessions; e1rm records at the first, 110 and 112.5
            expect(chart).to_have_attribute("data-points", "4", timeout=30_000)
            expect(chart.locator("circle")).to_have_count(4)
            expect(chart.locator("circle.pr-marker")).to_have_count(3)
            expect(page.locator("#progress-name")).to_contain_text("Barbell Squat")
            # the last session's top set, no modifier yet: 112.5 kg × 5
            expect(page.locator("#progress-next")).to_have_text("Next set: 112.5 kg × 5")
            expect(page.locator("#weekly li").first).to_contain_text("sets")
            _assert_phone_sized(page)

            page.get_by_label("Exercise to show").fill("deadlift")
            page.get_by_role("button", name="Show", exact=True).click()
            expect(chart).to_have_attribute("data-points", "0")
            expect(page.locator("#progress-next")).to_have_text("Next set: no history yet.")
        finally:
            browser.close()
