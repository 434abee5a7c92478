"""Debian's Chromium driven by Python Playwright: no browser download, a missing binary fails the test."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import ViewportSize, expect

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

__all__ = ["PHONE", "chromium_path", "launch", "sign_in_and_start"]

PHONE = ViewportSize(width=375, height=812)

_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]


def chromium_path() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError("chromium is not installed: apt-get install chromium (./scripts/test does)")


def launch(playwright: Playwright, *, fake_audio: Path | None = None) -> Browser:
    """Headless Chromium whose microphone is `fake_audio` (a WAV, played in a loop) when given."""
    args = list(_FLAGS)
    if fake_audio is not None:
        args.append(f"--use-file-for-fake-audio-capture={fake_audio}")
    return playwright.chromium.launch(executable_path=chromium_path(), args=args, headless=True)


def sign_in_and_start(page: Page, url: str, token: str) -> str:
    """Opens the page, saves the token, starts a workout and waits for the socket; the workout's id."""
    page.goto(url + "/")
    expect(page.locator("#conn")).to_have_text("Offline")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Save token").click()
    with page.expect_response(
        lambda r: r.url.endswith("/v1/workouts") and r.request.method == "POST"
    ) as resp:
        page.get_by_role("button", name="Start workout").click()
    assert resp.value.status == 201
    workout_id: str = resp.value.json()["id"]
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected", timeout=30_000)
    return workout_id
