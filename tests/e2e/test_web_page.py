"""The web page end to end: real server, Debian Chromium at phone size, a synthesized voice as the mic.

The fake microphone loops its WAV. The clip carries long silence after the phrase so the server's
voice activity detection ends each repeat on its own, the page stops listening as soon as the first
set shows, and every assertion is about a set picked by id (the first logged, the last logged), so a
second pass of the clip logging a second set changes nothing the test checks.
"""

from __future__ import annotations

import re
import wave
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import APIResponse, Page, Route, expect, sync_playwright

from tests.e2e.browser import PHONE, launch, sign_in_and_start
from tests.e2e.server import VoicelogServer, espeak_wav

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
PHRASE = "bench press, two hundred and twenty five pounds for five reps"
BENCH_IDS = {"Barbell_Bench_Press_-_Medium_Grip", "Bench_Press_-_Powerlifting"}
CLIP_TRAIL_S = 6.0
SPEECH_TIMEOUT_MS = 120_000  # the first utterance also pays for loading the speech model


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[VoicelogServer, str]]:
    srv = VoicelogServer(tmp_path_factory.mktemp("voicelog-web") / "data")
    token = srv.create_user("web-tester", unit="lb")
    srv.start()
    try:
        yield srv, token
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # long trailing silence: the repeat starts well after the first set is logged and the page stops
    out = tmp_path_factory.mktemp("clips") / "bench.wav"
    return espeak_wav(PHRASE, out, rate=48000, lead_s=1.0, trail_s=CLIP_TRAIL_S)


def _workout_sets(srv: VoicelogServer, token: str, workout_id: str) -> list[dict]:
    r = httpx.get(
        f"{srv.url}/v1/workouts/{workout_id}", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert r.status_code == 200, r.text
    return r.json()["sets"]


_TOUCH_TARGETS = """
() => [...document.querySelectorAll("button, input, select")]
  .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden")
  .map((el) => {
    // a radio is drawn by its label: the label's box is what a glove presses
    const box = (el.type === "radio" ? el.closest("label") : el).getBoundingClientRect();
    return {what: el.id || el.name || el.textContent.trim(), width: box.width, height: box.height};
  })
"""


def _assert_phone_sized(page: Page) -> None:
    """Nothing scrolls sideways at 375 px, and every visible control is at least 56 px each way."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    targets = page.evaluate(_TOUCH_TARGETS)
    assert targets
    small = [t for t in targets if t["width"] < 56 or t["height"] < 56]
    assert small == [], small


def _first_set_button(page: Page):
    return page.locator("#sets .set").last  # newest first, so the earliest set is the last item


def test_a_spoken_set_is_logged_shown_corrected_and_undone(
    server: tuple[VoicelogServer, str], clip: Path
) -> None:
    srv, token = server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = launch(pw, fake_audio=clip)
        try:
            page = browser.new_page(viewport=PHONE)
            workout_id = sign_in_and_start(page, srv.url, token)
            # the token is kept for the next visit
            assert page.evaluate("localStorage.getItem('voicelog.token')") == token

            # speak, hands-free: the server's VAD ends the utterance on the clip's trailing silence
            page.get_by_role("radio", name="Hands-free").check()
            page.get_by_role("button", name="Start hands-free").click()
            expect(page.locator("#talk")).to_have_attribute("aria-pressed", "true")
            expect(page.locator("#sets .set")).not_to_have_count(0, timeout=SPEECH_TIMEOUT_MS)
            page.locator("#talk").click()  # stop listening before the clip comes round again
            expect(page.locator("#talk")).to_have_attribute("aria-pressed", "false")

            first = _first_set_button(page)
            expect(first).to_contain_text("225 lb × 5")
            expect(first).to_contain_text(re.compile(r"\d+%"))  # the confidence badge
            expect(page.locator("#transcript")).to_contain_text(re.compile("bench", re.I))
            page.screenshot(path=str(ARTIFACTS / "web-logged-set.png"))

            sets = _workout_sets(srv, token, workout_id)
            logged = min(sets, key=lambda s: s["created_at"])
            assert logged["exercise"]["id"] in BENCH_IDS
            assert (logged["weight"], logged["unit"], logged["reps"]) == (225, "lb", 5)
            assert first.get_attribute("data-set-id") == logged["id"]

            # correct it on the page: another exercise from the picker, other numbers
            first.click()
            dialog = page.locator("#editor")
            expect(dialog).to_be_visible()
            dialog.get_by_label("Exercise", exact=True).fill("incline bench")
            choice = dialog.locator(".choice", has_text=re.compile("incline", re.I)).first
            expect(choice).to_be_visible(timeout=10_000)
            _assert_phone_sized(page)
            chosen_id = choice.get_attribute("data-exercise-id")
            choice.click()
            expect(choice).to_have_attribute("aria-selected", "true")
            dialog.get_by_label("Reps").fill("6")
            dialog.get_by_label("Weight").fill("185")
            with page.expect_response(lambda r: "/v1/sets/" in r.url and r.request.method == "PATCH") as resp:
                dialog.get_by_role("button", name="Save").click()
            assert resp.value.status == 200, resp.value.text()
            expect(dialog).to_be_hidden()
            corrected_button = page.locator(f'#sets .set[data-set-id="{logged["id"]}"]')
            expect(corrected_button).to_contain_text("185 lb × 6")
            expect(corrected_button).to_contain_text("corrected")

            held = {s["id"]: s for s in _workout_sets(srv, token, workout_id)}[logged["id"]]
            assert held["exercise"]["id"] == chosen_id
            assert (held["weight"], held["reps"], held["unit"]) == (185, 6, "lb")
            assert held["corrected"] is True

            # undo removes the newest set, on the page and on the server
            sets = _workout_sets(srv, token, workout_id)
            newest = max(sets, key=lambda s: s["created_at"])
            with page.expect_response(
                lambda r: "/v1/sets/" in r.url and r.request.method == "DELETE"
            ) as resp:
                page.get_by_role("button", name="Undo last").click()
            assert resp.value.status == 204
            expect(page.locator(f'#sets .set[data-set-id="{newest["id"]}"]')).to_have_count(0)
            assert newest["id"] not in {s["id"] for s in _workout_sets(srv, token, workout_id)}
        finally:
            browser.close()
    # the committed copy under docs/screenshots/ is refreshed from this artifact by hand
    assert (ARTIFACTS / "web-logged-set.png").stat().st_size > 10_000


def _speech_seconds(clip: Path, trail_s: float) -> float:
    with wave.open(str(clip)) as w:
        return w.getnframes() / w.getframerate() - trail_s


def test_hold_to_talk_logs_a_set_that_a_reload_resumes(
    server: tuple[VoicelogServer, str], clip: Path
) -> None:
    srv, token = server
    with sync_playwright() as pw:
        browser = launch(pw, fake_audio=clip)
        try:
            page = browser.new_page(viewport=PHONE)
            workout_id = sign_in_and_start(page, srv.url, token)
            talk = page.get_by_role("button", name="Hold to talk")
            talk.hover()
            # the fake mic starts its clip when the press opens it; hold through the phrase, as a lifter would
            page.mouse.down()
            expect(page.locator("#talk")).to_have_attribute("aria-pressed", "true")
            page.wait_for_timeout(int((_speech_seconds(clip, CLIP_TRAIL_S) + 0.4) * 1000))
            page.mouse.up()
            expect(page.locator("#talk")).to_have_attribute("aria-pressed", "false")
            expect(page.locator("#sets .set")).to_have_count(1, timeout=SPEECH_TIMEOUT_MS)
            expect(page.locator("#sets .set")).to_contain_text("225 lb × 5")

            [held] = _workout_sets(srv, token, workout_id)
            assert held["exercise"]["id"] in BENCH_IDS
            assert (held["weight"], held["reps"]) == (225, 5)

            # a reload keeps the token and offers the workout back, confidence included
            page.reload()
            expect(page.get_by_label("API token")).to_be_hidden()
            page.get_by_role("button", name=re.compile("Resume last workout")).click()
            expect(page.locator("#conn")).to_have_attribute("data-state", "connected", timeout=30_000)
            resumed = page.locator(f'#sets .set[data-set-id="{held["id"]}"]')
            expect(resumed).to_contain_text("225 lb × 5")
            expect(resumed).to_contain_text(re.compile(r"\d+%"))
        finally:
            browser.close()


def test_typed_sets_show_clarify_questions_and_follow_spoken_corrections(
    server: tuple[VoicelogServer, str],
) -> None:
    srv, token = server
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport=PHONE)
            workout_id = sign_in_and_start(page, srv.url, token)
            typed = page.get_by_label("Type a set")
            log = page.get_by_role("button", name="Log", exact=True)

            typed.fill("two twenty five for five")  # no exercise: the server asks instead of logging
            log.click()
            expect(page.locator("#clarify")).to_be_visible(timeout=30_000)
            expect(page.locator("#clarify .question")).not_to_be_empty()
            expect(page.locator("#sets .set")).to_have_count(0)

            typed.fill("squat 185 for 8")
            log.click()
            expect(page.locator("#sets .set")).to_have_count(1, timeout=30_000)
            expect(page.locator("#clarify")).to_be_hidden()
            expect(page.locator("#sets .set")).to_contain_text("185 lb × 8")
            _assert_phone_sized(page)

            typed.fill("make that ten reps")  # changes the set already on the page
            log.click()
            expect(page.locator("#sets .set")).to_contain_text("185 lb × 10", timeout=30_000)
            [held] = _workout_sets(srv, token, workout_id)
            assert held["reps"] == 10

            typed.fill("scratch that")
            log.click()
            expect(page.locator("#sets .set")).to_have_count(0, timeout=30_000)
            assert _workout_sets(srv, token, workout_id) == []

            # any set, not only the last, can be deleted from its dialog
            for text in ("bench press 135 for 10", "bench press 155 for 8"):
                typed.fill(text)
                log.click()
            expect(page.locator("#sets .set")).to_have_count(2, timeout=30_000)
            older = page.locator("#sets .set", has_text="135 lb × 10")
            older_id = older.get_attribute("data-set-id")
            older.click()
            # the dialog opens on its title, so a phone keeps its keyboard down until a field is tapped
            assert page.evaluate("document.activeElement.id") == "editor-title"
            page.get_by_role("button", name="Delete this set").click()
            expect(page.locator("#editor")).to_be_hidden()
            expect(page.locator("#sets .set")).to_have_count(1)
            expect(page.locator("#sets .set")).to_contain_text("155 lb × 8")
            [left] = _workout_sets(srv, token, workout_id)
            assert left["id"] != older_id and (left["weight"], left["reps"]) == (155, 8)

            # the default unit travels in the socket's `start`, so changing it restarts the session
            page.get_by_label("Default unit").select_option("kg")
            expect(page.locator("#conn")).to_have_attribute("data-state", "connected", timeout=30_000)
            typed.fill("bench press 100 for 5")
            log.click()
            expect(page.locator("#sets .set")).to_have_count(2, timeout=30_000)
            expect(page.locator("#sets .set").first).to_contain_text("100 kg × 5")
            assert page.evaluate("localStorage.getItem('voicelog.unit')") == "kg"

            # a weight typed onto a bodyweight set gets the default unit, never a bare number
            typed.fill("pull ups for 10")
            log.click()
            expect(page.locator("#sets .set")).to_have_count(3, timeout=30_000)
            bodyweight = page.locator("#sets .set").first
            expect(bodyweight).to_contain_text("× 10")
            bodyweight_id = bodyweight.get_attribute("data-set-id")
            bodyweight.click()
            page.locator("#editor").get_by_label("Weight").fill("25")
            page.locator("#editor").get_by_role("button", name="Save").click()
            expect(page.locator(f'#sets .set[data-set-id="{bodyweight_id}"]')).to_contain_text("25 kg × 10")
            held = {s["id"]: s for s in _workout_sets(srv, token, workout_id)}[bodyweight_id]
            assert (held["weight"], held["unit"], held["reps"]) == (25, "kg", 10)
        finally:
            browser.close()


def test_the_page_shows_a_lost_connection_and_reconnects(server: tuple[VoicelogServer, str]) -> None:
    srv, token = server
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport=PHONE)
            workout_id = sign_in_and_start(page, srv.url, token)
            # Hold back the answer of the resync the page runs after reconnecting, fetched at once (so
            # it predates what follows) but delivered late, as a slow network would.
            held: list[tuple[Route, APIResponse]] = []
            workout_url = re.compile(rf".*/v1/workouts/{workout_id}$")
            page.route(workout_url, lambda route: held.append((route, route.fetch())))

            srv.stop()
            expect(page.locator("#conn")).to_have_attribute("data-state", "reconnecting", timeout=15_000)
            expect(page.locator("#conn")).to_contain_text("Retry in")
            srv.start()
            # backoff tops out at 15 s (+25% jitter), so the page is back within one long step
            expect(page.locator("#conn")).to_have_attribute("data-state", "connected", timeout=40_000)
            for _ in range(300):  # the page asks for the workout as soon as the session is ready
                if held:
                    break
                page.wait_for_timeout(100)  # lets Playwright run the route handler
            assert len(held) == 1, "the page did not resync the workout after reconnecting"

            # the new session works: a typed set goes over the socket and shows up
            page.get_by_label("Type a set").fill("deadlift 315 for 3")
            page.get_by_role("button", name="Log", exact=True).click()
            expect(page.locator("#sets .set")).to_have_count(1, timeout=30_000)
            [logged] = _workout_sets(srv, token, workout_id)
            assert (logged["weight"], logged["reps"]) == (315, 3)

            # the stale resync (no sets yet) lands after the set: the set must stay
            route, stale = held[0]
            assert stale.json()["sets"] == []
            route.fulfill(response=stale)
            expect(page.locator("#sets")).to_have_attribute("data-refreshes", "1")
            expect(page.locator("#sets .set")).to_have_count(1)
            expect(page.locator("#sets .set")).to_contain_text("315 lb × 3")
        finally:
            browser.close()


def test_a_wrong_token_brings_back_the_token_form_with_a_reason(server: tuple[VoicelogServer, str]) -> None:
    srv, _ = server
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport=PHONE)
            page.goto(srv.url + "/")
            page.get_by_label("API token").fill("vl_not-a-real-token")
            page.get_by_role("button", name="Save token").click()
            with page.expect_response(lambda r: r.url.endswith("/v1/workouts")) as resp:
                page.get_by_role("button", name="Start workout").click()
            assert resp.value.status == 401
            expect(page.get_by_label("API token")).to_be_visible()
            expect(page.locator("#auth-note")).to_contain_text("rejected")
            expect(page.locator("#talk-panel")).to_be_hidden()
            expect(page.locator("#conn")).to_have_attribute("data-state", "offline")
        finally:
            browser.close()


def test_a_set_that_beats_a_record_says_pr(server: tuple[VoicelogServer, str]) -> None:
    srv, _ = server
    token = srv.create_user("web-pr-tester", unit="lb")  # a lifter of its own: no records yet
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport=PHONE)
            sign_in_and_start(page, srv.url, token)
            typed = page.get_by_label("Type a set")
            log = page.get_by_role("button", name="Log", exact=True)
            typed.fill("deadlift 300 for 3")  # the lifter's first deadlift: a first record is no news
            log.click()
            expect(page.locator("#toast")).to_contain_text("300 lb × 3", timeout=30_000)
            expect(page.locator("#toast")).not_to_contain_text("PR!")
            typed.fill("deadlift 315 for 3")
            log.click()
            # 315 × (1 + 3/30) against 300 × (1 + 3/30): +5%
            expect(page.locator("#toast")).to_contain_text("PR! estimated 1RM +5%", timeout=30_000)
        finally:
            browser.close()
