"""Exercise matching on the dev set: top-1/top-3 of `ExerciseMatcher.match(variant)` beside a baseline.

Every dev turn whose `tags.variant` names the exercise phrase is matched on that phrase alone (the
grammar's job of finding the phrase is measured by benchmarks/accuracy.py). The baseline, in the same
run, is rapidfuzz `process.extractOne(phrase, catalog_names, scorer=WRatio)`. Writes
benchmarks/results/exercise_eval.{md,json}.

    python benchmarks/exercise_eval.py [--dev PATH] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import msgspec
from rapidfuzz import fuzz, process

from matcher.resolver import ExerciseMatcher

__all__ = ["main", "run"]

_ROOT = Path(__file__).resolve().parent.parent
_DEV = _ROOT.parent / "shared" / "eval" / "dev.jsonl"
_BANDS = (0.0, 0.5, 0.7, 0.9, 0.97, 1.01)


def load_cases(path: Path) -> list[tuple[str, list[str]]]:
    cases = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        session = json.loads(line)
        for turn in session["turns"]:
            variant = turn.get("tags", {}).get("variant")
            if variant:
                cases.append((variant, turn["expected"]["exercise_ids"]))
    return cases


def run(cases: list[tuple[str, list[str]]]) -> dict:
    matcher = ExerciseMatcher.from_fixtures()
    names = {ex.name: ex.id for ex in matcher.catalog}
    name_list = list(names)
    top1 = top3 = base1 = 0
    confusions = []
    cold_ms: list[float] = []
    warm_ms: list[float] = []
    base_ms: list[float] = []
    scored: list[tuple[float, bool]] = []
    for phrase, accepted in cases:
        t = time.perf_counter()
        m = matcher.match(phrase)
        cold_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        matcher.match(phrase)
        warm_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        best = process.extractOne(phrase, name_list, scorer=fuzz.WRatio)
        base_ms.append((time.perf_counter() - t) * 1000)
        got = m.exercise.id if m.exercise else None
        ok = got in accepted
        top1 += ok
        top3 += any(c.id in accepted for c in m.candidates[:3])
        base1 += best is not None and names[best[0]] in accepted
        scored.append((m.score, ok))
        if not ok:
            confusions.append(
                {"phrase": phrase, "normalized": m.normalized, "got": got, "score": m.score,
                 "expected": accepted, "candidates": [c.id for c in m.candidates[:3]]}
            )
    n = len(cases) or 1
    bands = []
    for lo, hi in zip(_BANDS, _BANDS[1:], strict=False):
        inside = [ok for s, ok in scored if lo <= s < hi]
        bands.append({"from": lo, "to": min(hi, 1.0), "turns": len(inside),
                      "accuracy": round(sum(inside) / len(inside), 4) if inside else None})

    def pct(xs: list[float], q: float) -> float:
        return round(statistics.quantiles(xs, n=100)[int(q) - 1], 4) if len(xs) > 1 else 0.0

    return {
        "turns": len(cases),
        "top1": round(top1 / n, 4),
        "top3": round(top3 / n, 4),
        "baseline_top1": round(base1 / n, 4),
        "latency_ms": {
            "match_cold_p50": pct(cold_ms, 50), "match_cold_p99": pct(cold_ms, 99),
            "match_cached_p50": pct(warm_ms, 50), "match_cached_p99": pct(warm_ms, 99),
            "baseline_p50": pct(base_ms, 50), "baseline_p99": pct(base_ms, 99),
        },
        "calibration": bands,
        "confusions": confusions,
    }


def to_markdown(report: dict) -> str:
    lat = report["latency_ms"]
    lines = [
        "# Exercise matching on the dev set",
        "",
        f"{report['turns']} turns with an exercise phrase (`tags.variant`).",
        "",
        "| system | top-1 | top-3 |",
        "| --- | --- | --- |",
        f"| ExerciseMatcher | {report['top1']:.1%} | {report['top3']:.1%} |",
        f"| baseline: rapidfuzz extractOne WRatio over catalog names | {report['baseline_top1']:.1%} | |",
        "",
        "| latency (ms) | p50 | p99 |",
        "| --- | --- | --- |",
        f"| match, cold cache | {lat['match_cold_p50']} | {lat['match_cold_p99']} |",
        f"| match, cached | {lat['match_cached_p50']} | {lat['match_cached_p99']} |",
        f"| baseline | {lat['baseline_p50']} | {lat['baseline_p99']} |",
        "",
        "## Calibration (accuracy by best score)",
        "",
        "| score | turns | accuracy |",
        "| --- | --- | --- |",
    ]
    for b in report["calibration"]:
        acc = "" if b["accuracy"] is None else f"{b['accuracy']:.1%}"
        lines.append(f"| {b['from']:.2f}–{b['to']:.2f} | {b['turns']} | {acc} |")
    lines += ["", "## Confusions", ""]
    if not report["confusions"]:
        lines.append("none")
    for c in report["confusions"]:
        lines.append(
            f"- `{c['phrase']}` → `{c['got']}` ({c['score']:.2f}); expected {', '.join(c['expected'])}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=_DEV)
    ap.add_argument("--out", type=Path, default=_ROOT / "benchmarks" / "results")
    args = ap.parse_args()
    report = run(load_cases(args.dev))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "exercise_eval.json").write_bytes(msgspec.json.format(msgspec.json.encode(report)))
    (args.out / "exercise_eval.md").write_text(to_markdown(report))
    print(to_markdown(report))


if __name__ == "__main__":
    main()
