"""Reading a set: text → ParsedSet, with a trace of why.

`Parser.read` runs everything that needs no exercise matching (normalize, intent, grammar) and
`Parser.resolve` matches the exercise phrase, applies the previous set and scores confidence, so a
server with an async search backend can fetch `hits` for `reading.exercise_phrase` in between.
`Parser.parse` is the two in one call.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, cast

import msgspec

from matcher.confidence import EXERCISE_UNSURE, exercise_certainty, grammar_certainty
from matcher.context import Fields, combine
from matcher.coverage import NameCoverage
from matcher.grammar import Slots, read_slots
from matcher.hearing import MISHEARD, beside_numbers, unheard_load
from matcher.intents import mark_self_corrections, split_intent
from matcher.normalize import LIMB_WORDS, clean, tokenize
from matcher.own_aliases import OwnAliasLookup, own_match
from matcher.plausibility import at_on_bodyweight, count_on_bodyweight, implausible_load, plausible_roles
from matcher.spans import SpanChooser
from matcher.split_numbers import JOINED
from models.parsed import Alternative, ExerciseRef, Intent, ParsedSet, ParseResult, ParseTrace, Unit

__all__ = ["CONFIDENCE_THRESHOLD", "LOST_LOAD_NOTE", "UNHEARD_LOAD_NOTE", "Parser", "Reading"]

# Below this the result is "not sure": the server asks the LLM or the lifter.
CONFIDENCE_THRESHOLD = 0.6
LOST_LOAD_NOTE = "a unit was said with no load: the load was not heard"
UNHEARD_LOAD_NOTE = "the load was not heard"
# A phrase whose best match scores below this names no exercise (it is chatter or leftover words).
_MATCH_FLOOR = EXERCISE_UNSURE
# Confidence lost per share of the phrase's words the chosen exercise does not explain.
_UNEXPLAINED_COST = 0.5
# "the lat thing", "that curl one": the lifter did not say which exercise, so a match is only a guess.
_VAGUE = frozenset(
    {
        "thing",
        "things",
        "one",
        "ones",
        "stuff",
        "whatever",
        "something",
        "exercise",
        "movement",
        "whatchamacallit",
        "thingy",
    }
)
# How alike (0..1) a phrase must be to a custom exercise's name or alias to name it when not word for word.
_CUSTOM_NEAR = 0.85
# In "same again"-style turns a phrase must match at least this well to name a new exercise.
_FOLLOW_UP_NAME_FLOOR = 0.6
# An utterance with no numbers and no follow-up words is a set only if its name matches this well.
_BARE_NAME_FLOOR = 0.8
_EQUIPMENT_WORDS = frozenset(
    {
        "barbell",
        "bb",
        "dumbbell",
        "dumbbells",
        "db",
        "dbs",
        "kettlebell",
        "kettlebells",
        "kb",
        "cable",
        "machine",
        "smith",
        "band",
        "banded",
        "ez",
        "bar",
        "trap",
        "hex",
        "landmine",
        "plate",
        "sled",
        "rope",
    }
)
# A lone verb that names a lift in gym speech: "pressed 135" is the overhead press, "pulled 495" a deadlift.
_LONE_LIFT = {"press": "overhead press", "pull": "deadlift"}
_SOFT_GUESSES = (
    "repeated reps",
    "lone lift verb",
    "bodyweight count",
    "four as for",
    "to as two",
    "two as to",
    "that as at",
    "my as by",
    "count homophone",
    "self-correction",
    JOINED,
)


class _Match(Protocol):
    @property
    def exercise(self) -> ExerciseRef | None: ...
    @property
    def score(self) -> float: ...
    @property
    def alternatives(self) -> list[Alternative]: ...
    @property
    def candidates(self) -> list[Alternative]: ...


class _Matcher(Protocol):
    def match(self, phrase: str, recent: Sequence[str] = (), hits: Any = None) -> _Match: ...


class Reading(msgspec.Struct, kw_only=True):
    """The grammar's reading of one utterance, before the exercise is matched."""

    text: str
    normalized: str
    unit: str
    previous: ParsedSet | None = None
    intent: str = ""  # "undo", "correction", or "" (log_set / unknown, decided in resolve)
    slots: Slots = msgspec.field(default_factory=Slots)
    exercise_phrase: str | None = None
    stages_ms: dict[str, float] = msgspec.field(default_factory=dict)


def _is_vague(phrase: str) -> bool:
    words = phrase.split()
    return any(
        w in _VAGUE and not (w == "one" and k + 1 < len(words) and words[k + 1] in LIMB_WORDS)
        for k, w in enumerate(words)
    )


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000.0, 4)


class Parser:
    def __init__(self, matcher: _Matcher) -> None:
        self._matcher = matcher
        self._coverage = NameCoverage.from_matcher(matcher)
        self._spans = SpanChooser.from_coverage(self._coverage) if self._coverage is not None else None
        normalize = getattr(matcher, "normalize", None)
        self._own = OwnAliasLookup(normalize if normalize is not None else lambda p: tuple(p.split()))

    def parse(
        self,
        text: str,
        unit: str = "lb",
        previous: ParsedSet | None = None,
        recent: Sequence[str] = (),
        own: Mapping[str, str] | None = None,
        spoken: bool = False,
        own_names: Mapping[str, str] | None = None,
    ) -> ParseResult:
        reading = self.read(text, unit=unit, previous=previous)
        return self.resolve(reading, recent=recent, own=own, spoken=spoken, own_names=own_names)

    def read(self, text: str, unit: str = "lb", previous: ParsedSet | None = None) -> Reading:
        t0 = time.perf_counter()
        cleaned = clean(text)
        split = split_intent(cleaned)
        normalized = mark_self_corrections(split.rest)
        tokens = tokenize(normalized)
        t1 = time.perf_counter()
        slots = read_slots(normalized, tokens) if split.intent != "undo" else Slots()
        if self._spans is not None and slots.runs:
            self._choose_span(slots)
        if slots.phrase in _LONE_LIFT:
            slots.guesses.append(f"lone lift verb: {slots.phrase} read as {_LONE_LIFT[slots.phrase]}")
            slots.phrase = _LONE_LIFT[slots.phrase]
        return Reading(
            text=text,
            normalized=normalized if split.intent != "undo" else cleaned,
            unit=unit,
            previous=previous,
            intent=split.intent,
            slots=slots,
            exercise_phrase=slots.phrase,
            stages_ms={"normalize": round((t1 - t0) * 1000.0, 4), "parse": _ms(t1)},
        )

    def resolve(
        self,
        reading: Reading,
        recent: Sequence[str] = (),
        hits: Any = None,
        own: Mapping[str, str] | None = None,
        spoken: bool = False,
        own_names: Mapping[str, str] | None = None,
    ) -> ParseResult:
        """`own`: the lifter's own aliases (phrase -> exercise id, learned from their corrections, and the
        names and aliases of their custom exercises); `own_names`: those custom exercises' names by id.
        `spoken`: the text is a transcript. Words no name knows around a typed set are talk; in a
        transcript they are as often a misheard number or name ("hack squat two seven default ten,
        no weld"), so there they cost what any unexplained word costs."""
        trace = ParseTrace(
            normalized=reading.normalized,
            exercise_phrase=reading.exercise_phrase,
            stages_ms=dict(reading.stages_ms),
        )
        t0 = time.perf_counter()
        if reading.intent == "undo":
            trace.rule = "undo"
            trace.stages_ms["match"] = 0.0
            return ParseResult(parsed=ParsedSet(intent="undo", confidence=0.95), trace=trace)
        # resolve() must not change the reading: a server may resolve it again (e.g. with other hits).
        r = reading.slots
        s = msgspec.structs.replace(
            r, bare=list(r.bare), rules=list(r.rules), guesses=list(r.guesses), leftover=list(r.leftover)
        )
        previous = reading.previous
        correcting = reading.intent == "correction"
        own_hit = self._own.find((reading.exercise_phrase, r.name_run), own) if own else None
        match = self._match(reading, recent, hits)
        catalog = getattr(self._matcher, "catalog", None)
        mine = (
            own_match(own_hit, match, catalog, own_names)
            if own_hit is not None and catalog is not None
            else None
        )
        if mine is None and own and own_names and catalog is not None:
            # a custom exercise, said a little off: the closest of its phrases, if closer than the catalog
            near = self._own.near((reading.exercise_phrase, r.name_run), own, own_names, _CUSTOM_NEAR)
            if near is not None and (match is None or match.exercise is None or match.score < near[2]):
                own_hit = (near[0], near[1])
                mine = own_match(own_hit, match, catalog, own_names, score=round(near[2], 4))
        named_by_own = own_hit is not None and mine is not None
        if own_hit is not None and mine is not None:
            match = mine
            s.guesses = [g for g in s.guesses if not g.startswith("cut from the name")]
            trace.notes.append(f"your own name for {mine.exercise.name}: {own_hit[0]!r}")
        trace.stages_ms["match"] = _ms(t0)
        if match is not None:
            trace.candidates = list(match.candidates)
        names_exercise = match is not None and match.exercise is not None and match.score >= _MATCH_FLOOR
        follow_up = s.same_again or s.same_weight or s.delta is not None
        if (
            names_exercise
            and follow_up
            and previous is not None
            and match is not None
            and match.score < _FOLLOW_UP_NAME_FLOOR
        ):
            names_exercise = False  # stray words in "same again, please man": not a new exercise
        leftover = list(s.leftover)
        commentary = list(s.commentary)
        if spoken and commentary:
            leftover += commentary
            commentary = []
        if s.phrase and not names_exercise:
            leftover.append(s.phrase)
        said_numbers = any(
            v is not None for v in (s.sets, s.reps, s.weight, s.rpe, s.duration_s, s.delta)
        ) or bool(s.bare)
        # With no numbers at all, only a name that matches strongly makes this a set ("bench press?");
        # "my elbow is sore" half-matching some stretch is still chatter.
        bare_name = names_exercise and match is not None and match.score >= _BARE_NAME_FLOOR
        if not reading.intent and not said_numbers and not follow_up and not bare_name:
            trace.rule = "chatter"
            trace.notes = [f"unexplained: {w}" for w in leftover]
            confidence = 0.9 if not s.phrase else 0.7
            return ParseResult(parsed=ParsedSet(intent="unknown", confidence=confidence), trace=trace)
        if names_exercise and match is not None and match.exercise is not None:
            equipment = self._equipment(match.exercise.id)
            at_on_bodyweight(s, equipment)
            count_on_bodyweight(s, equipment)
        elif (
            not correcting
            and previous is not None
            and previous.exercise is not None
            and previous.weight is None
            and previous.reps is not None
        ):
            count_on_bodyweight(s, self._equipment(previous.exercise.id))  # "push-ups thirty" ... "forty"
        f = combine(
            s,
            previous=previous,
            default_unit=reading.unit,
            names_exercise=names_exercise,
            correcting=correcting,
        )
        exercise, alternatives, ex_cert = self._exercise(match if names_exercise else None, previous)
        implausible = None
        if exercise is not None and not correcting:
            equipment = self._equipment(exercise.id)
            f = plausible_roles(f, equipment, reading.normalized)
            implausible = implausible_load(f, equipment, self._equipment(exercise.id, "mechanic"))
            if implausible:
                trace.notes.append(implausible)
        if (
            names_exercise
            and exercise is not None
            and self._coverage is not None
            and s.phrase
            and not own_hit
        ):
            # Words cut from the name's own run are not talk around it: if the pick explains none of
            # them ("seaked cabye tow" -> "seaked"), the cut was a guess.
            missing = self._coverage.unexplained(s.name_run or s.phrase, exercise.id)
            if missing:
                ex_cert *= 1.0 - _UNEXPLAINED_COST * missing
                trace.notes.append(f"{missing:.0%} of the name's words are not in {exercise.name}")
        intent: Intent = "correction" if correcting else "log_set"
        parsed = ParsedSet(
            intent=intent,
            exercise=exercise,
            alternatives=alternatives,
            sets=f.sets,
            reps=f.reps,
            weight=f.weight,
            unit=cast("Unit | None", f.unit),
            rpe=f.rpe,
            duration_s=f.duration_s,
        )
        lost_load = s.lone_unit and not correcting and f.weight is None
        if lost_load:
            trace.notes.append(LOST_LOAD_NOTE)
        elif spoken and names_exercise and exercise is not None and f.weight is None and not correcting:
            unheard = self._unheard_load(s.name_run or s.phrase or "", exercise.id)
            if unheard:
                lost_load = True
                trace.notes.append(f"{UNHEARD_LOAD_NOTE}: {' '.join(unheard)!r} stands where it was said")
        misheard = beside_numbers(reading.normalized, leftover) if spoken else []
        if misheard:
            trace.notes.append(f"{MISHEARD}: {' '.join(misheard)}")
        hard = [g for g in f.guesses if not g.startswith(_SOFT_GUESSES)]
        soft = [g for g in f.guesses if g.startswith(_SOFT_GUESSES)]
        gc = grammar_certainty(
            guesses=len(hard) + (1 if (follow_up or correcting) and previous is None else 0),
            soft_guesses=len(soft),
            leftover=len(leftover),
            commentary=len(commentary),
            has_count=f.reps is not None or f.duration_s is not None,
            logging=not correcting,
            unmatched_name=(bool(s.phrase) and not names_exercise and not follow_up)
            # a vague word in the lifter's own name for the exercise ("gorilla row thing") is part of it
            or (
                names_exercise
                and _is_vague(" ".join(["" if named_by_own else s.phrase or "", *s.commentary, *s.leftover]))
            ),
            lost_load=lost_load,
            implausible=implausible is not None,
            misheard=bool(misheard),
        )
        parsed.confidence = round(gc * ex_cert, 3)
        trace.rule = self._rule_name(s, reading.intent, f, names_exercise)
        trace.fields = self._fields(f, parsed, previous, correcting, names_exercise)
        trace.notes = (
            f.guesses
            + [f"unexplained: {w}" for w in leftover]
            + ([f"commentary: {' '.join(commentary)}"] if commentary else [])
            + trace.notes
        )
        return ParseResult(parsed=parsed, trace=trace)

    def _choose_span(self, slots: Slots) -> None:
        """The exercise is the span the catalog explains best; the words around it are commentary."""
        assert self._spans is not None
        choice = self._spans.choose(slots.runs, slots.phrase, self._span_score, slots.edges, slots.pauses)
        if choice.leftover is None or choice.commentary is None:
            return  # no span located: the grammar's reading stands
        slots.leftover = choice.leftover
        slots.commentary = choice.commentary
        slots.name_run = choice.run
        if choice.cut:
            # "fzdnt squat": a word no name knows, in the name's own run, is more likely a misheard
            # part of the name than talk; reading just "squat" is a guess.
            slots.guesses.append(f"cut from the name: {' '.join(choice.cut)}")
        if choice.phrase != slots.phrase:
            slots.phrase = choice.phrase
            slots.rules.append("span:" + choice.how.replace(" ", "_"))

    def _span_score(self, phrase: str) -> tuple[float, float]:
        m = self._matcher.match(phrase)
        if m.exercise is None:
            return 0.0, 1.0
        missing = self._coverage.unexplained(phrase, m.exercise.id) if self._coverage is not None else 0.0
        return m.score, missing

    def _equipment(self, exercise_id: str, field: str = "equipment") -> str | None:
        """The catalog's `field` (equipment, mechanic) for the exercise, None without a catalog."""
        catalog = getattr(self._matcher, "catalog", None)
        ex = catalog.get(exercise_id) if catalog is not None else None
        return getattr(ex, field, None) if ex is not None else None

    def _match(self, reading: Reading, recent: Sequence[str], hits: Any) -> _Match | None:
        phrase = reading.exercise_phrase
        if not phrase:
            return None
        m = self._matcher.match(phrase, recent=recent, hits=hits)
        implement = reading.slots.equipment
        if implement and not _EQUIPMENT_WORDS.intersection(phrase.split()):
            # "shoulder press with sixty pound dumbbells": the load says which shoulder press.
            hinted = self._matcher.match(f"{implement} {phrase}", recent=recent, hits=None)
            if hinted.exercise is not None and hinted.score >= max(0.8, m.score - 0.05):
                m = hinted
        prev = reading.previous
        # "no, incline": a modifier of the previous exercise rather than a whole name.
        if (
            reading.intent == "correction"
            and prev is not None
            and prev.exercise is not None
            and m.score < 0.8
        ):
            m2 = self._matcher.match(f"{phrase} {prev.exercise.name}", recent=recent, hits=None)
            if m2.score > m.score:
                return m2
        return m

    @staticmethod
    def _exercise(
        match: _Match | None, previous: ParsedSet | None
    ) -> tuple[ExerciseRef | None, list[Alternative], float]:
        if match is not None:
            runner_up = match.alternatives[0].score if match.alternatives else 0.0
            return match.exercise, list(match.alternatives), exercise_certainty(match.score, runner_up)
        if previous is not None and previous.exercise is not None:
            # As sure of the exercise as the turn that named it was (and never more).
            return previous.exercise, list(previous.alternatives), max(0.05, min(1.0, previous.confidence))
        return None, [], 0.25

    def _unheard_load(self, phrase: str, exercise_id: str) -> list[str]:
        coverage = self._coverage
        if coverage is None:
            return []
        return unheard_load(phrase, lambda word: coverage.unexplained(word, exercise_id) == 0.0)

    @staticmethod
    def _rule_name(s: Slots, intent: str, f: Fields, names_exercise: bool) -> str:
        head = intent or ("continue" if f.carried else "log")
        if s.same_again and not s.rules:
            head += ":same_again"
        return head + ":" + "+".join(s.rules) if s.rules else head

    @staticmethod
    def _fields(
        f: Fields, parsed: ParsedSet, previous: ParsedSet | None, correcting: bool, names_exercise: bool
    ) -> list[str]:
        if correcting and previous is not None:
            changed = [
                name
                for name in ("sets", "reps", "weight", "unit", "rpe", "duration_s")
                if getattr(parsed, name) != getattr(previous, name)
            ]
            if parsed.exercise != previous.exercise:
                changed.insert(0, "exercise")
            return changed
        return (["exercise"] if names_exercise else []) + f.stated
