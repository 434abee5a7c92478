"""Parse + match latency per dev-set turn, beside the rapidfuzz baseline's exercise lookup.

Run: python benchmarks/latency.py [--dev ../shared/eval/dev.jsonl] [--out benchmarks/results] [--repeat 7]
Each turn is timed `--repeat` times and its minimum kept (the noise of a shared machine only ever adds
time); p50 / p99 / max are over turns. Two parser rows: "warm" lets the matcher's per-phrase cache work
as it does in a live server (common phrases like "bench" repeat across lifters), "cold" clears the
cache before every run, so each run pays for a full match.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import DEFAULT_DEV, RESULTS, Baseline, build_parser, load_dev, write_report
from models.parsed import ParsedSet

__all__ = ["main", "measure"]


def _percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    k = min(len(s) - 1, max(0, round(q * (len(s) - 1))))
    return s[k]


def _summary(xs: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(_percentile(xs, 0.50), 4),
        "p90_ms": round(_percentile(xs, 0.90), 4),
        "p99_ms": round(_percentile(xs, 0.99), 4),
        "max_ms": round(max(xs), 4),
        "mean_ms": round(statistics.fmean(xs), 4),
    }


def _clear_caches(matcher: Any) -> None:
    for name in ("_evidence", "_normalize"):
        fn = getattr(matcher, name, None)
        if fn is not None and hasattr(fn, "cache_clear"):
            fn.cache_clear()


def measure(dev: Path, repeat: int) -> dict[str, Any]:
    parser = build_parser()
    matcher = parser._matcher  # the benchmark clears its caches so every run is a cold match
    baseline = Baseline()
    sessions = load_dev(dev)
    cold: list[float] = []
    warm: list[float] = []
    base: list[float] = []
    stages: dict[str, list[float]] = {"normalize": [], "parse": [], "match": []}
    for session in sessions:
        previous: ParsedSet | None = None
        for turn in session.turns:
            best = float("inf")
            best_stages: dict[str, float] = {}
            result = None
            for _ in range(repeat):
                _clear_caches(matcher)
                t0 = time.perf_counter()
                result = parser.parse(turn.text, unit=session.default_unit, previous=previous)
                dt = (time.perf_counter() - t0) * 1000.0
                if dt < best:
                    best, best_stages = dt, result.trace.stages_ms
            cold.append(best)
            for k in stages:
                stages[k].append(best_stages.get(k, 0.0))
            w_best = float("inf")
            for _ in range(repeat):
                t0 = time.perf_counter()
                parser.parse(turn.text, unit=session.default_unit, previous=previous)
                w_best = min(w_best, (time.perf_counter() - t0) * 1000.0)
            warm.append(w_best)
            b_best = float("inf")
            for _ in range(repeat):
                t0 = time.perf_counter()
                baseline.top1(turn.text)
                b_best = min(b_best, (time.perf_counter() - t0) * 1000.0)
            base.append(b_best)
            assert result is not None
            if result.parsed.intent in ("log_set", "correction"):
                previous = result.parsed
    return {
        "dev": str(dev),
        "turns": len(cold),
        "repeat": repeat,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        },
        "parser_cold": _summary(cold),
        "parser_warm": _summary(warm),
        "parser_stages_p50_ms": {k: round(_percentile(v, 0.5), 4) for k, v in stages.items()},
        "parser_stages_p99_ms": {k: round(_percentile(v, 0.99), 4) for k, v in stages.items()},
        "baseline": {
            "method": "rapidfuzz process.extractOne(scorer=WRatio) over catalog names, raw text",
            **_summary(base),
        },
        "target_p99_ms": 2.0,
    }


def _markdown(r: dict[str, Any]) -> str:
    c, w, b = r["parser_cold"], r["parser_warm"], r["baseline"]
    return "\n".join(
        [
            "# Set parser latency (dev set)",
            "",
            f"{r['turns']} turns, minimum of {r['repeat']} runs per turn "
            "(warm: the matcher's phrase cache as "
            "in a live server; cold: cleared before each run); "
            f"Python {r['machine']['python']} on {r['machine']['platform']}, "
            f"{r['machine']['cpus']} CPUs shared with other work (1-minute load average "
            f"{r['machine']['load_average_1m_at_end']} at the end of the run). "
            "Written by `benchmarks/latency.py`.",
            "",
            "| | p50 ms | p90 ms | p99 ms | max ms | mean ms |",
            "| --- | --- | --- | --- | --- | --- |",
            *[
                f"| parser, {name} (normalize + grammar + match) | {p['p50_ms']} | {p['p90_ms']} | "
                f"{p['p99_ms']} | {p['max_ms']} | {p['mean_ms']} |"
                for name, p in (("warm", w), ("cold", c))
            ],
            f"| baseline (WRatio extractOne, exercise only) | {b['p50_ms']} | {b['p90_ms']} | "
            f"{b['p99_ms']} | "
            f"{b['max_ms']} | {b['mean_ms']} |",
            "",
            "Per stage, cold (p50 / p99 ms): "
            + ", ".join(
                f"{k} {r['parser_stages_p50_ms'][k]} / {r['parser_stages_p99_ms'][k]}"
                for k in r["parser_stages_p50_ms"]
            ),
            "",
            f"Target: parser p99 ≤ {r['target_p99_ms']} ms.",
            "",
        ]
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    report = measure(args.dev, max(1, args.repeat))
    write_report(args.out, "latency", report, _markdown(report))
    print(
        f"parser warm p50 {report['parser_warm']['p50_ms']} ms  p99 {report['parser_warm']['p99_ms']} ms  |  "
        f"cold p50 {report['parser_cold']['p50_ms']} ms  p99 {report['parser_cold']['p99_ms']} ms  |  "
        f"baseline p50 {report['baseline']['p50_ms']} ms  p99 {report['baseline']['p99_ms']} ms"
    )


if __name__ == "__main__":
    main()
