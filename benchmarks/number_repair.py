"""Number repairs (`server.stt.repair`) on speech outside the dev set: what they fix and what they break.

The dev audio has only a handful of misheard numbers, too few to trust a repair rule on. This probe
speaks sentences written here (none is a dev sentence) in four espeak-ng voices, reads each the way
the server does (3-best rescored, second listen when unsure), then once more with the repairs, and
scores load and reps against what was said. A rule pays only if it fixes more than it breaks here.

    python benchmarks/number_repair.py            # 30 sentences x 4 voices
    python benchmarks/number_repair.py --quick    # 8 of them x 2 voices
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import RESULTS, build_parser, write_report  # noqa: E402
from benchmarks.stt_priming import SERVER_PROMPT, _Direct  # noqa: E402
from server.audio.wav import read_wav  # noqa: E402
from server.stt.relisten import listen_again  # noqa: E402
from server.stt.repair import repair_reading  # noqa: E402
from server.stt.rescore import pick_reading  # noqa: E402
from server.stt.whisper import WhisperEngine  # noqa: E402
from tests.audio_gen import ClipMaker  # noqa: E402

__all__ = ["SENTENCES", "VOICES"]

# (what is said, the lifter's unit, load, reps): teens against tens, "for N on", loads said as words
SENTENCES: list[tuple[str, str, float | None, int | None]] = [
    ("one arm dumbbell row with the fifteen for ten", "lb", 15, 10),
    ("hammer curls with the fifteens for twelve", "lb", 15, 12),
    ("hammer curls with the fifties for eight", "lb", 50, 8),
    ("lateral raises with the thirteens for fifteen", "lb", 13, 15),
    ("shrugs with the seventies for twelve", "lb", 70, 12),
    ("incline press with the sixties for nine", "lb", 60, 9),
    ("concentration curl with the sixteen for eleven", "kg", 16, 11),
    ("walking lunges with the forties for twenty", "lb", 40, 20),
    ("bench press one thirty five for fourteen", "lb", 135, 14),
    ("leg press three hundred for sixteen", "lb", 300, 16),
    ("squat two twenty five for thirteen", "lb", 225, 13),
    ("lat pulldown one twenty for fifteen", "lb", 120, 15),
    ("sixty kilos for seventeen on hack squat", "kg", 60, 17),
    ("thirty kilos for fourteen on romanian deadlift", "kg", 30, 14),
    ("fifty pounds for thirteen on cable row", "lb", 50, 13),
    ("forty kilos for sixteen on leg curl", "kg", 40, 16),
    ("twenty kilos for nineteen on step ups", "kg", 20, 19),
    ("cable crunch fifty pounds for thirty reps", "lb", 50, 30),
    ("push ups fifty reps", "lb", None, 50),
    ("leg extension ninety pounds for forty reps", "lb", 90, 40),
    ("deadlift four oh five for three", "lb", 405, 3),
    ("calf raise one eighty for fifteen", "lb", 180, 15),
    ("lying leg curl forty five kilos for eleven", "kg", 45, 11),
    ("seated cable row fifty five kilos for eight", "kg", 55, 8),
    ("leg press ninety five kilos for ten reps", "kg", 95, 10),
    ("dumbbell bench press thirty five kilos, nine reps", "kg", 35, 9),
    ("preacher curl twenty five kilos for twelve", "kg", 25, 12),
    ("barbell row sixty five kilos for seven", "kg", 65, 7),
    ("goblet squat twenty four kilo kettlebell for fourteen", "kg", 24, 14),
    ("face pulls forty pounds for eighteen", "lb", 40, 18),
]
VOICES = ["en-us", "en", "en-gb-x-rp", "en-us+f3"]


def _right(parser: Any, text: str, unit: str, load: float | None, reps: int | None) -> bool:
    parsed = parser.parse(text, unit=unit).parsed
    return parsed.weight == load and parsed.reps == reps


async def run(sentences: list[Any], voices: list[str]) -> dict[str, Any]:
    engine = WhisperEngine(nbest=3)
    ear = _Direct(engine)
    parser = build_parser()
    clips = ClipMaker(Path(tempfile.mkdtemp(prefix="voicelog-repair-")))
    rows, repair_ms = [], []
    for said, unit, load, reps in sentences:
        for voice in voices:
            audio = read_wav(clips.clip(said, voice=voice).read_bytes())
            heard = pick_reading(parser, engine.transcribe_sync(audio, SERVER_PROMPT), unit=unit)
            heard = await listen_again(ear, parser, audio, heard, unit=unit)
            started = time.perf_counter()
            repaired = await repair_reading(ear, parser, audio, heard, unit=unit)
            tried = [h for h in repaired.hypotheses if h.repair]
            if tried:
                repair_ms.append((time.perf_counter() - started) * 1000)
            rows.append(
                {
                    "said": said,
                    "voice": voice,
                    "heard": heard.text,
                    "repaired": repaired.text,
                    "right_before": _right(parser, heard.text, unit, load, reps),
                    "right_after": _right(parser, repaired.text, unit, load, reps),
                    "tried": [{"rule": h.repair, "acoustic": h.acoustic, "text": h.text} for h in tried],
                }
            )
    n = len(rows)
    return {
        "clips": n,
        "right_before": sum(r["right_before"] for r in rows) / n,
        "right_after": sum(r["right_after"] for r in rows) / n,
        "fixed": sum(r["right_after"] and not r["right_before"] for r in rows),
        "broke": sum(r["right_before"] and not r["right_after"] for r in rows),
        "tried": sum(bool(r["tried"]) for r in rows),
        "repair_ms_mean": sum(repair_ms) / len(repair_ms) if repair_ms else None,
        "rows": rows,
    }


def _markdown(result: dict[str, Any], meta: dict[str, Any]) -> str:
    ms = result["repair_ms_mean"]
    lines = [
        "# Number repairs on speech outside the dev set",
        "",
        f"{meta['sentences']} sentences written for this probe x {meta['voices']} espeak-ng voices; whisper "
        f"tiny.en int8 on {meta['cpus']} CPU cores, read as the server reads (3-best rescored, second listen "
        f"when unsure), then repaired. Scored: load and reps as said. {meta['note']}",
        "",
        "| reading | load and reps right | fixed | broke | clips where a repair was weighed "
        "| ms per weighing |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| as heard (baseline) | {result['right_before']:.1%} | | | | |",
        f"| repaired (server) | {result['right_after']:.1%} | {result['fixed']} | {result['broke']} | "
        f"{result['tried']}/{result['clips']} | {'-' if ms is None else f'{ms:.0f}'} |",
        "",
    ]
    changed = [r for r in result["rows"] if r["heard"] != r["repaired"]]
    if changed:
        lines += ["Readings the repairs changed:", ""]
        for r in changed:
            verdict = "fixed" if r["right_after"] else ("broke" if r["right_before"] else "still wrong")
            lines.append(f'- {r["voice"]}: "{r["heard"]}" → "{r["repaired"]}" ({verdict})')
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--note", default="", help="a sentence about the host during the run (e.g. other load)")
    args = ap.parse_args()
    # quick: every fourth sentence (teens and tens, "for N on", loads as words) in two voices
    sentences = SENTENCES[::4] if args.quick else SENTENCES
    voices = VOICES[::3] if args.quick else VOICES
    result = asyncio.run(run(sentences, voices))
    meta = {"sentences": len(sentences), "voices": len(voices), "cpus": os.cpu_count(), "note": args.note}
    stem = "number_repair_quick" if args.quick else "number_repair"
    write_report(args.out, stem, {"meta": meta, **result}, _markdown(result, meta))
    print(_markdown(result, meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
