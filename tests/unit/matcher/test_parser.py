"""The Parser API: parse, the two-step read/resolve, the trace, and the ParsedSet it returns."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
import pytest

from matcher.index import SearchHit
from matcher.parser import CONFIDENCE_THRESHOLD, Parser, Reading
from matcher.resolver import ExerciseMatch, ExerciseMatcher
from models.parsed import ParsedSet


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


def test_threshold_is_a_probability() -> None:
    assert 0.0 < CONFIDENCE_THRESHOLD < 1.0


def test_parse_returns_the_contract_parsed_set(parser: Parser) -> None:
    r = parser.parse("uh okay so I just did incline dumbbell press, 9 reps with the 55s at rpe 8", unit="lb")
    p = r.parsed
    assert p.intent == "log_set"
    assert p.exercise is not None and p.exercise.id == "Incline_Dumbbell_Press"
    assert (p.sets, p.reps, p.weight, p.unit, p.rpe, p.duration_s) == (1, 9, 55, "lb", 8, None)
    assert p.confidence >= CONFIDENCE_THRESHOLD
    assert all(a.id != p.exercise.id for a in p.alternatives)
    # Round-trips through the wire format with exactly the contract's keys.
    wire = msgspec.json.decode(msgspec.json.encode(p))
    assert list(wire) == [
        "intent",
        "exercise",
        "alternatives",
        "sets",
        "reps",
        "weight",
        "unit",
        "rpe",
        "duration_s",
        "confidence",
    ]


def test_trace_explains_the_parse(parser: Parser) -> None:
    r = parser.parse("Alright, Romanian deadlift 3 sets of 8 at 185, that was tough", unit="lb")
    t = r.trace
    assert t.normalized and "alright" not in t.normalized and "tough" not in t.normalized
    assert t.exercise_phrase == "romanian deadlift"
    assert "sets_of_reps" in t.rule
    assert set(t.fields) == {"exercise", "sets", "reps", "weight"}
    assert t.candidates and t.candidates[0].id == r.parsed.exercise.id  # type: ignore[union-attr]
    assert set(t.stages_ms) == {"normalize", "parse", "match"}
    assert all(v >= 0 for v in t.stages_ms.values())


def test_two_step_form_matches_one_step(parser: Parser) -> None:
    text = "pendlay rows 205 for 5, 5 sets"
    reading = parser.read(text, unit="kg")
    assert isinstance(reading, Reading)
    assert reading.exercise_phrase == "pendlay rows"
    two = parser.resolve(reading, recent=())
    one = parser.parse(text, unit="kg")
    assert two.parsed == one.parsed
    assert (one.parsed.weight, one.parsed.unit, one.parsed.sets, one.parsed.reps) == (205, "kg", 5, 5)


class Recording:
    """The real matcher, remembering what the parser asked it (the parser is under test, not the matcher)."""

    def __init__(self, inner: ExerciseMatcher) -> None:
        self.inner = inner
        self.calls: list[tuple[str, tuple[str, ...], object]] = []

    def match(self, phrase: str, recent: Sequence[str] = (), hits: object = None) -> ExerciseMatch:
        self.calls.append((phrase, tuple(recent), hits))
        return self.inner.match(phrase, recent=recent, hits=hits)  # type: ignore[arg-type]


def test_resolve_hands_hits_and_recent_to_the_matcher(parser: Parser) -> None:
    rec = Recording(parser._matcher)  # type: ignore[arg-type]
    p2 = Parser(rec)
    hits = [SearchHit(id="Landmine_Linear_Jammer", score=1.0)]
    reading = p2.read("jammer press 100 for 5", unit="lb")
    r = p2.resolve(reading, recent=("Barbell_Squat",), hits=hits)
    assert rec.calls[0] == ("jammer press", ("Barbell_Squat",), hits)
    direct = parser._matcher.match("jammer press", recent=("Barbell_Squat",), hits=hits)  # type: ignore[attr-defined]
    assert r.trace.candidates == direct.candidates


def test_no_phrase_no_match_call(parser: Parser) -> None:
    rec = Recording(parser._matcher)  # type: ignore[arg-type]
    Parser(rec).parse("225 for 5", unit="lb")
    assert rec.calls == []


def test_previous_output_feeds_the_next_turn(parser: Parser) -> None:
    first = parser.parse("leg press 4 plates for 12", unit="lb").parsed
    assert (first.weight, first.unit, first.reps) == (405, "lb", 12)
    second = parser.parse("add a plate, 10 reps", unit="lb", previous=first).parsed
    assert second.exercise == first.exercise
    assert second.reps == 10
    third = parser.parse("same again", unit="lb", previous=second).parsed
    assert (third.exercise, third.reps, third.weight) == (second.exercise, second.reps, second.weight)


def test_unresolvable_phrase_gives_no_exercise_and_low_confidence(parser: Parser) -> None:
    p = parser.parse("qwxz vbnm 100 for 5", unit="lb").parsed
    assert p.intent == "log_set"
    assert (p.weight, p.reps) == (100, 5)
    assert p.confidence < CONFIDENCE_THRESHOLD


def test_bad_input_never_raises(parser: Parser) -> None:
    for text in [
        "",
        "   ",
        "!!!",
        "for for for",
        "x x x",
        "1 2 3 4 5 6 7 8 9",
        "rpe rpe 99",
        "a" * 500,
        "9" * 40,
        "one hundred thousand million",
        "sets of",
        "0x0",
        "-5 for -3",
        "½ plate",
    ]:
        r = parser.parse(text, unit="lb")
        assert isinstance(r.parsed, ParsedSet)
        assert r.parsed.rpe is None or 1 <= r.parsed.rpe <= 10
        assert 0.0 <= r.parsed.confidence <= 1.0


def test_at_n_reads_by_the_exercise(parser: Parser) -> None:
    body = parser.parse("fourteen push ups at eight", unit="lb")
    assert (body.parsed.reps, body.parsed.weight, body.parsed.rpe) == (14, None, 8)
    loaded = parser.parse("leg curl 12 reps at 8", unit="lb")
    assert (loaded.parsed.reps, loaded.parsed.weight, loaded.parsed.rpe) == (12, 8, None)
    sure = parser.parse("leg curl 12 reps at 80", unit="lb")
    assert loaded.parsed.confidence < sure.parsed.confidence  # "at 8" could have been an RPE


def test_resolve_leaves_the_reading_as_it_was(parser: Parser) -> None:
    reading = parser.read("fourteen push ups at eight, 225", unit="lb")
    before = msgspec.json.encode(reading)
    first = parser.resolve(reading)
    assert msgspec.json.encode(reading) == before
    again = parser.resolve(reading)
    assert again.parsed == first.parsed
    assert again.trace.notes == first.trace.notes
