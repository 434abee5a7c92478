"""Which words of an utterance name the exercise: the span that best matches the catalog.

Lifters wrap a set in talk ("hey, log push ups, twenty of them, the pump is crazy"). The grammar leaves
every word no number rule used in runs; the exercise is the span of some run that the catalog explains
best, and the words around it are commentary, kept in the trace and never a reason to refuse.

Matching every span would cost a millisecond each, so the choice is staged, cheapest first:
1. the grammar's own pick (the run with most content words) when the matcher explains all of it;
2. the longest span that is exactly a name or alias (a hash lookup per span);
3. the runs cut at words the catalog vocabulary has never seen (not a name word, nor a sound-alike of
   one), matched in full, at most `_MAX_FUZZY` of them, most name words first.
A leftover word is commentary when it is foreign to that vocabulary; a leftover name word ("side",
"press") may be part of another name, so it still costs the reading some confidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import msgspec
from rapidfuzz import fuzz

from matcher.coverage import NameCoverage
from matcher.phonetic import token_keys
from matcher.vocabulary import FUNCTION_WORDS, STOP_WORDS

__all__ = ["SpanChoice", "SpanChooser"]

_MAX_SPAN = 6  # words: no catalog name is longer once stop words are trimmed
_MAX_FUZZY = 3  # full matcher calls allowed on stage 3 (each ~1 ms uncached)
_BETTER = 0.05  # a span must beat the grammar's pick by this much (or explain more of it)
_LOOKS_ALIKE = 60  # rapidfuzz ratio a sound-alike must also reach to pass for a name word ("fools"/"pulls")


class SpanChoice(msgspec.Struct, kw_only=True):
    phrase: str | None
    how: str  # "grammar", "alias span", "cut at foreign words"
    # name words / foreign words outside the span; None when no span was located (the grammar's stand)
    leftover: list[str] | None = None
    commentary: list[str] | None = None
    cut: list[str] = msgspec.field(default_factory=list)  # foreign words dropped from the name's own run
    run: str | None = None  # the whole run the span was cut from: what the name's coverage is checked on


class _Layout(NamedTuple):
    edges: tuple[bool, bool]
    pauses: list[list[bool]]


MatchScore = Callable[[str], tuple[float, float]]  # phrase -> (match score, share unexplained)


class SpanChooser:
    def __init__(
        self,
        vocabulary: Iterable[str],
        normalize: Callable[[str], tuple[str, ...]],
        is_alias: Callable[[tuple[str, ...]], bool],
    ) -> None:
        self._vocab = frozenset(vocabulary)
        by_key: dict[str, set[str]] = {}
        for w in self._vocab:
            for key in token_keys(w) - {"=" + w}:
                by_key.setdefault(key, set()).add(w)
        self._by_key = by_key
        self._normalize = normalize
        self._is_alias = is_alias

    @classmethod
    def from_coverage(cls, coverage: NameCoverage) -> SpanChooser:
        """The catalog's and the aliases' words, as the coverage check knows them."""
        return cls(coverage.vocabulary(), coverage.normalize, coverage.is_alias)

    def name_word(self, word: str) -> bool:
        """A word the catalog knows, or one that sounds and looks like one ("skill" for "skull"; not
        "soaked" for "squat", which only share a metaphone key)."""
        if word in FUNCTION_WORDS and word not in self._vocab:
            return False
        tokens = self._normalize(word)
        return bool(tokens) and all(t in self._vocab or self._sounds_like_name(t) for t in tokens)

    def _sounds_like_name(self, token: str) -> bool:
        if token in FUNCTION_WORDS:
            return False
        near = (w for key in token_keys(token) - {"=" + token} for w in self._by_key.get(key, ()))
        return any(fuzz.ratio(token, w) >= _LOOKS_ALIKE for w in near)

    def choose(
        self,
        said: Sequence[Sequence[str]],
        grammar_pick: str | None,
        score: MatchScore,
        edges: tuple[bool, bool] = (False, False),
        pauses: Sequence[Sequence[bool]] = (),
    ) -> SpanChoice:
        """`said`: the runs of words no rule used (none empty); `edges`: whether the first / last run
        starts / ends the utterance; `pauses`: per word of each run, whether a pause (a comma, a full
        stop) comes before it (see `_result`)."""
        runs = [list(r) for r in said]
        if len(pauses) != len(runs) or not all(runs):
            pauses = [[False] * len(r) for r in runs]
        at = _Layout(edges, [list(p) for p in pauses])
        if not runs:
            return SpanChoice(phrase=grammar_pick, how="grammar")
        best: tuple[int, int, int] | None = None
        best_score = -1.0
        how = "grammar"
        pick = _locate(runs, grammar_pick)
        if pick is not None:
            s, unexplained = score(grammar_pick or "")
            # Every word explained by what it matched ("upll ups" -> Pullups): the pick stands, however
            # well it scored; a shorter span inside it ("ups") would only throw evidence away.
            if unexplained == 0.0:
                return self._result(at, runs, pick, "grammar")
            best, best_score = pick, s - unexplained
        alias = self._longest_alias(runs, lambda span: self._may_drop(at, runs, span))
        if alias is not None:
            s, unexplained = score(_text(runs, alias))
            if best is not None and _inside(alias, best) and self._all_name_words(runs, best):
                # "single leg press" holds the alias "leg press", and "single" is a name word: a
                # modifier of the name, not talk around it, so the whole pick stands.
                return self._result(at, runs, best, "grammar")
            if s - unexplained > best_score - 1e-9 or (best is not None and _inside(alias, best)):
                return self._result(at, runs, alias, "alias span")
        # whole runs first ("face fools" beside "left side is weaker"), then the cuts inside runs
        whole = [(r, 0, len(run)) for r, run in enumerate(runs) if pick is None or r != pick[0]]
        whole.sort(key=lambda c: -sum(1 for w in runs[c[0]] if w not in STOP_WORDS))
        cuts = [c for c in self._cuts(runs) if c not in whole and self._may_drop(at, runs, c)]
        for cut in (whole + cuts)[:_MAX_FUZZY]:
            if cut == best:
                continue
            s, unexplained = score(_text(runs, cut))
            if s - unexplained > best_score + _BETTER:
                best, best_score, how = cut, s - unexplained, "cut at foreign words"
        if best is None:
            return SpanChoice(phrase=grammar_pick, how="grammar")
        return self._result(at, runs, best, how)

    def _all_name_words(self, runs: list[list[str]], span: tuple[int, int, int]) -> bool:
        r, a, b = span
        return all(w in STOP_WORDS or self.name_word(w) for w in runs[r][a:b])

    def _stretches(self, at: _Layout, run: int, a: int, b: int) -> tuple[list[int], list[int]]:
        """Indices of the words between the span [a, b) and the nearest pause on each side."""
        pause = at.pauses[run]
        left: list[int] = []
        i = a - 1
        while i >= 0 and not pause[i + 1]:
            left.append(i)
            i -= 1
        right: list[int] = []
        j = b
        while j < len(pause) and not pause[j]:
            right.append(j)
            j += 1
        return left, right

    def _may_drop(self, at: _Layout, runs: list[list[str]], span: tuple[int, int, int]) -> bool:
        """A span may leave out words of its own run only across a pause ("barbell curls, shirt is
        soaked") or a stretch of two or more words no name knows ("pec deck new shoes feel great").
        One unknown word right beside it ("upll ups", "fzdnt squat") or a name word ("single leg
        press") is more likely part of the name, so a span without it is no candidate."""
        r, a, b = span
        for side in self._stretches(at, r, a, b):
            content = [runs[r][i] for i in side if runs[r][i] not in STOP_WORDS]
            if content and (len(content) < 2 or any(self.name_word(w) for w in content)):
                return False
        return True

    def _longest_alias(
        self, runs: list[list[str]], allowed: Callable[[tuple[int, int, int]], bool]
    ) -> tuple[int, int, int] | None:
        found: tuple[int, int, int] | None = None
        found_len = 0
        for r, run in enumerate(runs):
            for a in range(len(run)):
                if run[a] in STOP_WORDS:
                    continue
                for b in range(min(len(run), a + _MAX_SPAN), a, -1):
                    if b - a <= found_len:
                        break
                    if run[b - 1] in STOP_WORDS:
                        continue
                    if self._is_alias(self._normalize(" ".join(run[a:b]))) and allowed((r, a, b)):
                        found, found_len = (r, a, b), b - a
                        break
        return found

    def _cuts(self, runs: list[list[str]]) -> list[tuple[int, int, int]]:
        """Maximal stretches of name words in each run, most name words first."""
        out: list[tuple[int, int, int, int]] = []
        for r, run in enumerate(runs):
            a = None
            for k, word in enumerate([*run, ""]):
                known = bool(word) and (word in STOP_WORDS or self.name_word(word))
                if known and a is None:
                    a = k
                elif not known and a is not None:
                    span = _trim(run, a, k)
                    if span is not None:
                        content = sum(1 for w in run[span[0] : span[1]] if w not in STOP_WORDS)
                        out.append((-content, r, *span))
                    a = None
        out.sort()
        return [(r, a, b) for _, r, a, b in out]

    def _result(self, at: _Layout, runs: list[list[str]], span: tuple[int, int, int], how: str) -> SpanChoice:
        """Foreign words are commentary when they are talk around the set: a run of their own before
        anything was read or after everything was ("..., new shoes feel great"). A foreign word in the
        name's own run ("bxnch press", "lying leg curl forte i'm key low 11 reps") is more likely a
        misheard name word or number, so it stays unexplained and costs the reading its certainty;
        so does any name word left out of the span, which may belong to another name."""
        r, a, b = span
        leftover: list[str] = []
        commentary: list[str] = []
        cut: list[str] = []
        aside_in_run: set[tuple[str, int]] = set()
        last = len(runs) - 1
        for k, run in enumerate(runs):
            lead_in = k == 0 and at.edges[0]
            afterthought = k == last and at.edges[1]
            for i, word in enumerate(run):
                if (k == r and a <= i < b) or word in STOP_WORDS:
                    continue
                # in the name's own run, only on its outer side: "butterfly, new shoes feel great"
                outer = k != r or (lead_in and i < a) or (afterthought and i >= b)
                aside = (lead_in or afterthought) and outer
                known = self.name_word(word)
                (commentary if aside and not known else leftover).append(word)
                if k == r and aside and not known:
                    aside_in_run.add((word, i))
                if k == r and not known and not aside:
                    cut.append(word)
        return SpanChoice(
            phrase=_text(runs, span),
            how=how,
            leftover=leftover,
            commentary=commentary,
            cut=cut,
            run=" ".join(w for i, w in enumerate(runs[r]) if (a <= i < b) or (w, i) not in aside_in_run),
        )


def _text(runs: list[list[str]], span: tuple[int, int, int]) -> str:
    r, a, b = span
    return " ".join(runs[r][a:b])


def _trim(run: list[str], a: int, b: int) -> tuple[int, int] | None:
    while a < b and run[a] in STOP_WORDS:
        a += 1
    while b > a and run[b - 1] in STOP_WORDS:
        b -= 1
    return (a, b) if a < b else None


def _inside(inner: tuple[int, int, int], outer: tuple[int, int, int]) -> bool:
    return inner[0] == outer[0] and outer[1] <= inner[1] and inner[2] <= outer[2]


def _locate(runs: list[list[str]], phrase: str | None) -> tuple[int, int, int] | None:
    if not phrase:
        return None
    words = phrase.split()
    for r, run in enumerate(runs):
        for a in range(len(run) - len(words) + 1):
            if run[a : a + len(words)] == words:
                return (r, a, a + len(words))
    return None
