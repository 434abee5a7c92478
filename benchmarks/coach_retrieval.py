"""Coach retrieval: recall@5 of the right chunk for lifter questions written for this benchmark, beside
a keyword-only baseline in the same run.

The questions (`benchmarks/data/coach_questions.jsonl`, 135 of them) were written before any tuning;
each names the chunk(s) that answer it: a written cue (`knowledge_base`), a catalog exercise's
instructions (`exercise_cues`), or the lifter's own profile or history. Half are marked `dev` (the
ones looked at while the synonyms and weights were tuned), half `heldout` (never looked at one by one).
The pool is every chunk the coach can retrieve: 59 cues, the catalog's instructions, and a sample
lifter's profile and history chunks. The baseline ranks the same pool by how many distinct question
words a chunk contains; a second column switches off only the synonyms.
Writes benchmarks/results/coach_retrieval.{md,json}.

    python benchmarks/coach_retrieval.py [--out DIR] [--misses]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from server.coach.chunks import Chunk, exercise_cue_chunks, knowledge_chunks, lifter_chunks
from server.coach.retrieval import ChunkIndex, Hit, keyword_rank
from server.profile.context import build_context
from server.profile.ledger import canonical

__all__ = ["SAMPLE_PROFILE", "main", "run"]

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "benchmarks" / "data" / "coach_questions.jsonl"
RESULTS = ROOT / "benchmarks" / "results"

SAMPLE_PROFILE = {
    "goals": {"primaryGoal": "strength", "objective": "squat 180 kg", "eventDate": "2027-03-01"},
    "availability": {"daysPerWeek": 4, "minutesPerSession": 60, "preferredTimes": ["morning"]},
    "metrics": {"bodyweight": {"value": 82.5, "unit": "kg"}},
    "constraints": [
        {
            "id": "sh1",
            "type": "injury",
            "label": "left shoulder impingement",
            "affectedAreas": ["left shoulder"],
            "modifications": ["no overhead pressing"],
        }
    ],
}
SAMPLE_HISTORY = {
    "Barbell_Squat": "Barbell Squat: best 150 kg × 3 on 2026-11-02; last sets 140 kg × 5 (2026-12-01)",
    "Barbell_Bench_Press_-_Medium_Grip": "Barbell Bench Press - Medium Grip: best 100 kg × 5 on 2026-11-20; "
    "last sets 95 kg × 6 (2026-12-02)",
    "Romanian_Deadlift": "Romanian Deadlift: best 120 kg × 8 on 2026-11-28; last sets 110 kg × 8",
}


def _lifter() -> list[Chunk]:
    context = build_context(canonical(SAMPLE_PROFILE), [], date(2026, 12, 3))
    return lifter_chunks(context.facts, SAMPLE_HISTORY)


def _rank_of(hits: list[Hit], expect: set[str]) -> int | None:
    for i, h in enumerate(hits):
        if h.chunk.ref in expect:
            return i + 1
    return None


def run(show_misses: bool = False) -> dict[str, Any]:
    cases = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]
    lifter = _lifter()
    started = time.perf_counter()
    index = ChunkIndex(knowledge_chunks() + exercise_cue_chunks())
    build_ms = (time.perf_counter() - started) * 1000
    pool = [*index.chunks, *lifter]
    refs = {c.ref for c in pool}
    rows: dict[str, dict[str, list[int | None]]] = {}
    times: list[float] = []
    for case in cases:
        expect = set(case["expect"])
        assert expect <= refs, f"unknown chunk in {case}"
        t = time.perf_counter()
        ours = index.search(case["question"], extra=lifter, limit=5)
        times.append((time.perf_counter() - t) * 1000)
        base = keyword_rank(case["question"], pool, limit=5)
        plain = index.search(case["question"], extra=lifter, limit=5, synonyms=False)
        for split in (case["split"], "all"):
            r = rows.setdefault(split, {"ours": [], "baseline": [], "no_synonyms": []})
            r["ours"].append(_rank_of(ours, expect))
            r["baseline"].append(_rank_of(base, expect))
            r["no_synonyms"].append(_rank_of(plain, expect))
        if show_misses and _rank_of(ours, expect) is None:
            print(
                f"MISS [{case['split']}] {case['question']!r} want {sorted(expect)} "
                f"got {[h.chunk.ref for h in ours[:3]]}"
            )

    def summary(ranks: list[int | None]) -> dict[str, float]:
        n = len(ranks)
        return {
            "n": n,
            "recall@1": round(sum(1 for r in ranks if r == 1) / n, 3),
            "recall@5": round(sum(1 for r in ranks if r is not None) / n, 3),
            "mrr@5": round(sum(1 / r for r in ranks if r) / n, 3),
        }

    report = {
        "pool_chunks": len(pool),
        "index_build_ms": round(build_ms, 1),
        "query_ms_p50": round(statistics.median(times), 2),
        "query_ms_max": round(max(times), 2),
        "splits": {s: {k: summary(v) for k, v in r.items()} for s, r in sorted(rows.items())},
    }
    return report


def write(report: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "coach_retrieval.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "# Coach retrieval",
        "",
        f"{report['pool_chunks']} chunks (written cues, catalog instructions, a sample lifter's profile and "
        f"history); index built in {report['index_build_ms']} ms; a query p50 {report['query_ms_p50']} ms "
        f"(max {report['query_ms_max']} ms).",
        "",
        "| questions | n | recall@5 | recall@1 | MRR@5 | keyword baseline recall@5 | recall@1 | MRR@5 "
        "| ours without synonyms recall@5 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for split, r in report["splits"].items():
        o, b, p = r["ours"], r["baseline"], r["no_synonyms"]
        lines.append(
            f"| {split} | {o['n']} | **{o['recall@5']:.1%}** | {o['recall@1']:.1%} | {o['mrr@5']:.3f} "
            f"| {b['recall@5']:.1%} | {b['recall@1']:.1%} | {b['mrr@5']:.3f} | {p['recall@5']:.1%} |"
        )
    (out / "coach_retrieval.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--misses", action="store_true", help="print every question ours misses")
    args = parser.parse_args()
    write(run(args.misses), args.out)


if __name__ == "__main__":
    main()
