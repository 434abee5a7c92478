"""What each family of hand-written alias data carries: the splits re-run with one family removed.

`fixtures/aliases.json` holds several families of hand-written entries (abbreviations, rewrites of
split or misheard words, per-lift defaults, implied words, word endings, and the aliases proper). For
each family in turn the matcher is rebuilt without it and dev and both held-out splits are scored
again, so what a table carries on sentences it was not written from is a number, not a guess. A family
whose removal costs dev but not held-out was written for dev sentences.

Run: python benchmarks/ablation.py [--out benchmarks/results]   (also part of benchmarks/accuracy.py)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import msgspec

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Baseline, load_dev
from benchmarks.splits import SPLITS, score_split
from matcher.aliases import AliasData, AliasTable, load_alias_data
from matcher.catalog import load_catalog
from matcher.parser import Parser
from matcher.phrase import Normalizer
from matcher.resolver import ExerciseMatcher

__all__ = ["FAMILIES", "ablation_markdown", "alias_ablation", "entry_counts", "matcher_without"]

# family -> what removing it means; `stopwords` stay (they are grammar, not knowledge of lifts)
FAMILIES: dict[str, str] = {
    "aliases": "the aliases proper (slang, other names, misheard names)",
    "rewrites": "word rewrites (split / joined words, speech-to-text slips)",
    "abbreviations": "abbreviations (db, kb, ohp, rdl ...)",
    "defaults": "a movement's default variant (squat = barbell squat)",
    "implied": "words left unsaid because they are the default (barbell, standing)",
    "endings": "word endings",
}
_SPLITS = ("dev", "held-out (generated)", "held-out (hand-written)")


def entry_counts(data: AliasData) -> dict[str, int]:
    """Hand-written entries per family (an alias family counts its phrases, not its exercises)."""
    return {
        "aliases": sum(len(v) for v in data.aliases.values()),
        "rewrites": len(data.rewrites),
        "abbreviations": len(data.abbreviations),
        "defaults": sum(len(v) for v in data.defaults.values()),
        "implied": len(data.implied),
        "endings": len(data.endings),
    }


def matcher_without(families: tuple[str, ...], data: AliasData | None = None) -> ExerciseMatcher:
    """A matcher whose alias data lacks these families."""
    data = data or load_alias_data()
    empty: dict[str, Any] = {f: ([] if f == "implied" else {}) for f in families}
    reduced = msgspec.structs.replace(data, **empty)
    catalog = load_catalog()
    normalizer = Normalizer(reduced.rules)
    return ExerciseMatcher(catalog, AliasTable(reduced, catalog, normalizer), normalizer, reduced.implied)


def alias_ablation(full: dict[str, Any] | None = None) -> dict[str, Any]:
    """`full`: evaluate_splits' report for the whole data (the reference row), if already computed."""
    data = load_alias_data()
    baseline = Baseline()
    sessions = {name: load_dev(SPLITS[name][0]) for name in _SPLITS if SPLITS[name][0].exists()}

    def score(parser: Parser) -> dict[str, dict[str, float | None]]:
        out = {}
        for name, s in sessions.items():
            r = score_split(parser, baseline, s)
            out[name] = {"full_turn": r["full_turn"], "exercise_top1": r["exercise_top1"]}
        return out

    reference = (
        {n: {"full_turn": full[n]["full_turn"], "exercise_top1": full[n]["exercise_top1"]} for n in sessions}
        if full is not None and all(n in full for n in sessions)
        else score(Parser(ExerciseMatcher.from_fixtures()))
    )
    rows = {"all data": {"entries": sum(entry_counts(data).values()), "splits": reference}}
    counts = entry_counts(data)
    for family in FAMILIES:
        reduced = Parser(matcher_without((family,), data))
        rows[f"without {family}"] = {"entries": counts[family], "splits": score(reduced)}
    return {"families": FAMILIES, "entries": counts, "rows": rows}


def ablation_markdown(ablation: dict[str, Any]) -> list[str]:
    names = [n for n in _SPLITS if n in ablation["rows"]["all data"]["splits"]]
    lines = [
        "## Alias ablation: each family of hand-written data removed in turn",
        "",
        "Full turn % (exercise top-1 %) with the family removed; entries = how many the family holds.",
        "",
        "| data | entries | " + " | ".join(names) + " |",
        "| --- | --- |" + " --- |" * len(names),
    ]
    for label, row in ablation["rows"].items():
        cells = [f"{row['splits'][n]['full_turn']} ({row['splits'][n]['exercise_top1']})" for n in names]
        lines.append(f"| {label} | {row['entries']} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def main() -> None:
    from benchmarks.common import dev_args, write_report

    args = dev_args(__doc__.splitlines()[0])
    report = alias_ablation()
    markdown = "\n".join(["# Alias ablation", "", *ablation_markdown(report)])
    write_report(args.out, "ablation", report, markdown)
    print("\n".join(ablation_markdown(report)))


if __name__ == "__main__":
    main()
