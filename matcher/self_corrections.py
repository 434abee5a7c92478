"""Self-corrections inside one utterance: "for eleven, sorry, twelve", "squats, sorry, front squat".

Runs on the tokens before the grammar's rules, so the rules only ever see the corrected wording.
"""

from __future__ import annotations

import re

from matcher.normalize import Token
from matcher.vocabulary import symbol_of

__all__ = ["self_corrections", "symbol"]


def symbol(t: Token) -> str:
    """The one-character symbol the grammar's rule patterns read for a token."""
    if t.kind == "num":
        return "r" if t.rep_word else "N"
    if t.kind == "punct":
        return ","
    return symbol_of(t.text)


def self_corrections(tokens: list[Token], notes: list[str]) -> list[Token]:
    """ "for eleven, sorry, twelve": the later value wins; "squats, sorry, front squat": the later name."""
    out = list(tokens)
    k = 0
    while k < len(out):
        t = out[k]
        is_marker = t.kind == "word" and (t.text == "sorry" or t.text == "no")
        if not is_marker:
            k += 1
            continue
        p = k - 1
        while p >= 0 and out[p].kind == "punct":
            p -= 1
        q = k + 1
        while q < len(out) and out[q].kind == "punct":
            q += 1
        if t.text == "no" and not (
            q < len(out)
            and out[q].kind == "num"
            and (
                (p >= 0 and out[p].kind == "num")
                or (q + 1 < len(out) and symbol_of(out[q + 1].text) in ("S", "R"))
            )
        ):
            k += 1
            continue
        if p >= 0 and q < len(out) and out[p].kind == "num" and out[q].kind == "num":
            after = "".join(symbol(x) for x in out[q : q + 3])
            if re.match(r"N[fxX]N", after):  # "225 for 5, sorry, 235 for 5": the whole set said again
                notes.append("self-correction: numbers said again")
                out = [x for x in out[:k] if x.kind == "word" and symbol_of(x.text) == "y"] + out[q:]
                k = 0
                continue
            if after.startswith("NU"):  # "225 for 5, sorry, 235 pounds": the load said again
                w = next((i for i in range(k) if out[i].kind == "num" and _weight_like(out, i)), None)
                if w is not None:
                    notes.append(f"self-correction: {out[w].text} -> {out[q].text}")
                    end = w + 2 if w + 1 < k and symbol_of(out[w + 1].text) == "U" else w + 1
                    out = out[:w] + out[end:k] + out[q:]
                    k = 0
                    continue
            # "55 for 10, I meant 60": the new number replaces the one it is nearest to, not
            # simply the last one said (a lifter corrects a load with a load, a count with a count)
            target = _nearest(out, k, p, out[q].value)
            notes.append(f"self-correction: {out[target].text} -> {out[q].text}")
            if target == p:
                del out[p:q]
                k = p + 1
            else:
                out = [*out[:target], out[q], *out[target + 1 : k], *out[q + 1 :]]
                k = target + 1
            continue
        if q < len(out) and out[q].kind == "word" and symbol_of(out[q].text) == "U":
            # "40 kilos, sorry, pounds": the unit said again replaces the unit said before
            u = next((i for i in range(k - 1, -1, -1) if symbol_of(out[i].text) == "U"), None)
            if u is not None and out[u].kind == "word":
                notes.append(f"self-correction: {out[u].text} -> {out[q].text}")
                out = [*out[:u], out[q], *out[u + 1 : k], *out[q + 1 :]]
                k = u + 1
                continue
        if q + 1 < len(out) and out[q].kind == "num" and symbol_of(out[q + 1].text) in ("S", "R"):
            # "four sets, no, three sets of ten": a count said again with its word replaces the
            # count said before with the same word
            key = symbol_of(out[q + 1].text)
            c = next(
                (
                    i
                    for i in range(k - 2, -1, -1)
                    if out[i].kind == "num" and symbol_of(out[i + 1].text) == key
                ),
                None,
            )
            if c is not None:
                notes.append(f"self-correction: {out[c].text} -> {out[q].text}")
                out = out[:c] + out[q : q + 2] + out[c + 2 : k] + out[q + 2 :]
                k = c + 2
                continue
        if q < len(out) and out[q].kind == "word" and symbol_of(out[q].text) == "y":
            dropped = [x for x in out[:k] if x.kind == "word" and symbol_of(x.text) == "y"]
            if dropped:
                notes.append("self-correction: dropped " + " ".join(x.text for x in dropped))
            out = [x for x in out[:k] if not (x.kind == "word" and symbol_of(x.text) == "y")] + out[q:]
            k = 0
            continue
        del out[k]
    return out


_FAR = 0.5  # relative gap at which a correction is unlikely to be of the last number
_NEAR = 0.25  # relative gap within which it is likely of another


def _nearest(tokens: list[Token], marker: int, last: int, value: float | None) -> int:
    """The number before `marker` that `value` corrects: the last one said, unless the value is far
    from it and near another ("55 for 10, I meant 60" corrects 55; "225 for 5, no, 3" corrects 5;
    "10 kg for 8, no, 10" corrects the 8: a near value is no evidence against the last number)."""
    if value is None or _gap(tokens[last].value, value) < _FAR:
        return last
    near = [
        (_gap(t.value, value), -i)
        for i, t in enumerate(tokens[:marker])
        if t.kind == "num" and i != last and _gap(t.value, value) <= _NEAR
    ]
    return -min(near)[1] if near else last


def _gap(a: float | None, b: float) -> float:
    if a is None:
        return 1.0
    return abs(a - b) / max(abs(a), abs(b), 1.0)


def _weight_like(tokens: list[Token], i: int) -> bool:
    """A number followed by a unit or by "for"/"x" is the load."""
    return i + 1 < len(tokens) and symbol_of(tokens[i + 1].text) in ("U", "f", "x", "X")
