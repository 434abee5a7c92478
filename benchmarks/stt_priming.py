"""Priming and decoding variants of the speech engine, measured end to end on the dev audio.

Each variant transcribes the 40 dev clips; the transcript goes through the real parser and is scored
against the clip's expected set (full turn and exercise), beside the time per clip. Variants: no
prompt, the spoken-style prompt, style + catalog words (the server's prompt), catalog words as
`hotwords`, beam 3, the stock 30 s window against the compact window, and n-best decoding with the
hypotheses rescored by the set grammar (`server.stt.rescore`) at a few weights. The server keeps the
best.

    python benchmarks/stt_priming.py            # all variants, 40 clips
    python benchmarks/stt_priming.py --quick    # 3 variants, 8 clips
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import msgspec

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import DEFAULT_DEV, RESULTS, build_parser, score_turn, write_report  # noqa: E402
from benchmarks.stream_latency import load_audio_cases, percentile  # noqa: E402
from matcher.catalog import load_catalog  # noqa: E402
from matcher.parser import CONFIDENCE_THRESHOLD  # noqa: E402
from server.audio.wav import read_wav  # noqa: E402
from server.stt.prompt import STYLE, build_prompt, catalog_vocabulary  # noqa: E402
from server.stt.relisten import listen_again  # noqa: E402
from server.stt.repair import repair_reading  # noqa: E402
from server.stt.rescore import pick_reading  # noqa: E402
from server.stt.whisper import WhisperEngine  # noqa: E402

__all__ = ["VARIANTS"]

_VOCAB = catalog_vocabulary(e.name for e in load_catalog())  # the server's: 48 words
_VOCAB_24 = catalog_vocabulary((e.name for e in load_catalog()), top=24)
SERVER_PROMPT = build_prompt(_VOCAB)
# more of the spoken number forms lifters use: per-hand dumbbells, "and a half", kilos, small reps
RICH_STYLE = (
    "bench press two twenty five for five reps, three sets of ten at RPE eight and a half, "
    "sixty kilos for twelve, nine reps with the fifties, forty five pound dumbbells, "
    "two reps in reserve, plank for sixty seconds."
)

# name → (engine kwargs, prompt)
VARIANTS: dict[str, tuple[dict[str, Any], str | None]] = {
    "no prompt": ({}, None),
    "style prompt": ({}, STYLE),
    "style + catalog words (server)": ({}, SERVER_PROMPT),
    "style + catalog words, 30 s window": ({"window_pad_s": None}, SERVER_PROMPT),
    "style prompt + catalog hotwords": ({"hotwords": " ".join(_VOCAB)}, STYLE),
    "style + catalog words, beam 3": ({"beam_size": 3}, SERVER_PROMPT),
    "style + catalog words, pad 0.5 s, no 10 s minimum": (
        {"window_pad_s": 0.5, "window_min_s": 0.0},
        SERVER_PROMPT,
    ),
    "style + 24 catalog words": ({}, build_prompt(_VOCAB_24)),
    "richer style + catalog words": ({}, build_prompt(_VOCAB, style=RICH_STYLE)),
    "richer style + 24 catalog words": ({}, build_prompt(_VOCAB_24, style=RICH_STYLE)),
}
# n-best variants: name → grammar weight for `pick_reading` (0: whisper's top reading only)
_NBEST = {
    "server prompt, beam 4, top reading": ({"nbest": 4}, 0.0),
    "server prompt, 3-best, rescored λ=1 (no second listen)": ({"nbest": 3}, 1.0),
    "server prompt, 4-best, rescored λ=0.5": ({"nbest": 4}, 0.5),
    "server prompt, 4-best, rescored λ=1": ({"nbest": 4}, 1.0),
    "server prompt, 4-best, rescored λ=2": ({"nbest": 4}, 2.0),
    "server prompt, 6-best, rescored λ=1": ({"nbest": 6}, 1.0),
}
RESCORE_WEIGHT: dict[str, float] = {}
for _name, (_kwargs, _weight) in _NBEST.items():
    VARIANTS[_name] = (_kwargs, SERVER_PROMPT)
    RESCORE_WEIGHT[_name] = _weight
# 3-best rescored, and an unsure reading decoded again with the focused prompt
RELISTEN = "server prompt, 3-best, rescored λ=1, second listen when unsure"
VARIANTS[RELISTEN] = ({"nbest": 3}, SERVER_PROMPT)
RESCORE_WEIGHT[RELISTEN] = 1.0
# the server: that, then misheard numbers repaired where the audio backs it (server.stt.repair)
REPAIR = "server prompt, 3-best, rescored λ=1, second listen when unsure, numbers repaired (server)"
VARIANTS[REPAIR] = ({"nbest": 3}, SERVER_PROMPT)
RESCORE_WEIGHT[REPAIR] = 1.0
QUICK = ("no prompt", "style + catalog words (server)", "style + catalog words, 30 s window")
# prompts are capped at 400 characters (build_prompt), so 48 and 72 words give the same prompt


class _Direct:
    """The engine as a `Transcriber`, with no scheduler in between."""

    def __init__(self, engine: WhisperEngine) -> None:
        self.engine = engine

    async def transcribe(self, audio: Any, *, prompt: str | None = None, final: bool = True) -> Any:
        return self.engine.transcribe_sync(audio, prompt, final=final)

    async def score(self, audio: Any, texts: list[str]) -> list[float]:
        return self.engine.score_readings(audio, None, texts)


def run_variant(name: str, cases: list[Any], audio: list[Any]) -> dict[str, Any]:
    kwargs, prompt = VARIANTS[name]
    engine = WhisperEngine(**kwargs)
    parser = build_parser()
    times, full, exercise, wrong, rows = [], 0, 0, 0, []
    for case, samples in zip(cases, audio, strict=True):
        started = time.perf_counter()
        result = engine.transcribe_sync(samples, prompt)
        if RESCORE_WEIGHT.get(name):
            result = pick_reading(parser, result, unit=case.default_unit, weight=RESCORE_WEIGHT[name])
        if name in (RELISTEN, REPAIR):
            result = asyncio.run(
                listen_again(_Direct(engine), parser, samples, result, unit=case.default_unit)
            )
        if name == REPAIR:
            result = asyncio.run(
                repair_reading(_Direct(engine), parser, samples, result, unit=case.default_unit)
            )
        text = result.text
        times.append((time.perf_counter() - started) * 1000)
        parsed = parser.parse(text, unit=case.default_unit).parsed
        fields = score_turn(parsed, case.expected)
        full += all(fields.values())
        exercise += fields["exercise"]
        # what the server would log without asking, yet got wrong: the cost of a bolder reading
        sure = parsed.exercise is not None and parsed.confidence >= CONFIDENCE_THRESHOLD
        wrong += sure and not all(fields.values())
        row = {"id": case.id, "transcript": text, "ok": all(fields.values()), "fields": fields}
        if result.hypotheses:
            row["hypotheses"] = [msgspec.to_builtins(h) for h in result.hypotheses]
            row["chosen"] = result.chosen
        rows.append(row)
    n = len(cases)
    return {
        "variant": name,
        "clips": n,
        "full_turn": full / n,
        "exercise": exercise / n,
        "logged_wrong": wrong,
        "mean_ms": statistics.mean(times),
        "p95_ms": percentile(times, 95),
        "rows": rows,
    }


def _markdown(results: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        "# Speech-to-text priming and decoding variants",
        "",
        f"whisper tiny.en int8 on {meta['cpus']} CPU cores, {meta['clips']} dev clips; transcript → parser → "
        f"scored against the expected set. {meta['note']}",
        "",
        "| variant | full-turn | exercise | would log a wrong set | mean ms/clip | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['variant']} | {r['full_turn']:.1%} | {r['exercise']:.1%} | {r.get('logged_wrong', '')} | "
            f"{r['mean_ms']:.0f} | "
            f"{r['p95_ms']:.0f} |"
        )
    lines += ["", f"Server prompt: `{SERVER_PROMPT}`", ""]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--variants", default=None, help="names separated by | (default: all)")
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--note", default="", help="a sentence about the host during the run (e.g. other load)")
    args = ap.parse_args()
    cases = load_audio_cases(args.dev)
    names = list(QUICK if args.quick else VARIANTS)
    if args.variants:
        names = args.variants.split("|")
    if args.quick:
        cases = cases[:8]
    audio = [read_wav(c.wav.read_bytes()) for c in cases]
    results = []
    for name in names:
        r = run_variant(name, cases, audio)
        results.append(r)
        print(
            f"{name}: full {r['full_turn']:.1%} exercise {r['exercise']:.1%} mean {r['mean_ms']:.0f} ms",
            flush=True,
        )
    meta = {"clips": len(cases), "cpus": os.cpu_count(), "note": args.note, "quick": bool(args.quick)}
    stem = "stt_priming_quick" if args.quick else "stt_priming"
    write_report(
        args.out, stem, {"meta": meta, "prompt": SERVER_PROMPT, "results": results}, _markdown(results, meta)
    )
    print(_markdown(results, meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
