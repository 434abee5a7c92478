"""Export names resolve against the lifter's own phrases first (word for word, and a custom exercise by
likeness), then the catalog; without them, as before."""

from __future__ import annotations

import pytest

from matcher.parser import CONFIDENCE_THRESHOLD
from matcher.resolver import ExerciseMatcher
from server.imports.resolve import resolve_names


@pytest.fixture(scope="module")
def matcher() -> ExerciseMatcher:
    return ExerciseMatcher.from_fixtures()


def test_own_phrases_then_custom_likeness_then_the_catalog(matcher: ExerciseMatcher) -> None:
    own = {"gorilla row thing": "Bent_Over_Two-Dumbbell_Row", "zercher frobnicate": "custom-1"}
    names = [
        "Gorilla Row Thing",
        "Zercher Frobnicates (Barbell)",
        "Zercher Frobnicat",
        "Bench Press (Barbell)",
    ]
    out = resolve_names(matcher, names, CONFIDENCE_THRESHOLD, own, {"custom-1": "Zercher Frobnicate"})
    assert out["Gorilla Row Thing"].exercise_id == "Bent_Over_Two-Dumbbell_Row"
    assert out["Zercher Frobnicat"].exercise_id == "custom-1"
    assert out["Bench Press (Barbell)"].exercise_id == "Barbell_Bench_Press_-_Medium_Grip"
    bare = resolve_names(matcher, names, CONFIDENCE_THRESHOLD)
    assert bare["Gorilla Row Thing"].exercise_id is None and bare["Zercher Frobnicat"].exercise_id is None
    assert bare["Gorilla Row Thing"].guesses  # unsure names keep the matcher's guesses for the lifter
