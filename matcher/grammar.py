"""The set grammar: which number is the weight, which the reps, the sets, the RPE, the hold time.

Each token becomes one symbol (N number, U unit, R "reps", S "sets", f "for", a "at", ...), so the
rules are regular expressions over a short symbol string, precompiled once. Rules run in priority
order; a token a rule used is blanked out ("_") so no later rule reads it again. What no rule used
and is a word is where the exercise phrase comes from.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import msgspec

from matcher.normalize import PER_HAND, Token
from matcher.self_corrections import self_corrections, symbol
from matcher.units import PLATE_LB, UNIT_WORDS, plates_to_lb
from matcher.vocabulary import STOP_WORDS, SYMBOLS

__all__ = ["Slots", "read_slots"]


class Slots(msgspec.Struct, kw_only=True):
    """What the grammar read from one utterance; None means "not said"."""

    sets: int | None = None
    reps: int | None = None
    weight: float | None = None
    unit: str | None = None
    rpe: float | None = None
    duration_s: int | None = None
    delta: float | None = None  # "add ten pounds": a change to the previous weight
    delta_unit: str | None = None
    plus: bool = False  # "plus forty five": added load, or a change when continuing a set
    same_again: bool = False  # "same again", "another set": repeat the previous set
    same_weight: bool = False  # "same weight for eight"
    per_hand: bool = False
    weight_from_at: bool = False  # "at 8" with nothing else saying it is a load (could be an RPE)
    equipment: str | None = None  # "sixty pound dumbbells", "the 30s": the load names the implement
    # a unit word with no load ("leg curl forte I'm kilos"): as a correction it changes the unit, in a set
    # it means the load was said but not heard
    lone_unit: bool = False
    bare: list[float] = msgspec.field(default_factory=list)  # numbers no rule could place
    rules: list[str] = msgspec.field(default_factory=list)
    guesses: list[str] = msgspec.field(default_factory=list)
    phrase: str | None = None
    leftover: list[str] = msgspec.field(default_factory=list)  # content words outside the phrase
    # every run of words no rule used, stop words trimmed: where matcher/spans.py looks for the name
    runs: list[list[str]] = msgspec.field(default_factory=list)
    commentary: list[str] = msgspec.field(default_factory=list)  # words no exercise name knows
    pauses: list[list[bool]] = msgspec.field(default_factory=list)  # per run word: a pause comes before it
    name_run: str | None = None  # the run the exercise phrase was cut from (matcher/spans.py)
    # whether the first / last run touches the start / end of the utterance (nothing read before / after)
    edges: tuple[bool, bool] = (False, False)


def _is_rpe(v: float) -> bool:
    return 1.0 <= v <= 10.0 and (v * 2).is_integer()


def _as_int(v: float | None) -> int | None:
    return int(v) if v is not None and float(v).is_integer() else None


class _State:
    __slots__ = ("shape", "slots", "tokens")

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.shape = "".join(symbol(t) for t in tokens)
        self.slots = Slots()

    def nums(self, a: int, b: int) -> list[float]:
        return [t.value for t in self.tokens[a:b] if t.kind == "num" and t.value is not None]

    def unit_in(self, a: int, b: int) -> str | None:
        for t in self.tokens[a:b]:
            if t.kind == "word" and t.text in UNIT_WORDS:
                return UNIT_WORDS[t.text]
        return None

    def set_weight(self, v: float, unit: str | None) -> None:
        self.slots.weight = v
        if unit is not None:
            self.slots.unit = unit


# A handler gets the state and the match; returning False leaves the tokens for later rules.
_Handler = Callable[[_State, "re.Match[str]"], bool]


def _rir(st: _State, m: re.Match[str]) -> bool:
    v = st.nums(m.start(), m.end())[0]
    if not 0 <= v <= 9:
        return False
    st.slots.rpe = 10.0 - v
    return True


def _rpe(st: _State, m: re.Match[str]) -> bool:
    v = st.nums(m.start(), m.end())[-1]
    if not _is_rpe(v):
        return False
    st.slots.rpe = v
    return True


def _rpe_said(st: _State, m: re.Match[str]) -> bool:
    """ "rpe 12": the word says RPE, the number cannot be one; the number is used up, not guessed at."""
    v = st.nums(m.start(), m.end())[-1]
    if _is_rpe(v):
        st.slots.rpe = v
    else:
        st.slots.guesses.append(f"rpe {v:g} is out of range; ignored")
    return True


def _duration(st: _State, m: re.Match[str]) -> bool:
    nums = st.nums(m.start(), m.end())
    unit_word = st.tokens[m.end() - 1].text
    scale = 60 if unit_word.startswith("min") else 1
    if not nums and scale == 1:
        return False  # "hold on a second" is no hold
    if m.group(0)[1:2] in ("x", "X"):  # "3 x 30 seconds": sets of a hold
        sets = _as_int(nums.pop(0))
        if sets is None or not 1 <= sets <= 20:
            return False
        st.slots.sets = sets
    value = nums[0] if nums else 1.0  # "a minute"
    st.slots.duration_s = round(value * scale)
    return True


def _minutes_seconds(st: _State, m: re.Match[str]) -> bool:
    """ "one minute thirty", "a minute and fifteen", "1 min 30 s": minutes and seconds in one hold."""
    toks = [t for t in st.tokens[m.start() : m.end()] if t.text not in ("for", "and")]
    head = toks[0]
    minutes = 1.0 if head.kind == "word" else head.value
    unit_words = [t.text for t in toks if t.kind == "word" and SYMBOLS.get(t.text) == "D"]
    seconds = next(t.value for t in toks if t.kind == "num" and t is not head)
    if minutes is None or seconds is None or not unit_words[0].startswith("min"):
        return False
    if len(unit_words) > 1 and unit_words[1].startswith("min"):
        return False
    if not float(seconds).is_integer() or not 1 <= seconds < 60 or not 0 < minutes <= 60:
        return False
    st.slots.duration_s = round(minutes * 60 + seconds)
    return True


def _distance(st: _State, m: re.Match[str]) -> bool:
    st.slots.guesses.append("a distance was said; a set has no distance field, so it is dropped")
    return True


def _plate_load(st: _State, m: re.Match[str]) -> bool:
    st.set_weight(st.nums(m.start(), m.end())[0], st.unit_in(m.start(), m.end()))
    return True


def _plates(st: _State, m: re.Match[str]) -> bool:
    nums = st.nums(m.start(), m.end())
    count = nums[0] if nums else 1.0
    if not count.is_integer() or not 1 <= count <= 10:
        return False
    st.set_weight(plates_to_lb(int(count)), "lb")
    return True


def _plate_delta(st: _State, m: re.Match[str]) -> bool:
    """ "add a plate", "strip two plates": 45 lb per side each, so 90 lb per plate."""
    nums = st.nums(m.start(), m.end())
    count = nums[0] if nums else 1.0
    if not count.is_integer() or not 1 <= count <= 4:
        return False
    sign = 1.0 if SYMBOLS.get(st.tokens[m.start()].text) == "A" else -1.0
    st.slots.delta = sign * 2 * PLATE_LB * count
    st.slots.delta_unit = "lb"
    return True


_SMALL_PLATES_LB = frozenset({2.5, 5.0, 10.0, 15.0, 25.0, 35.0})


def _plates_and_small(st: _State, m: re.Match[str]) -> bool:
    """ "two plates and a ten": the 45s plus a smaller plate on each side (225 + 2 x 10 = 245)."""
    nums = st.nums(m.start(), m.end())
    small = nums[-1]
    count = nums[0] if len(nums) == 2 else 1.0
    if small not in _SMALL_PLATES_LB or not count.is_integer() or not 1 <= count <= 10:
        return False
    st.set_weight(plates_to_lb(int(count)) + 2 * small, "lb")
    return True


# "10 x 10" is ten sets of ten (a known scheme); more sets than that in one breath is a load: "14 x 8"
_MAX_SETS_SAID = 10


def _sets_reps(st: _State, m: re.Match[str]) -> bool:
    first, second = st.nums(m.start(), m.end())
    sets, reps = _as_int(first), _as_int(second)
    if reps is None:
        return False
    if sets is None or sets > _MAX_SETS_SAID:  # "225 x 5", "14 x 8": nobody logs 14 sets at once
        if st.slots.weight is not None or m.group(0)[1] not in "xX":
            return False
        st.slots.weight, st.slots.reps = first, reps
        return True
    if sets < 1 or ("S" in m.group(0) and reps > 50):  # "3 sets 225 5 reps": 225 is the load
        return False
    if m.group(0)[1] in "xX" and reps > 50 and st.slots.weight is None:
        # "10 times 135": nobody does 135 reps a set under a load, so it is reps x load
        st.slots.reps, st.slots.weight = sets, second
        st.slots.guesses.append("reps x load: the second number is too many reps for a set")
        return True
    st.slots.sets, st.slots.reps = sets, reps
    if "m" in m.group(0):  # "two more sets of eight" continues the last exercise
        st.slots.same_again = True
    return True


def _three_by(st: _State, m: re.Match[str]) -> bool:
    """ "405 x 3 x 2" is weight x reps x sets; "3 x 10 x 135" is sets x reps x weight."""
    a, b, c = st.nums(m.start(), m.end())
    reps = _as_int(b)
    if reps is None:
        return False
    if a > 20 and c <= 20 and _as_int(c) is not None:
        st.slots.weight, st.slots.reps, st.slots.sets = a, reps, _as_int(c)
        return True
    if c > 20 and a <= 20 and _as_int(a) is not None:
        st.slots.sets, st.slots.reps, st.slots.weight = _as_int(a), reps, c
        return True
    return False


def _sets_only(st: _State, m: re.Match[str]) -> bool:
    sets = _as_int(st.nums(m.start(), m.end())[0])
    if sets is None or not 1 <= sets <= 50:
        return False
    st.slots.sets = sets
    return True


def _another_set_of(st: _State, m: re.Match[str]) -> bool:
    nums = st.nums(m.start(), m.end())
    st.slots.sets = 1
    # "another set of eight" repeats the last set; "a set of eight" is only a count.
    st.slots.same_again = not m.group(0).startswith("n")
    if nums:
        reps = _as_int(nums[-1])
        if reps is None:
            return False
        st.slots.reps = reps
    return True


def _more_sets(st: _State, m: re.Match[str]) -> bool:
    sets = _as_int(st.nums(m.start(), m.end())[0])
    if sets is None or not 1 <= sets <= 20:
        return False
    st.slots.sets = sets
    st.slots.same_again = True
    return True


def _same_weight(st: _State, m: re.Match[str]) -> bool:
    st.slots.same_weight = True
    return True


def _same_again(st: _State, m: re.Match[str]) -> bool:
    st.slots.same_again = True
    return True


def _delta(sign: float) -> _Handler:
    def handler(st: _State, m: re.Match[str]) -> bool:
        st.slots.delta = sign * st.nums(m.start(), m.end())[0]
        st.slots.delta_unit = st.unit_in(m.start(), m.end())
        return True

    return handler


def _weight_to(st: _State, m: re.Match[str]) -> bool:
    st.set_weight(st.nums(m.start(), m.end())[0], st.unit_in(m.start(), m.end()))
    st.slots.same_again = True
    return True


def _plus(st: _State, m: re.Match[str]) -> bool:
    st.set_weight(st.nums(m.start(), m.end())[0], st.unit_in(m.start(), m.end()))
    st.slots.plus = True
    return True


def _weight_unit(st: _State, m: re.Match[str]) -> bool:
    k = m.start() + m.group(0).index("N")
    st.set_weight(st.tokens[k].value or 0.0, st.unit_in(m.start(), m.end()))
    if "B" in m.group(0) or st.tokens[k].plural:
        st.slots.per_hand = True
        implement = next((t.text for t in st.tokens[m.start() : m.end()] if SYMBOLS.get(t.text) == "B"), "")
        st.slots.equipment = "kettlebell" if implement.startswith(("kettle", "bell")) else "dumbbell"
    return True


def _per_hand(st: _State, m: re.Match[str]) -> bool:
    k = m.end() - 1
    tok = st.tokens[k]
    if st.slots.weight is not None or (not tok.plural and m.group(0)[0] != "t"):
        return False
    st.set_weight(tok.value or 0.0, None)
    st.slots.per_hand = tok.plural
    if tok.plural:
        st.slots.equipment = "dumbbell"
    return True


def _sets_of_rep_words(st: _State, m: re.Match[str]) -> bool:
    """ "three doubles at 405": sets of doubles; "315 triple" is a load and one triple."""
    count, rep = st.tokens[m.start()], st.tokens[m.end() - 1]
    sets = _as_int(count.value)
    if not rep.text.endswith("s") or sets is None or not 1 <= sets <= 20 or st.slots.sets is not None:
        return False
    st.slots.sets, st.slots.reps = sets, _as_int(rep.value)
    return True


def _reps(st: _State, m: re.Match[str]) -> bool:
    reps = _as_int(st.nums(m.start(), m.end())[0])
    if reps is None:
        return False
    st.slots.reps = reps
    return True


def _weight_for_reps(st: _State, m: re.Match[str]) -> bool:
    w, r = st.nums(m.start(), m.end())
    reps = _as_int(r)
    if reps is None or st.slots.weight is not None:
        return False
    st.slots.weight, st.slots.reps = w, reps
    return True


def _for_reps(st: _State, m: re.Match[str]) -> bool:
    reps = _as_int(st.nums(m.start(), m.end())[0])
    if reps is None or st.slots.reps is not None:
        return False
    st.slots.reps = reps
    return True


def _with_weight(st: _State, m: re.Match[str]) -> bool:
    if st.slots.weight is not None:
        return False
    st.slots.weight = st.nums(m.start(), m.end())[0]
    return True


def _at(st: _State, m: re.Match[str]) -> bool:
    v = st.nums(m.start(), m.end())[0]
    s = st.slots
    weight_known = s.weight is not None or s.same_weight or s.same_again or s.delta is not None
    if s.rpe is None and _is_rpe(v):
        if weight_known:
            s.rpe = v
            return True
        if m.group(0).startswith(",") and (s.reps is not None or s.duration_s is not None):
            s.rpe = v
            s.guesses.append("'at N' after a pause read as RPE")
            return True
    if s.weight is None:
        s.weight = v
        s.weight_from_at = _is_rpe(v) and s.rpe is None
        return True
    return False


def _leading_count(st: _State, m: re.Match[str]) -> bool:
    reps = _as_int(st.nums(m.start(), m.end())[0])
    if reps is None or st.slots.reps is not None or reps > 100:
        return False
    st.slots.reps = reps
    return True


# Priority order matters: units and explicit keywords first, positional guesses last.
_RULES: list[tuple[str, re.Pattern[str], _Handler]] = [
    (name, re.compile(pattern), handler)
    for name, pattern, handler in [
        ("plates_and_small", r"[hat]?[Nn]p&nN(?![RX])", _plates_and_small),
        ("rir", r"[lh]?Nm?R?Z|QN|NQ", _rir),
        ("rpe", r"a?Po?a?N", _rpe_said),
        ("rpe_after", r"NP", _rpe),
        ("rpe_at_a", r"a?nN(?![UDpBR])", _rpe),
        ("minutes_seconds", r"f?[Nn]D&?N(?![xXSRUpBN])D?", _minutes_seconds),
        ("duration", r"(?:N[xX])?f?[Nn]D", _duration),
        ("distance", r"f?NL", _distance),
        ("plate_load", r"h?n?NUp", _plate_load),
        ("plate_delta", r"[AV][Nn]?p", _plate_delta),
        ("plates", r"[hat]?[Nn]p", _plates),
        ("three_by", r"NxNxN", _three_by),
        ("sets_x_reps", r"N[xX]N", _sets_reps),
        ("sets_of_reps", r"Nm?S[o&]?N(?![UDp])", _sets_reps),
        ("sets_only", r"Nm?S", _sets_only),
        ("another_set_of", r"[Mn]So?N(?![UDp])|MS|M", _another_set_of),
        ("more_load", r"NmU|NUm", _delta(1.0)),
        ("heavier", r"NU?H", _delta(1.0)),
        ("lighter", r"NU?K", _delta(-1.0)),
        ("more_sets", r"Nm", _more_sets),
        ("same_weight", r"sW", _same_weight),
        ("same_again", r"sg?|g", _same_again),
        ("weight_to", r"[VAv]TNU?", _weight_to),
        ("add", r"ANU?", _delta(1.0)),
        ("drop", r"VNU?", _delta(-1.0)),
        ("plus", r"\+NU?", _plus),
        ("weight_unit", r"[ht]*NUB?e*", _weight_unit),
        ("per_hand", r"h?tN|N", _per_hand),
        ("sets_of_rep_words", r"Nr", _sets_of_rep_words),
        ("reps", r"N[RX]|r", _reps),
        ("weight_for_reps", r"NfN", _weight_for_reps),
        ("for_reps", r"fN", _for_reps),
        ("with_weight", r"h[tn]?N", _with_weight),
        ("leading_count", r"(?<!a)N(?=[yBv])", _leading_count),  # "at 75 on rows" is a load
        ("at", r",?aN", _at),
    ]
]


def _phrase(text: str, tokens: list[Token], used: list[bool], slots: Slots) -> None:
    # A pause alone does not split a name: speech-to-text writes "incline, dumbbell, row".
    runs: list[list[Token]] = []
    current: list[Token] = []
    first_used = last_used = -1
    after_pause: set[int] = set()
    for k, (t, u) in enumerate(zip(tokens, used, strict=True)):
        if u:
            first_used = k if first_used < 0 else first_used
            last_used = k
        if t.kind == "word" and not u:
            current.append(t)
        elif t.kind == "punct" and not u:
            after_pause.add(k + 1)  # the next word follows a pause
            continue
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    best: list[Token] = []
    best_content = 0.0
    trimmed_runs = []
    for run in runs:
        a, b = 0, len(run)
        while a < b and run[a].text in STOP_WORDS:
            a += 1
        while b > a and run[b - 1].text in STOP_WORDS:
            b -= 1
        run = run[a:b]
        trimmed_runs.append(run)
        # The exercise is the run with the most content words; on a tie the longer one ("hit" vs "squat").
        content = sum(len(t.text) for t in run if t.text not in STOP_WORDS) / 100.0 + sum(
            1 for t in run if t.text not in STOP_WORDS
        )
        if content > best_content:
            best, best_content = run, content
    slots.runs = [[t.text for t in run] for run in trimmed_runs if run]
    starts = {t.start: k for k, t in enumerate(tokens)}
    slots.pauses = [[starts[t.start] in after_pause for t in run] for run in trimmed_runs if run]
    kept = [(raw, run) for raw, run in zip(runs, trimmed_runs, strict=True) if run]
    if kept:
        start, end = kept[0][0][0].start, kept[-1][0][-1].start
        slots.edges = (
            first_used < 0 or start < tokens[first_used].start,
            last_used < 0 or end > tokens[last_used].start,
        )
    for run in trimmed_runs:
        if run is not best:
            slots.leftover.extend(t.text for t in run if t.text not in STOP_WORDS)
    if best:
        slots.phrase = " ".join(t.text for t in best)


def _lone_unit(tokens: list[Token], used: list[bool], slots: Slots) -> None:
    """Keep a unit word that has no load out of the exercise name ("kilos" is no part of a lift)."""
    for k, (t, u) in enumerate(zip(tokens, used, strict=True)):
        if not u and t.kind == "word" and t.text in UNIT_WORDS:
            used[k] = True
            slots.unit = slots.unit or UNIT_WORDS[t.text]
            slots.lone_unit = True


def read_slots(text: str, tokens: list[Token]) -> Slots:
    """Apply the rules to the tokens of `text` (the normalized string the tokens point into)."""
    notes: list[str] = []
    tokens = self_corrections(tokens, notes)
    st = _State(tokens)
    st.slots.guesses.extend(notes)
    shape = st.shape
    for name, pattern, handler in _RULES:
        pos = 0
        while True:
            m = pattern.search(shape, pos)
            if m is None:
                break
            if handler(st, m):
                shape = shape[: m.start()] + "_" * (m.end() - m.start()) + shape[m.end() :]
                if name not in st.slots.rules:
                    st.slots.rules.append(name)
                pos = m.end()
            else:
                pos = m.start() + 1
    used = [c == "_" for c in shape]
    # Numbers no rule placed: fill whichever of weight / reps is still open.
    for k, c in enumerate(shape):
        if c != "N":
            continue
        v = tokens[k].value or 0.0
        s = st.slots
        if s.reps is None and (s.weight is not None or s.delta is not None) and _as_int(v) is not None:
            s.reps = _as_int(v)
            s.rules.append("bare_reps")
        elif s.weight is None and (s.reps is not None or s.duration_s is not None):
            s.weight = v
            s.rules.append("bare_weight")
        else:
            s.bare.append(v)
        used[k] = True
    if (
        st.slots.weight is not None
        and st.slots.equipment is None
        and not st.slots.plus
        and any(t.text == PER_HAND for t in tokens)
    ):
        st.slots.equipment = "dumbbell"  # "row sixty kilos each arm"
        st.slots.per_hand = True
    if st.slots.weight is not None and st.slots.unit is None:
        unit = next(
            (
                UNIT_WORDS[t.text]
                for t, u in zip(tokens, used, strict=True)
                if not u and t.kind == "word" and t.text in UNIT_WORDS
            ),
            None,
        )
        st.slots.unit = unit
    if st.slots.weight is None and st.slots.delta is None:
        _lone_unit(tokens, used, st.slots)
    for t in tokens:
        if t.guess and t.guess != "shorthand hundreds":
            st.slots.guesses.append(t.guess)
    _phrase(text, tokens, used, st.slots)
    return st.slots
