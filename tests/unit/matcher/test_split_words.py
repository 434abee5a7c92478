from __future__ import annotations

import pytest

from matcher.resolver import ExerciseMatcher
from matcher.split_words import rejoin_split_words


@pytest.fixture(scope="module")
def matcher() -> ExerciseMatcher:
    return ExerciseMatcher.from_fixtures()


def _rejoin(m: ExerciseMatcher, *tokens: str) -> tuple[str, ...]:
    return rejoin_split_words(tokens, m._fuzzy.known, m._phonetic.sound_alikes)


def test_a_split_sound_alike_is_joined_back(matcher: ExerciseMatcher) -> None:
    assert _rejoin(matcher, "pel", "off", "press") == ("pallof", "press")
    assert _rejoin(matcher, "zot", "man", "curl") == ("zottman", "curl")


def test_a_split_catalog_word_is_joined_back(matcher: ExerciseMatcher) -> None:
    assert _rejoin(matcher, "zott", "man", "curl") == ("zottman", "curl")


def test_two_known_words_are_a_phrase_not_a_split(matcher: ExerciseMatcher) -> None:
    assert _rejoin(matcher, "bent", "over", "row") == ("bent", "over", "row")
    assert _rejoin(matcher, "cable", "row") == ("cable", "row")


def test_nothing_close_leaves_the_words_alone(matcher: ExerciseMatcher) -> None:
    assert _rejoin(matcher, "event", "works") == ("event", "works")
    assert _rejoin(matcher, "135", "pounds") == ("135", "pounds")


def test_the_matcher_reads_a_split_name(matcher: ExerciseMatcher) -> None:
    hit = matcher.match("pel off press")
    assert hit.exercise is not None and hit.exercise.id == "Pallof_Press"
    assert hit.score >= 0.9


def test_an_unknown_word_sounding_like_an_alias_reads_as_it_less_surely(matcher: ExerciseMatcher) -> None:
    heard = matcher.match("zoom")  # whisper's "zoom" for "sumo"
    assert heard.exercise is not None and heard.exercise.id == "Sumo_Deadlift"
    said = matcher.match("sumo")
    assert said.exercise is not None and said.exercise.id == "Sumo_Deadlift"
    assert 0.6 <= heard.score < said.score


def test_known_words_are_never_swapped_for_sound_alikes(matcher: ExerciseMatcher) -> None:
    # every word is a catalog word, so nothing is "heard as" another: the spelling evidence decides
    hit = matcher.match("squat")
    assert hit.exercise is not None and "Sumo" not in hit.exercise.id


def test_two_equally_close_sound_alikes_leave_the_words_as_said() -> None:
    alikes = {"chiup": {"ship": 0.8, "chop": 0.8}}
    known = {"ship", "chop", "up"}.__contains__
    rejoined = rejoin_split_words(("chi", "up"), known, lambda w: alikes.get(w, {}))
    assert rejoined == ("chi", "up")
    # in either order
    alikes = {"chiup": {"chop": 0.8, "ship": 0.8}}
    assert rejoin_split_words(("chi", "up"), known, lambda w: alikes.get(w, {})) == ("chi", "up")


_PARSE_IN_A_FRESH_PROCESS = """
import json, sys
from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher
parser = Parser(ExerciseMatcher.from_fixtures())
out = []
for text in sys.argv[1:]:
    p = parser.parse(text, unit="lb").parsed
    out.append([p.exercise.id if p.exercise else None, p.reps, p.confidence])
print(json.dumps(out))
"""


def test_the_same_words_parse_the_same_in_every_server_process() -> None:
    """Sets iterate in a per-process hash order; a tie broken by that order read "chi-ups" as a wood
    chop in one process and a chin-up in another."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    texts = [
        "so 3 chi-ups, nice and smooth",
        "okay so 39 sti-ups, nice and smooth",
        "pel off press 40 for 11",
    ]
    root = Path(__file__).resolve().parents[3]
    answers = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", _PARSE_IN_A_FRESH_PROCESS, *texts],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        answers.add(run.stdout.strip())
    assert len(answers) == 1, answers
