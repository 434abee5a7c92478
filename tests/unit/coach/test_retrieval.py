"""Coach retrieval and the answer without an LLM: the right cue ranks first, the lifter's own chunks are
found, advice that loads an injured area carries a warning, and the answer quotes what it cites."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from server.coach.answer import constraint_warnings, extractive_answer
from server.coach.chunks import exercise_cue_chunks, knowledge_chunks, lifter_chunks
from server.coach.retrieval import ChunkIndex, keyword_rank
from server.coach.text import stem, tokens
from server.profile.context import build_context
from server.profile.ledger import canonical

SHOULDER = {
    "id": "sh1",
    "type": "injury",
    "label": "left shoulder impingement",
    "affectedAreas": ["left shoulder"],
    "modifications": ["no overhead pressing"],
}


@pytest.fixture(scope="module")
def index() -> ChunkIndex:
    return ChunkIndex(knowledge_chunks() + exercise_cue_chunks())


def facts(**profile: object) -> dict[str, object]:
    return build_context(canonical(profile), [], date(2026, 12, 3)).facts


def test_the_stemmer_meets_the_forms_lifters_use() -> None:
    assert stem("caving") == stem("caves") == stem("cave")
    assert stem("squats") == stem("squatting") == stem("squat")
    assert tokens("How do I stop my knees caving?") == ["stop", stem("knees"), stem("caving")]


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("how do I stop my knees caving on squats?", "knowledge_base:squat-knee-valgus"),
        ("my lower back rounds when I deadlift", "knowledge_base:deadlift-rounded-back"),
        ("what does RPE 8 mean", "knowledge_base:rpe-rir"),
        ("how do I do a zercher squat", "exercise_cues:Zercher_Squats"),
    ],
)
def test_the_answering_chunk_ranks_first(index: ChunkIndex, question: str, ref: str) -> None:
    assert index.search(question)[0].chunk.ref == ref


def test_the_keyword_baseline_is_a_real_ranking(index: ChunkIndex) -> None:
    hits = keyword_rank("how long should I rest between sets", index.chunks)
    assert hits[0].chunk.ref == "knowledge_base:rest-intervals"
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))


def test_lifter_chunks_are_found_for_personal_questions(index: ChunkIndex) -> None:
    lifter = lifter_chunks(
        facts(goals={"primaryGoal": "strength", "objective": "squat 180 kg"}, constraints=[SHOULDER]),
        {"Barbell_Squat": "Barbell Squat: best 150 kg × 3 on 2026-11-02; last sets 140 kg × 5 (2026-12-01)"},
    )
    assert {c.ref for c in lifter} >= {"profile:goals", "profile:constraint:sh1", "history:Barbell_Squat"}
    assert index.search("what's my best squat", extra=lifter)[0].chunk.ref == "history:Barbell_Squat"
    assert index.search("what is my goal again", extra=lifter)[0].chunk.ref == "profile:goals"


def test_overhead_advice_warns_a_lifter_with_an_active_shoulder_injury(index: ChunkIndex) -> None:
    chunks = [h.chunk for h in index.search("how do I fix my overhead press bar path")][:3]
    assert any("shoulder" in c.areas for c in chunks)
    (warning,) = constraint_warnings([canonical({"constraints": [SHOULDER]})["constraints"][0]], chunks)
    assert "left shoulder impingement" in warning and "no overhead pressing" in warning
    resolved = canonical({"constraints": [{**SHOULDER, "status": "resolved"}]})["constraints"]
    assert constraint_warnings(resolved, chunks) == []
    knees = [h.chunk for h in index.search("knees caving on squats")][:1]
    assert constraint_warnings([canonical({"constraints": [SHOULDER]})["constraints"][0]], knees) == []


def test_the_extractive_answer_quotes_its_citations_and_says_it_is_retrieval(index: ChunkIndex) -> None:
    chunks = [h.chunk for h in index.search("how long should I rest between heavy sets")][:2]
    answer = extractive_answer("how long should I rest between heavy sets", chunks, "tough-love", [])
    first, second, *_ = answer.splitlines()
    assert first.startswith("Straight answer") and "no language model" in first
    assert second.startswith(f"[1] {chunks[0].title}: ") and "3 to 5 minutes" in second


def test_fusion_weighs_the_embedded_ranking_against_the_remote_ones(index: ChunkIndex) -> None:
    from server.coach.retrieval import fuse

    local = index.search("how do I stop my knees caving on squats?", limit=10)
    top = local[0].chunk.ref
    remote = [["exercise_cues:Kneeling_Squat", "exercise_cues:made_up"], ["knowledge_base:squat-depth", top]]
    fused = fuse(local, remote, index.by_ref, limit=5)
    refs = [h.chunk.ref for h in fused]
    assert refs[0] == top  # first locally and named remotely
    assert "exercise_cues:made_up" not in refs
    assert "knowledge_base:squat-depth" in refs  # the remote ranking adds what it found
    assert fuse(local, [], index.by_ref, limit=3)[0].chunk.ref == top
