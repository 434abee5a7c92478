"""The product as a user gets it: a clean virtual environment, `pip install .` (no extras, not editable),
`voicelog serve` from it, a spoken set streamed over /v1/stream, then the web page in headless Chromium.

The dev environment cannot fool it: the package is built from the committed tree (`git archive HEAD`) into
a fresh venv that sees none of this checkout's site-packages, and the server runs from that venv's console
script with PYTHONPATH cleared. Only the client side (websocket client, Playwright) runs from this
environment. Exit 0 when both the stream and the page logged the set; prints each step's result.

    python scripts/smoke_install.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.server import VoicelogServer, espeak_wav  # noqa: E402

PHRASE = "bench press, two hundred and twenty five pounds for five reps"
BENCH_IDS = {"Barbell_Bench_Press_-_Medium_Grip", "Bench_Press_-_Powerlifting"}
EXPECTED = (225, "lb", 5)
SPEECH_TIMEOUT_S = 120  # the first utterance also loads the speech model


def step(what: str) -> None:
    print(f"== smoke: {what}", flush=True)


def clean_install(work: Path) -> Path:
    """A fresh venv holding only this project, installed from the committed tree; its bin/ directory."""
    src = work / "src"
    src.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True)
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    started = time.monotonic()
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", "."],
        cwd=src,
        capture_output=True,
        text=True,
        check=False,
    )
    if pip.returncode != 0:  # pip's warnings about absent local indexes are noise unless it failed
        raise SystemExit(f"smoke: pip install . failed ({pip.returncode}):\n{pip.stdout}{pip.stderr}")
    print(f"install: pip install . into a clean venv took {time.monotonic() - started:.1f} s", flush=True)
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import server; print(server.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout.strip()
    if not where.startswith(str(venv)):
        raise SystemExit(f"smoke: the clean venv imported server from {where}, not from itself")
    return venv / "bin"


def pcm_frames(clip: Path, frame_ms: int = 20) -> tuple[int, list[bytes]]:
    with wave.open(str(clip)) as w:
        rate = w.getframerate()
        data = w.readframes(w.getnframes())
    step_bytes = rate * frame_ms // 1000 * 2
    return rate, [data[i : i + step_bytes] for i in range(0, len(data), step_bytes)]


def stream_clip(srv: VoicelogServer, token: str, workout_id: str, clip: Path) -> dict:
    """Streams the clip in real time, as a phone would; the `logged` event."""
    from websockets.sync.client import connect

    rate, frames = pcm_frames(clip)
    url = srv.url.replace("http", "ws", 1) + f"/v1/stream?workout_id={workout_id}"
    with connect(url, additional_headers={"Authorization": f"Bearer {token}"}, open_timeout=30) as ws:
        ws.send(json.dumps({"type": "start", "sample_rate": rate, "encoding": "pcm_s16le"}))
        ready = json.loads(ws.recv(timeout=30))
        if ready.get("type") != "ready":
            raise SystemExit(f"smoke: expected ready, got {ready}")
        for frame in frames:
            ws.send(frame)
            time.sleep(0.02)
        deadline = time.monotonic() + SPEECH_TIMEOUT_S
        while time.monotonic() < deadline:
            message = ws.recv(timeout=max(0.1, deadline - time.monotonic()))
            if isinstance(message, bytes):
                continue
            event = json.loads(message)
            if event["type"] in ("logged", "clarify", "error"):
                ws.send(json.dumps({"type": "stop"}))
                if event["type"] != "logged":
                    raise SystemExit(f"smoke: the stream answered {event}")
                return event
    raise SystemExit(f"smoke: no answer on the stream within {SPEECH_TIMEOUT_S} s")


def check_set(where: str, logged: dict) -> None:
    got = (logged["weight"], logged["unit"], logged["reps"])
    exercise = logged["exercise"]["id"]
    print(f"{where}: logged {exercise} {got[0]} {got[1]} x {got[2]}", flush=True)
    if exercise not in BENCH_IDS or got != EXPECTED:
        raise SystemExit(f"smoke: {where} logged {exercise} {got}, expected bench press {EXPECTED}")


def page_logs_a_set(srv: VoicelogServer, token: str, clip: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e.browser import PHONE, launch, sign_in_and_start

    with sync_playwright() as pw:
        browser = launch(pw, fake_audio=clip)
        try:
            page = browser.new_page(viewport=PHONE)
            workout_id = sign_in_and_start(page, srv.url, token)
            page.get_by_role("radio", name="Hands-free").check()
            page.get_by_role("button", name="Start hands-free").click()
            expect(page.locator("#sets .set")).not_to_have_count(0, timeout=SPEECH_TIMEOUT_S * 1000)
            shown = page.locator("#sets .set").last.inner_text().replace("\n", " ")
            page.locator("#talk").click()
        finally:
            browser.close()
    print(f"page: shows {shown!r}", flush=True)
    r = httpx.get(f"{srv.url}/v1/workouts/{workout_id}", headers={"Authorization": f"Bearer {token}"})
    r.raise_for_status()
    check_set("page", min(r.json()["sets"], key=lambda s: s["created_at"]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="work in this directory and leave it (default: a temp dir)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="voicelog-smoke-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        step("clean install")
        bin_dir = clean_install(work)
        srv = VoicelogServer(work / "data", command=[str(bin_dir / "voicelog")])
        srv.env.pop("PYTHONPATH", None)
        token = srv.create_user("smoke", unit="lb")
        step("voicelog serve from the clean venv")
        srv.start()
        try:
            clip = espeak_wav(PHRASE, work / "bench.wav", rate=48000, lead_s=1.0, trail_s=6.0)
            step("a spoken set over /v1/stream")
            r = httpx.post(f"{srv.url}/v1/workouts", json={}, headers={"Authorization": f"Bearer {token}"})
            r.raise_for_status()
            event = stream_clip(srv, token, r.json()["id"], clip)
            check_set("stream", event["sets"][0])
            print(f"stream: end of speech -> logged {event['timing_ms']['total']:.0f} ms", flush=True)
            step("the web page in headless Chromium")
            page_logs_a_set(srv, token, clip)
        except BaseException:
            print(srv.log_tail(), file=sys.stderr)
            raise
        finally:
            srv.stop()
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    step("passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
