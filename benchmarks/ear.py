"""The ear alone, offline: every clip through the server's speech-reading stage, one configuration beside
another in the same run.

Where `benchmarks/voices.py` streams clips in real time (the clock included), this one hands each clip,
trimmed by the voice detector as the stream would, straight to `server.stt.reading.SpeechReader` and
the server's decision (logged or asked), so configurations of the ear compare in minutes:

- `tiny.en + base, both ears (shipped)`: the default: tiny.en and whisper base (from its PyPI packages)
  hear every utterance; a set is logged when they read it alike and one is sure;
- `tiny.en alone, doubt` (the baseline, the previous default): a reading whisper scored below
  `VOICELOG_STT_UNSURE_BELOW` is asked about; `tiny.en alone`: that doubt off too;
- with `--second MODEL` (`base`, or a CTranslate2 whisper model directory): `MODEL alone`, `MODEL, doubt`,
  `tiny.en, doubt, second ear MODEL on doubted` and `tiny.en + MODEL, both always`.

Families: the dev audio (`../shared/eval`), espeak-ng (the dev synthesizer: the doubt threshold was read
off these two only), flite and the piper neural voice (held out), and gym sound alone (must log nothing).
Reported per family: full turn logged right, logged, of logged wrong, and the reading stage's p50 / p95.

    python benchmarks/ear.py [--second base|DIR] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import RESULTS, score_turn, write_report
from benchmarks.stream_latency import AudioCase, load_audio_cases, percentile
from benchmarks.voices import FAMILIES, noise_cases, voice_cases

_OFF = "-100"  # VOICELOG_STT_UNSURE_BELOW that no reading falls under


def trim(audio: np.ndarray) -> np.ndarray:
    """The utterance as the stream's voice detector cuts it: 320 ms before the first speech, 190 after."""
    from server.audio.vad import StreamingVad

    probs = np.array(StreamingVad(min_windows=1).process(audio))
    voiced = np.nonzero(probs >= 0.5)[0]
    if len(voiced) == 0:
        return audio[:0]
    return audio[max(0, (voiced[0] - 10) * 512) : min(len(audio), (voiced[-1] + 7) * 512)]


def _pcm16k(case: AudioCase) -> np.ndarray:
    from server.audio.resample import resample

    if not case.pcm:
        import wave

        with wave.open(str(case.wav), "rb") as w:
            case.pcm, case.rate = w.readframes(w.getnframes()), w.getframerate()
    pcm = np.frombuffer(case.pcm, dtype=np.int16).astype(np.float32) / 32768
    return trim(resample(pcm, case.rate, 16000) if case.rate != 16000 else pcm)


async def _one_config(env: dict[str, str], families: dict[str, list[AudioCase]]) -> dict[str, Any]:
    from server.decide import decide
    from server.services import build_services
    from server.settings import Settings
    from server.stt.prompt import prompt_for
    from server.stt.reading import SpeechReader

    settings = Settings.from_env({"VOICELOG_DATA_DIR": tempfile.mkdtemp(prefix="voicelog-ear-"), **env})
    services = await build_services(settings)
    prompt = prompt_for(getattr(services.matcher, "catalog", None), [])
    reader = SpeechReader(
        services.transcriber,
        services.parser,
        unsure_below=settings.stt_unsure_below,
        second=services.second_transcriber,
        second_ear=settings.stt_second_ear,
    )
    out: dict[str, Any] = {}
    try:
        for family, cases in families.items():
            rows = []
            for case in cases:
                audio = _pcm16k(case)
                row: dict[str, Any] = {"id": case.id, "event": "none", "ok": False, "text": ""}
                started = time.perf_counter()
                if len(audio) >= 0.25 * 16000:
                    # as the stream does: the second ear (when it hears every utterance) starts with the first
                    second = reader.listen_second(audio, lambda: prompt)
                    first = await services.transcriber.transcribe(audio, prompt=prompt, final=True)
                    result = await reader.read(
                        audio,
                        first,
                        unit=case.default_unit,
                        prompt_for_second=lambda: prompt,
                        second_heard=second,
                    )
                    row["ms"] = (time.perf_counter() - started) * 1000
                    row |= {"text": result.text, "doubt": result.doubt, "second": result.second_text}
                    if result.text:
                        u = await services.understander.understand(
                            result.text, unit=case.default_unit, spoken=True
                        )  # type: ignore[arg-type]
                        action = decide(u, None, None, services.pipeline.threshold).action
                        row["event"] = "clarify" if result.doubt and action == "logged" else action
                        if case.expected.exercise_ids:
                            fields = score_turn(u.result.parsed, case.expected)
                            row["ok"] = all(fields.values())
                            row["wrong_fields"] = [k for k, v in fields.items() if not v]
                rows.append(row)
            out[family] = rows
    finally:
        await services.close()
    return out


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    logged = [r for r in rows if r["event"] == "logged"]
    right = [r for r in logged if r["ok"]]
    ms = [r["ms"] for r in rows if "ms" in r]
    return {
        "clips": n,
        "full_turn_pct": round(100 * len(right) / n, 1) if n else None,
        "logged_pct": round(100 * len(logged) / n, 1) if n else None,
        "logged_wrong_pct": round(100 * (len(logged) - len(right)) / len(logged), 1) if logged else None,
        "logged": len(logged),
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
    }


def _markdown(summary: dict[str, dict[str, dict[str, Any]]], meta: dict[str, Any]) -> str:
    lines = [
        "# The ear alone: the speech-reading stage, offline",
        "",
        f"Each clip trimmed by the voice detector and read by `server.stt.reading` as the server does, "
        f"then decided (logged or asked). {meta['cpus']} cores; other work on the box: load average "
        f"{meta['load']} at the start. Written by `benchmarks/ear.py`.",
        "",
        "| configuration | family | clips | full turn logged right | logged | of logged, wrong | "
        "p50 ms | p95 ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for config, families in summary.items():
        for family, s in families.items():
            p50 = f"{s['p50_ms']:.0f}" if s["p50_ms"] is not None else "-"
            p95 = f"{s['p95_ms']:.0f}" if s["p95_ms"] is not None else "-"
            full = "-" if family == "gym sound alone" else f"{s['full_turn_pct']}%"
            wrong = "-" if family == "gym sound alone" else f"{s['logged_wrong_pct']}%"
            lines.append(
                f"| {config} | {family} | {s['clips']} | {full} | {s['logged_pct']}% ({s['logged']}) | "
                f"{wrong} | {p50} | {p95} |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--second", default=None, help="a second speech model: `base` (its PyPI packages) or a directory"
    )
    ap.add_argument("--quick", action="store_true", help="12 clips a family, shipped configuration only (CI)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    limit = 12 if args.quick else None
    families: dict[str, list[AudioCase]] = {"dev audio": load_audio_cases()[:limit]}
    for family in FAMILIES:
        families[family] = voice_cases(family, limit)
    families["gym sound alone"] = noise_cases()
    alone = {"VOICELOG_STT_SECOND_MODEL": "none"}
    configs: dict[str, dict[str, str]] = {
        "tiny.en + base, both ears (shipped)": {},
        "tiny.en alone, doubt": alone,
    }
    if not args.quick:
        configs["tiny.en alone"] = {**alone, "VOICELOG_STT_UNSURE_BELOW": _OFF}
    if args.second is not None:
        packaged = not Path(args.second).is_dir()
        name = args.second if packaged else Path(args.second).name
        first = {"VOICELOG_STT_MODEL" if packaged else "VOICELOG_STT_MODEL_DIR": args.second}
        second = {"VOICELOG_STT_SECOND_MODEL" if packaged else "VOICELOG_STT_SECOND_MODEL_DIR": args.second}
        configs[f"{name} alone"] = {**first, **alone, "VOICELOG_STT_UNSURE_BELOW": _OFF}
        configs[f"{name}, doubt"] = {**first, **alone}
        configs[f"tiny.en, doubt, second ear {name} on doubted"] = {
            **second,
            "VOICELOG_STT_SECOND_EAR": "doubted",
        }
        configs[f"tiny.en + {name}, both always: logged when they agree"] = {
            **second,
            "VOICELOG_STT_SECOND_EAR": "always",
        }
    results: dict[str, Any] = {}
    summary: dict[str, dict[str, dict[str, Any]]] = {}
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    for config, env in configs.items():
        print(f"== {config}", flush=True)
        results[config] = asyncio.run(_one_config(env, families))
        summary[config] = {family: _summary(rows) for family, rows in results[config].items()}
    meta = {"cpus": os.cpu_count(), "load": load, "quick": args.quick, "configs": configs}
    stem = "ear_quick" if args.quick else "ear"
    markdown = _markdown(summary, meta)
    write_report(args.out, stem, {"meta": meta, "summary": summary, "results": results}, markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
