"""Accuracy of the set parser on the dev set and the train/held-out splits, beside a rapidfuzz baseline.

Run: python benchmarks/accuracy.py [--dev ../shared/eval/dev.jsonl] [--out benchmarks/results]
Writes accuracy.md and accuracy.json: full-turn exact accuracy, per-field accuracy, exercise top-1 and
top-3, confidence calibration (above vs below the threshold, and by bucket), per-group accuracy,
the failures, and the baseline (WRatio extractOne over catalog names, on the raw text and on the
parser's extracted phrase).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import msgspec

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ablation import ablation_markdown, alias_ablation
from benchmarks.common import (
    FIELDS,
    Baseline,
    Session,
    build_parser,
    dev_args,
    load_dev,
    perturb,
    run_session,
    say_numbers,
    score_turn,
    write_report,
)
from benchmarks.rephrase import rephrase
from benchmarks.splits import evaluate_splits, splits_markdown
from matcher.parser import CONFIDENCE_THRESHOLD, Parser

__all__ = ["evaluate", "main"]

_STRESS_SEEDS = (7, 8, 9)
_BUCKETS = [(0.0, 0.3), (0.3, 0.6), (0.6, 0.8), (0.8, 0.95), (0.95, 1.01)]


def _pct(n: int, d: int) -> float | None:
    return round(100.0 * n / d, 2) if d else None


def evaluate(dev: Path) -> dict[str, Any]:
    parser = build_parser()
    baseline = Baseline()
    sessions = load_dev(dev)
    report = {"dev": str(dev), **_run(parser, baseline, sessions)}
    report["splits"] = evaluate_splits(parser, baseline, dev)
    report["ablation"] = alias_ablation(report["splits"])
    # The audio sessions' spoken wording (all numbers in words) is one more rendering of the same sets.
    spoken = [
        msgspec.structs.replace(s, turns=[msgspec.structs.replace(s.turns[0], text=s.audio_text)])
        for s in sessions
        if s.audio_text and len(s.turns) == 1
    ]
    spoken_run = _run(parser, baseline, spoken)
    in_words = _run(parser, baseline, say_numbers(sessions))
    report["numbers_in_words"] = {
        "turns": in_words["turns"],
        "full_turn_accuracy": in_words["full_turn_accuracy"],
        "failures": in_words["failures"],
    }
    report["spoken_wording"] = {
        "turns": spoken_run["turns"],
        "full_turn_accuracy": spoken_run["full_turn_accuracy"],
        "field_accuracy": spoken_run["field_accuracy"],
        "failures": spoken_run["failures"],
    }
    # The same sets said the other ways lifters say them (benchmarks/rephrase.py): do the rules generalise?
    report["rephrased"] = {}
    for kind, changed in rephrase(sessions).items():
        run = _run(parser, baseline, changed)
        report["rephrased"][kind] = {
            "sessions": len(changed),
            "turns": run["turns"],
            "full_turn_accuracy": run["full_turn_accuracy"],
            "failures": run["failures"],
        }
    # Seed 7 is the one the confidence knees were read from; 8 and 9 were not looked at while tuning.
    report["stress"] = []
    for seed in _STRESS_SEEDS:
        stress = _run(parser, baseline, perturb(sessions, seed=seed))
        report["stress"].append(
            {
                "seed": seed,
                "tuned_on": seed == _STRESS_SEEDS[0],
                **{k: v for k, v in stress.items() if k != "failures"},
            }
        )
    return report


def _run(parser: Parser, baseline: Baseline, sessions: list[Session]) -> dict[str, Any]:
    turns = 0
    full = 0
    field_ok: dict[str, int] = defaultdict(int)
    top3 = 0
    base_raw = 0
    base_phrase = 0
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    conf_rows: list[tuple[float, bool]] = []
    failures: list[dict[str, Any]] = []
    for session in sessions:
        for turn, result in run_session(parser, session):
            turns += 1
            p = result.parsed
            ok = score_turn(p, turn.expected)
            for name, good in ok.items():
                field_ok[name] += good
            all_ok = all(ok.values())
            full += all_ok
            ids = set(turn.expected.exercise_ids)
            if any(c.id in ids for c in result.trace.candidates[:3]) or ok["exercise"]:
                top3 += 1
            base_raw += baseline.top1(turn.text) in ids
            phrase = result.trace.exercise_phrase
            # A turn that names no exercise continues the last one, for the baseline as for the parser.
            base_phrase += (baseline.top1(phrase) in ids) if phrase else ok["exercise"]
            group = str(turn.tags.get("group", "?"))
            groups[group][0] += all_ok
            groups[group][1] += 1
            conf_rows.append((p.confidence, all_ok))
            if not all_ok:
                failures.append(
                    {
                        "session": session.id,
                        "text": turn.text,
                        "wrong": [k for k, v in ok.items() if not v],
                        "got": {
                            "exercise": p.exercise.id if p.exercise else None,
                            "sets": p.sets,
                            "reps": p.reps,
                            "weight": p.weight,
                            "unit": p.unit,
                            "rpe": p.rpe,
                            "duration_s": p.duration_s,
                        },
                        "expected": {
                            "exercise_ids": turn.expected.exercise_ids,
                            "sets": turn.expected.sets,
                            "reps": turn.expected.reps,
                            "weight": turn.expected.weight,
                            "unit": turn.expected.unit,
                            "rpe": turn.expected.rpe,
                            "duration_s": turn.expected.duration_s,
                        },
                        "confidence": p.confidence,
                        "phrase": phrase,
                        "rule": result.trace.rule,
                        "notes": result.trace.notes,
                    }
                )
    above = [ok for c, ok in conf_rows if c >= CONFIDENCE_THRESHOLD]
    below = [ok for c, ok in conf_rows if c < CONFIDENCE_THRESHOLD]
    buckets = []
    for lo, hi in _BUCKETS:
        rows = [ok for c, ok in conf_rows if lo <= c < hi]
        buckets.append(
            {
                "range": f"[{lo:.2f}, {min(hi, 1.0):.2f}{')' if hi <= 1.0 else ']'}",
                "turns": len(rows),
                "accuracy": _pct(sum(rows), len(rows)),
            }
        )
    return {
        "sessions": len(sessions),
        "turns": turns,
        "full_turn_accuracy": _pct(full, turns),
        "field_accuracy": {name: _pct(field_ok[name], turns) for name in FIELDS},
        "exercise_top1": _pct(field_ok["exercise"], turns),
        "exercise_top3": _pct(top3, turns),
        "baseline": {
            "method": "rapidfuzz process.extractOne(scorer=WRatio) over catalog names",
            "exercise_top1_raw_text": _pct(base_raw, turns),
            "exercise_top1_extracted_phrase": _pct(base_phrase, turns),
        },
        "calibration": {
            "threshold": CONFIDENCE_THRESHOLD,
            "above": {"turns": len(above), "accuracy": _pct(sum(above), len(above))},
            "below": {"turns": len(below), "accuracy": _pct(sum(below), len(below))},
            "buckets": buckets,
        },
        "groups": {g: {"turns": n, "accuracy": _pct(k, n)} for g, (k, n) in sorted(groups.items())},
        "failures": failures,
    }


def _merged_buckets(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for i, b in enumerate(runs[0]["calibration"]["buckets"]):
        n = sum(run["calibration"]["buckets"][i]["turns"] for run in runs)
        good = sum(
            round(
                run["calibration"]["buckets"][i]["turns"]
                * (run["calibration"]["buckets"][i]["accuracy"] or 0)
                / 100
            )
            for run in runs
        )
        rows.append(f"| {b['range']} | {n} | {_pct(good, n)}% |")
    return rows


def _markdown(r: dict[str, Any]) -> str:
    b = r["baseline"]
    c = r["calibration"]
    lines = [
        "# Set parser accuracy (dev set)",
        "",
        f"Data: `{Path(r['dev']).name}`, {r['sessions']} sessions, {r['turns']} turns; "
        "multi-turn sessions fed in "
        "order with the parser's own previous output as context. Written by `benchmarks/accuracy.py`.",
        "",
        "| measure | parser | baseline (WRatio, raw text) | baseline (WRatio, our phrase) |",
        "| --- | --- | --- | --- |",
        f"| full-turn exact | {r['full_turn_accuracy']}% | | |",
        f"| exercise top-1 | {r['exercise_top1']}% | {b['exercise_top1_raw_text']}% | "
        f"{b['exercise_top1_extracted_phrase']}% |",
        f"| exercise top-3 | {r['exercise_top3']}% | | |",
        "",
        *splits_markdown(r["splits"]),
        *ablation_markdown(r["ablation"]),
        "",
        f"The audio sessions' spoken wording (`audio_text`, numbers spelled out): "
        f"{r['spoken_wording']['turns']} turns, full-turn {r['spoken_wording']['full_turn_accuracy']}%.",
        "",
        f"The dev set with every digit number said in words instead (`say_numbers`, seeded styles: "
        f'"two twenty five", "a hundred and thirty five", "... and a half"): '
        f"{r['numbers_in_words']['turns']} turns, full-turn {r['numbers_in_words']['full_turn_accuracy']}%.",
        "",
        "## The same sets, said another way",
        "",
        "Dev turns rewritten by general wording changes whose answer is unchanged "
        "(`benchmarks/rephrase.py`: lift said as a verb, relative loads in other words, "
        "1-3 reps as single/double/triple, seconds as minutes and seconds); only the turns a "
        "rewrite fits, so some samples are small.",
        "",
        "| rewrite | sessions | turns | full-turn accuracy |",
        "| --- | --- | --- | --- |",
        *[
            f"| {k} | {v['sessions']} | {v['turns']} | {v['full_turn_accuracy']}% |"
            for k, v in r["rephrased"].items()
        ],
        "",
        "## Per field",
        "",
        "| field | accuracy |",
        "| --- | --- |",
        *[f"| {k} | {v}% |" for k, v in r["field_accuracy"].items()],
        "",
        f"## Confidence calibration (threshold {c['threshold']})",
        "",
        "| confidence | turns | full-turn accuracy |",
        "| --- | --- | --- |",
        f"| ≥ threshold | {c['above']['turns']} | {c['above']['accuracy']}% |",
        f"| < threshold | {c['below']['turns']} | {c['below']['accuracy']}% |",
        *[f"| {x['range']} | {x['turns']} | {x['accuracy']}% |" for x in c["buckets"]],
        "",
        "## Calibration under speech-to-text damage (stress set)",
        "",
        "The dev set again, each exercise phrase damaged at run time (letters garbled, or a word "
        "of another exercise slipped in; `benchmarks/common.py: perturb`, fixed seeds), "
        "expected answers unchanged. "
        "The clean set is solved, so this is where confidence has to separate right from wrong.",
        "",
        "| seed | full-turn | exercise top-1 | top-3 | baseline on our phrase | ≥ threshold: turns, accuracy "
        "| < threshold: turns, accuracy |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *[
            f"| {x['seed']}{' (tuned on)' if x['tuned_on'] else ' (held out)'} | "
            f"{x['full_turn_accuracy']}% | {x['exercise_top1']}% | {x['exercise_top3']}% | "
            f"{x['baseline']['exercise_top1_extracted_phrase']}% | "
            f"{x['calibration']['above']['turns']}, {x['calibration']['above']['accuracy']}% | "
            f"{x['calibration']['below']['turns']}, {x['calibration']['below']['accuracy']}% |"
            for x in r["stress"]
        ],
        "",
        "By confidence bucket (all seeds):",
        "",
        "| confidence | turns | full-turn accuracy |",
        "| --- | --- | --- |",
        *_merged_buckets(r["stress"]),
        "",
        "## Per group",
        "",
        "| group | turns | full-turn accuracy |",
        "| --- | --- | --- |",
        *[f"| {g} | {v['turns']} | {v['accuracy']}% |" for g, v in r["groups"].items()],
        "",
        f"## Failures ({len(r['failures'])})",
        "",
    ]
    if not r["failures"]:
        lines.append("None.")
    for f in r["failures"]:
        lines.append(
            f"- `{f['text']}` — wrong: {', '.join(f['wrong'])}; got {f['got']}; expected "
            f"{f['expected']}; confidence {f['confidence']}; rule `{f['rule']}`"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    args = dev_args(__doc__.splitlines()[0])
    report = evaluate(args.dev)
    write_report(args.out, "accuracy", report, _markdown(report))
    for x in report["stress"]:
        print(
            f"stress seed {x['seed']}: full-turn {x['full_turn_accuracy']}%  "
            f"above threshold {x['calibration']['above']}  below {x['calibration']['below']}"
        )
    for name, split in report["splits"].items():
        print(
            f"{name}: full-turn {split['full_turn']}%  exercise top-1 {split['exercise_top1']}%  "
            f"logged wrong {split['logged_wrong_pct']}% of {split['logged']}"
        )
    print(
        f"full-turn {report['full_turn_accuracy']}%  exercise top-1 {report['exercise_top1']}%  "
        f"top-3 {report['exercise_top3']}%  baseline raw {report['baseline']['exercise_top1_raw_text']}%  "
        f"baseline phrase {report['baseline']['exercise_top1_extracted_phrase']}%"
    )


if __name__ == "__main__":
    main()
