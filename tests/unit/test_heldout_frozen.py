"""The held-out material of issue 13 is frozen: its files are exactly what their sources produce, so a change
to a template, a word list or a hand-written turn shows up as a diff here, never silently."""

from __future__ import annotations

import json

from benchmarks.heldout_gen import DATA, SPLITS, generate
from benchmarks.heldout_hand import TARGET, build, render


def test_generated_splits_are_what_the_generator_writes() -> None:
    for split in SPLITS:
        stored = (DATA / f"{split}.jsonl").read_text()
        assert stored == "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in generate(split)), split


def test_hand_written_turns_are_what_the_text_file_says() -> None:
    assert TARGET.read_text() == render(build())


def test_splits_share_no_sentence() -> None:
    texts = {
        split: {
            t["text"]
            for line in (DATA / f"{split}.jsonl").read_text().splitlines()
            for t in json.loads(line)["turns"]
        }
        for split in SPLITS
    }
    hand = {t["text"] for s in build() for t in s["turns"]}
    assert not texts["heldout"] & texts["train"]
    assert not hand & texts["train"]
