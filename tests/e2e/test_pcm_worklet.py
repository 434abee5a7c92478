"""The page's AudioWorklet, run in Chromium: 48/44.1/16 kHz Float32 in, 16 kHz PCM s16le frames out.

Tones go through an OfflineAudioContext (deterministic, faster than real time). The checks are the
ones speech-to-text depends on: the output rate, the frame size, pitch and level preserved, and no
aliasing of content above 8 kHz into the speech band.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest
import uvicorn
from litestar import Litestar
from playwright.sync_api import Page, sync_playwright

from server.routes.web import WEB_HANDLERS
from tests.e2e.browser import launch
from tests.services.redis import free_port

pytestmark = pytest.mark.slow

_RENDER = """
async ({rate, freq, seconds, amplitude}) => {
  const ctx = new OfflineAudioContext(1, Math.round(rate * seconds), rate);
  await ctx.audioWorklet.addModule("/static/pcm-worklet.js");
  const node = new AudioWorkletNode(ctx, "pcm-s16le", {
    numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: "explicit",
    processorOptions: {targetRate: 16000, frameMs: 40},
  });
  const frames = [];
  let flushed;
  const done = new Promise((resolve) => (flushed = resolve));
  node.port.onmessage = (e) => {
    if (e.data.flushed) flushed();
    else frames.push(Array.from(new Int16Array(e.data.pcm)));
  };
  const osc = ctx.createOscillator();
  osc.frequency.value = freq;
  const gain = ctx.createGain();
  gain.gain.value = amplitude;
  osc.connect(gain).connect(node);
  node.connect(ctx.destination);
  osc.start();
  await ctx.startRendering();
  // port messages are ordered: once the flush answer is in, every frame before it is too
  node.port.postMessage("flush");
  await done;
  return frames;
}
"""


@pytest.fixture(scope="module")
def static_origin() -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(Litestar(route_handlers=WEB_HANDLERS), port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("static server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def page(static_origin: str) -> Iterator[Page]:
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page()
        # the origin must be 127.0.0.1 (a secure context), or AudioWorklet is unavailable
        page.goto(f"{static_origin}/static/style.css")
        yield page
        browser.close()


def _render(
    page: Page, rate: int, freq: float, seconds: float = 1.0, amplitude: float = 0.5
) -> list[list[int]]:
    return page.evaluate(_RENDER, {"rate": rate, "freq": freq, "seconds": seconds, "amplitude": amplitude})


def _peak_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


@pytest.mark.parametrize("rate", [48000, 44100, 16000, 8000])
def test_a_tone_keeps_its_pitch_and_level_at_16_khz(page: Page, rate: int) -> None:
    frames = _render(page, rate, freq=440.0)
    samples = np.concatenate([np.asarray(f, dtype=np.float64) for f in frames])

    # 40 ms frames at 16 kHz; only the flushed remainder may be shorter
    assert all(len(f) == 640 for f in frames[:-1])
    assert 0 < len(frames[-1]) <= 640
    # an offline context renders whole 128-sample quanta, so the input is rounded up to those
    rendered = -(-rate // 128) * 128
    expected = rendered * 16000 / rate
    tail = expected % 640
    if tail >= 1:
        expected += max(0, 160 - tail)  # a flushed tail under 10 ms is padded to 10 ms
    assert abs(len(samples) - expected) <= 1

    steady = samples[800:-800]  # past the filter's start-up and the oscillator's first cycle
    assert _peak_hz(steady, 16000) == pytest.approx(440.0, abs=3.0)
    rms = float(np.sqrt(np.mean(steady**2)))
    assert rms == pytest.approx(0.5 / np.sqrt(2) * 32767, rel=0.03)


@pytest.mark.parametrize("rate", [48000, 44100])
def test_content_above_8_khz_does_not_alias_into_speech(page: Page, rate: int) -> None:
    # Decimating without a low-pass would fold 12 kHz onto 4 kHz at full level.
    frames = _render(page, rate, freq=12000.0)
    samples = np.concatenate([np.asarray(f, dtype=np.float64) for f in frames])[800:-800]
    rms = float(np.sqrt(np.mean(samples**2)))
    assert rms < 0.01 * (0.5 / np.sqrt(2) * 32767)


@pytest.mark.parametrize("quanta", [46, 47, 49])
def test_a_short_flushed_tail_is_padded_to_the_contracts_10_ms(page: Page, quanta: int) -> None:
    # 128-sample quanta at 48 kHz -> 16 kHz: 46 and 47 leave tails of about 43 and 85 samples after
    # three full frames, under the contract's 10 ms (160); 49 leaves about 171, sent as is.
    frames = _render(page, 48000, freq=440.0, seconds=quanta * 128 / 48000)
    assert len(frames) == 4
    assert all(len(f) == 640 for f in frames[:-1])
    tail = round(quanta * 128 / 3) - 3 * 640
    assert abs(len(frames[-1]) - max(tail, 160)) <= 1


def test_loud_input_clips_instead_of_wrapping(page: Page) -> None:
    frames = _render(page, 48000, freq=300.0, amplitude=3.0)
    samples = np.concatenate([np.asarray(f, dtype=np.int64) for f in frames])
    assert samples.max() == 32767
    assert samples.min() == -32768
    # wrapped int16 would put full-scale jumps between neighbours; a clipped 300 Hz tone never does
    assert int(np.abs(np.diff(samples)).max()) < 32768
