from __future__ import annotations

import pytest

from matcher.index import SearchHit
from matcher.resolver import ExerciseMatcher


@pytest.fixture(scope="module")
def matcher() -> ExerciseMatcher:
    return ExerciseMatcher.from_fixtures()


@pytest.mark.parametrize(
    ("phrase", "accepted"),
    [
        # abbreviations
        ("SL RDL", {"Kettlebell_One-Legged_Deadlift"}),
        ("BB rows", {"Bent_Over_Barbell_Row"}),
        ("CG bench press", {"Close-Grip_Barbell_Bench_Press"}),
        ("KB goblet squats", {"Goblet_Squat"}),
        # slang and word order
        ("skulls", {"EZ-Bar_Skullcrusher", "Lying_Triceps_Press"}),
        ("hammers", {"Hammer_Curls"}),
        ("dumbbell press incline", {"Incline_Dumbbell_Press"}),
        ("press overhead", {"Standing_Military_Press", "Barbell_Shoulder_Press"}),
        # split/joined words, plurals, possessives
        ("dead-lifts", {"Barbell_Deadlift"}),
        ("farmer's carries", {"Farmers_Walk"}),
        ("chin ups", {"Chin-Up"}),
        # speech-to-text confusions
        ("left pull downs", {"Wide-Grip_Lat_Pulldown"}),
        ("front squad", {"Front_Barbell_Squat", "Front_Squat_Clean_Grip"}),
        ("rope face pools", {"Face_Pull"}),
        ("walking lunches", {"Bodyweight_Walking_Lunge"}),
        # typos and catalog names nobody aliased
        ("zurcher squats", {"Zercher_Squats"}),
        ("spider curls", {"Spider_Curl"}),
        ("incline hammer curl", {"Incline_Hammer_Curls"}),
        ("wide grip decline barbell bench press", {"Wide-Grip_Decline_Barbell_Bench_Press"}),
    ],
)
def test_resolves(matcher: ExerciseMatcher, phrase: str, accepted: set[str]) -> None:
    m = matcher.match(phrase)
    assert m.exercise is not None, phrase
    assert m.exercise.id in accepted, (phrase, m.exercise.id)
    assert m.exercise.name == matcher.catalog[m.exercise.id].name
    assert 0.0 < m.score <= 1.0


@pytest.mark.parametrize(
    "phrase",
    ["", "   ", "uh", "that was brutal", "qwxz vbnm", None, "DB", "the barbell", "close grip", "one arm"],
)
def test_empty_or_garbage_is_no_exercise(matcher: ExerciseMatcher, phrase: str | None) -> None:
    m = matcher.match(phrase)
    assert m.exercise is None
    assert m.score == 0.0
    assert m.alternatives == [] and m.candidates == []


def test_alternatives_are_ranked_and_exclude_the_best(matcher: ExerciseMatcher) -> None:
    m = matcher.match("leg curls")
    assert m.exercise is not None
    assert m.candidates[0].id == m.exercise.id
    assert m.candidates[1:] == m.alternatives
    assert m.exercise.id not in {a.id for a in m.alternatives}
    scores = [c.score for c in m.candidates]
    assert scores[0] == m.score
    assert {"Seated_Leg_Curl", "Standing_Leg_Curl"} & {a.id for a in m.alternatives}


def test_a_clear_name_scores_higher_than_a_vague_one(matcher: ExerciseMatcher) -> None:
    clear = matcher.match("romanian deadlift")
    vague = matcher.match("the cable thing for chest")
    assert clear.score > 0.95
    assert vague.score < clear.score - 0.1


def test_recent_exercise_breaks_a_near_tie(matcher: ExerciseMatcher) -> None:
    # "dumbbell seated" says neither curl nor press: the two score within a hair of each other
    plain = matcher.match("dumbbell seated")
    assert plain.exercise is not None
    pair = {plain.exercise.id, plain.alternatives[0].id}
    assert pair == {"Seated_Dumbbell_Curl", "Seated_Dumbbell_Press"}
    for recent in pair:
        preferred = matcher.match("dumbbell seated", recent=("Leg_Press", recent))
        assert preferred.exercise is not None and preferred.exercise.id == recent


def test_recent_exercise_never_overrides_a_clear_match(matcher: ExerciseMatcher) -> None:
    clear = matcher.match("bench press", recent=("Leg_Press", "Dumbbell_Bench_Press"))
    assert clear.exercise is not None and clear.exercise.id == "Barbell_Bench_Press_-_Medium_Grip"


def test_external_hits_replace_the_embedded_index(matcher: ExerciseMatcher) -> None:
    # "plate press" is vague: the words alone leave several presses close together, so whichever the
    # (remote) search puts first decides, and it is fused exactly like the embedded index's evidence
    for hit in ("Svend_Press", "Leg_Press"):
        m = matcher.match("plate press", hits=[SearchHit(id=hit, score=1.0)])
        assert m.exercise is not None and m.exercise.id == hit
    none_found = matcher.match("plate press", hits=[])
    found = matcher.match("plate press", hits=[SearchHit(id="Svend_Press", score=1.0)])
    assert none_found.score < found.score


def test_hits_outside_the_catalog_are_ignored(matcher: ExerciseMatcher) -> None:
    m = matcher.match("bench press", hits=[SearchHit(id="Not_In_Catalog", score=1.0)])
    assert m.exercise is not None and m.exercise.id == "Barbell_Bench_Press_-_Medium_Grip"
    assert all(c.id != "Not_In_Catalog" for c in m.candidates)


def test_results_are_stable_across_calls(matcher: ExerciseMatcher) -> None:
    assert matcher.match("cable crunch") == matcher.match("cable crunch")
    assert matcher.match("Cable Crunches!") == matcher.match("cable crunch")


def test_search_ranks_partial_queries(matcher: ExerciseMatcher) -> None:
    results = matcher.search("lat pull", limit=5)
    assert results[0].id == "Wide-Grip_Lat_Pulldown"
    assert 1 < len(results) <= 5
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert matcher.search("", limit=5) == []
    # browsing by equipment lists that equipment's exercises, though "dumbbell" alone names none
    assert all(matcher.catalog[r.id].equipment == "dumbbell" for r in matcher.search("dumbbell", limit=5))
    assert matcher.search("bench", limit=0) == []


def test_runaway_input_is_bounded(matcher: ExerciseMatcher) -> None:
    m = matcher.match("deadlift " + "and then some more words " * 400)
    assert len(m.normalized.split()) <= 10
    assert matcher.match("x" * 10_000).exercise is None
    odd = matcher.match("💪 squat\x00\n")
    assert odd.exercise is not None and odd.exercise.id == "Barbell_Squat"


def test_clearing_the_caches_changes_no_answer(matcher: ExerciseMatcher) -> None:
    before = matcher.match("incline dumbell press")
    matcher.clear_caches()
    assert matcher.match("incline dumbell press") == before


@pytest.mark.parametrize(
    "phrase",
    ["my knee hurts", "hang on a second", "quick water break", "need a breather", "wait", "shoulder is achy"],
)
def test_remarks_between_sets_name_no_exercise(matcher: ExerciseMatcher, phrase: str) -> None:
    assert matcher.match(phrase).exercise is None


def test_a_dead_hang_is_not_a_hang_clean(matcher: ExerciseMatcher) -> None:
    assert matcher.match("dead hangs").exercise is None
    assert matcher.match("hang cleans").exercise is not None


def test_rest_pause_is_still_a_technique_not_a_remark(matcher: ExerciseMatcher) -> None:
    assert matcher.match("rest pause hammer curls").exercise is not None


@pytest.mark.parametrize("phrase", ["elbow", "shoulder", "curl", "press", "row machine", "flys", "squat"])
def test_no_alternative_scores_above_the_best(matcher: ExerciseMatcher, phrase: str) -> None:
    m = matcher.match(phrase)
    assert all(0.0 <= a.score <= m.score <= 1.0 for a in m.alternatives)


@pytest.mark.parametrize("query", ["lat pull", "curl", "press", "row", "fly", "dumbell", "squat"])
def test_search_scores_fall_down_the_list(matcher: ExerciseMatcher, query: str) -> None:
    scores = [a.score for a in matcher.search(query, limit=20)]
    assert scores and all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)


def test_search_completes_a_word_typed_part_way(matcher: ExerciseMatcher) -> None:
    found = [a.id for a in matcher.search("lat pull", limit=5)]
    assert sum("Pulldown" in i for i in found) >= 3
    # a word typed in full ranks its own lifts over those of the words it starts
    assert matcher.search("row", limit=1)[0].id != "Rowing_Stationary"
